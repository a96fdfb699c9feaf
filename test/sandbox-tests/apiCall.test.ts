import * as assert from 'node:assert/strict';

import { assessApiResponse, buildApiRequest, formatApiResponse, type ApiRequest } from '../../src/core/api/apiCall';
import { createHttpClient, type HttpResponse } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets } from '../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox } from '../support/sandbox';

// Call the API's core (request, assessment, view) over the real HTTP client against the sandbox's
// SKY-like protected API, which checks the subscription key first and then the bearer token.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;
const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });

interface Authorized {
  config: AppConfiguration;
  secrets: AppSecrets;
  tokens: TokenSet;
}

/** Steps 1 to 5 with the core: consent headlessly, exchange the code. */
async function authorize(sandbox: Sandbox): Promise<Authorized> {
  const { info } = sandbox;
  const client = info.clients.basic;
  const config = configurationFromPreset(presetById('sandbox'), {
    ...sandboxOverrides(info), clientId: client.client_id, loopbackPort: 0, redirectMode: 'loopback',
  });
  const secrets: AppSecrets = { clientSecret: client.client_secret, subscriptionKey: info.subscription_key };
  const request = buildAuthorizationRequest(config, REDIRECT_URI);
  const callback = await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const code = callback.searchParams.get('code');
  assert.ok(code, `expected a code in ${callback.href}`);
  const tokens = await exchangeAuthorizationCode({
    config, secrets, code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier, http, timeoutMs: REQUEST_TIMEOUT_MS,
  });
  return { config, secrets, tokens };
}

function apiRequest(authorized: Authorized, overrides: { accessToken?: string; target?: string; subscriptionKey?: string | null } = {}): ApiRequest {
  const key = overrides.subscriptionKey === null ? {} : { subscriptionKey: overrides.subscriptionKey ?? authorized.secrets.subscriptionKey };
  return buildApiRequest({
    apiBaseUrl: authorized.config.apiBaseUrl,
    target: overrides.target ?? presetById('sandbox').defaultApiPath,
    accessToken: overrides.accessToken ?? authorized.tokens.accessToken,
    subscriptionKeyHeader: authorized.config.subscriptionKeyHeader,
    ...key,
  });
}

function send(request: ApiRequest): Promise<HttpResponse> {
  return http.get(request.url, request.headers, { label: 'The API' });
}

function view(request: ApiRequest, response: HttpResponse): string {
  return formatApiResponse(request, response, { receivedAt: Date.now() });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Call the API against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let authorized: Authorized;

  before(async function () {
    sandbox = await startSandbox();
    authorized = await authorize(sandbox);
  });

  after(async function () {
    await sandbox?.stop();
  });

  it('answers 200 to the preset\'s default path with a valid token and the subscription key', async function () {
    const request = apiRequest(authorized);
    assert.equal(request.url, sandbox.info.protected_resource);
    const response = await send(request);
    assert.equal(response.status, 200, response.body);
    assert.deepEqual(assessApiResponse(response, request), { kind: 'success' });
    const text = view(request, response);
    assert.equal(text.split('\n')[0], '# GET /api/me → 200 OK');
    assert.match(text, /"sub": "sandbox-user"/);
    assert.match(text, /"client_id": "sandbox-basic-client"/);
    assert.ok(!text.includes(authorized.tokens.accessToken), 'the view masks the access token');
    assert.ok(!text.includes(sandbox.info.subscription_key), 'the view masks the subscription key');
  });

  it('accepts a full URL on the API\'s origin', async function () {
    const request = apiRequest(authorized, { target: `${sandbox.info.api_base_url}/constituent/v1/constituents?limit=1` });
    const response = await send(request);
    assert.equal(response.status, 200, response.body);
    assert.equal((JSON.parse(response.body) as { path: string }).path, '/api/constituent/v1/constituents');
  });

  it('answers 401 invalid_token to a token the server does not know, and the view says to refresh or authorize', async function () {
    const request = apiRequest(authorized, { accessToken: 'not-a-token-the-sandbox-issued-0123456789' });
    const response = await send(request);
    assert.equal(response.status, 401);
    const outcome = assessApiResponse(response, request);
    assert.equal(outcome.kind, 'token_rejected');
    assert.equal(outcome.bearerError, 'invalid_token');
    const text = view(request, response);
    assert.equal(text.split('\n')[0], '# GET /api/me → 401 Unauthorized');
    assert.match(text, /^> The API answered invalid_token \(RFC 6750 §3\.1\): The access token is invalid or has expired\. .*refresh it and retry/m);
  });

  it('answers 401 for a missing subscription key, which is not the token\'s fault', async function () {
    const request = apiRequest(authorized, { subscriptionKey: null });
    assert.equal(request.notes.length, 1);
    const response = await send(request);
    assert.equal(response.status, 401);
    const outcome = assessApiResponse(response, request);
    assert.equal(outcome.kind, 'subscription_key_rejected');
    assert.match(outcome.explanation ?? '', /None is stored\. Run Configure App/);
  });

  describe('with access tokens that live 2 s', function () {
    let shortLived: Sandbox;

    before(async function () {
      shortLived = await startSandbox({ accessTokenTtl: 2 });
    });

    after(async function () {
      await shortLived?.stop();
    });

    it('answers 401 invalid_token once the access token expired, and 200 again after a refresh', async function () {
      const expiring = await authorize(shortLived);
      assert.equal((await send(apiRequest(expiring))).status, 200, 'the fresh token works');
      await sleep(3_000);
      const request = apiRequest(expiring);
      const rejected = await send(request);
      assert.equal(rejected.status, 401, rejected.body);
      assert.equal(assessApiResponse(rejected, request).kind, 'token_rejected');

      const refreshed = await refreshAccessToken({
        config: expiring.config, secrets: expiring.secrets, refreshToken: expiring.tokens.refreshToken ?? '', http, timeoutMs: REQUEST_TIMEOUT_MS,
      });
      const retried = await send(apiRequest({ ...expiring, tokens: refreshed }));
      assert.equal(retried.status, 200, retried.body);
      const grants = (await shortLived.events()).map((event) => `${event.grant_type} ${event.status}`);
      assert.deepEqual(grants, ['authorization_code 200', 'refresh_token 200']);
    });
  });
});
