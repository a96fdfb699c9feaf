import * as assert from 'node:assert/strict';

import { ProviderError } from '../../src/core/errors/oauthError';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, PresetId } from '../../src/core/providers/appConfiguration';
import { missingRefreshTokenNotice } from '../../src/core/protocol/offlineAccess';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { expectOAuthError } from '../support/expectOAuthError';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox, type SandboxInfo } from '../support/sandbox';

// The GitHub and Google presets against the sandbox started with --quirks github|google, which answers as
// those providers document: GitHub's token endpoint form-encoded unless Accept: application/json and its
// errors with HTTP 200; Google's refresh token only for access_type=offline.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The real HTTP client, recording each token response. `anyType` replaces the extension's Accept header by
 * curl's `*\/*` (dropping it would not do: axios then sends its own, which names application/json).
 */
function recordingClient(options: { anyType: boolean }): { http: HttpClient; responses: HttpResponse[]; sentAccept: (string | undefined)[] } {
  const inner = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });
  const responses: HttpResponse[] = [];
  const sentAccept: (string | undefined)[] = [];
  const http: HttpClient = {
    async postForm(url, form, headers = {}, requestOptions) {
      const kept = options.anyType ? { ...headers, Accept: '*/*' } : headers;
      sentAccept.push(kept.Accept);
      const response = await inner.postForm(url, form, kept, requestOptions);
      responses.push(response);
      return response;
    },
    get: (url, headers, requestOptions) => inner.get(url, headers, requestOptions),
  };
  return { http, responses, sentAccept };
}

/** The preset, pointed at the sandbox, as the sandbox's client_secret_post demo client (both presets send the secret in the body). */
function presetAgainstSandbox(id: PresetId, info: SandboxInfo, overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return configurationFromPreset(presetById(id), {
    ...sandboxOverrides(info),
    clientId: info.clients.post.client_id,
    // The sandbox knows its own scopes only; the preset's (read:user, openid email profile) mean nothing to it.
    scopes: ['api'],
    ...overrides,
  });
}

async function authorizeAndExchange(info: SandboxInfo, config: AppConfiguration, http: HttpClient, secret = info.clients.post.client_secret): Promise<{ tokens: TokenSet; authorizationUrl: URL }> {
  const { request, code } = await authorizeOnly(config);
  const tokens = await exchangeAuthorizationCode({
    config, secrets: { clientSecret: secret }, code, redirectUri: request.redirectUri,
    ...(request.codeVerifier ? { codeVerifier: request.codeVerifier } : {}),
    http, timeoutMs: REQUEST_TIMEOUT_MS,
  });
  return { tokens, authorizationUrl: new URL(request.url) };
}

async function authorizeOnly(config: AppConfiguration): Promise<{ request: ReturnType<typeof buildAuthorizationRequest>; code: string }> {
  const request = buildAuthorizationRequest(config, REDIRECT_URI);
  const callback = await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  assert.equal(callback.searchParams.get('error'), null, callback.href);
  const code = callback.searchParams.get('code');
  assert.ok(code, `expected a code in ${callback.href}`);
  return { request, code };
}

async function callApi(info: SandboxInfo, accessToken: string): Promise<number> {
  const response = await fetch(info.protected_resource, {
    headers: { Authorization: `Bearer ${accessToken}`, [info.subscription_key_header]: info.subscription_key },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await response.body?.cancel();
  return response.status;
}

describe('GitHub preset against the sandbox in GitHub mode', function () {
  let sandbox: Sandbox;
  let info: SandboxInfo;

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox({ quirks: 'github' });
    info = sandbox.info;
    assert.equal(info.quirks, 'github');
  });

  after(async function () {
    this.timeout(15_000);
    await sandbox?.stop();
  });

  it('sends Accept: application/json and gets JSON tokens that work', async function () {
    const client = recordingClient({ anyType: false });
    const { tokens } = await authorizeAndExchange(info, presetAgainstSandbox('github', info), client.http);
    assert.deepEqual(client.sentAccept, ['application/json']);
    assert.match(client.responses[0]?.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(await callApi(info, tokens.accessToken), 200);
  });

  it('reads the form-encoded answer GitHub gives when Accept does not ask for JSON', async function () {
    const client = recordingClient({ anyType: true });
    const { tokens } = await authorizeAndExchange(info, presetAgainstSandbox('github', info), client.http);
    assert.deepEqual(client.sentAccept, ['*/*']);
    const response = client.responses[0];
    assert.match(response?.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    assert.match(response?.body ?? '', /(^|&)access_token=/);
    assert.equal(tokens.accessToken, new URLSearchParams(response?.body).get('access_token'));
    assert.equal(tokens.tokenType.toLowerCase(), 'bearer');
    assert.ok(tokens.expiresAt !== undefined && tokens.expiresAt > Date.now(), 'expires_in read from a form value');
    assert.equal(await callApi(info, tokens.accessToken), 200);
  });

  for (const anyType of [false, true]) {
    const shape = anyType ? 'form-encoded' : 'JSON';
    const contentType = anyType ? /^application\/x-www-form-urlencoded/ : /^application\/json/;
    it(`refuses a spent code answered with HTTP 200 and bad_verification_code (${shape})`, async function () {
      const client = recordingClient({ anyType });
      const config = presetAgainstSandbox('github', info);
      const { request, code } = await authorizeOnly(config);
      const exchange = (): Promise<TokenSet> => exchangeAuthorizationCode({
        config, secrets: { clientSecret: info.clients.post.client_secret }, code, redirectUri: request.redirectUri,
        ...(request.codeVerifier ? { codeVerifier: request.codeVerifier } : {}),
        http: client.http, timeoutMs: REQUEST_TIMEOUT_MS,
      });
      await exchange();
      const error = await expectOAuthError(exchange);
      assert.equal(client.responses[1]?.status, 200, 'GitHub sends its errors with HTTP 200');
      assert.match(client.responses[1]?.headers['content-type'] ?? '', contentType);
      assert.ok(error instanceof ProviderError && error.fromErrorResponse);
      assert.equal(error.code, 'bad_verification_code');
      assert.equal(error.status, 200);
      assert.match(error.message, /^The provider answered bad_verification_code: The code passed is incorrect or expired\. /);
      assert.match(error.hint, /run Authorize App again/);
      assert.equal(error.uri, 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code');
    });

    it(`refuses a wrong secret answered with HTTP 200 and incorrect_client_credentials (${shape})`, async function () {
      const client = recordingClient({ anyType });
      const error = await expectOAuthError(() => authorizeAndExchange(info, presetAgainstSandbox('github', info), client.http, 'not-the-secret'));
      assert.equal(client.responses[0]?.status, 200);
      assert.match(client.responses[0]?.headers['content-type'] ?? '', contentType);
      assert.equal(error.code, 'incorrect_client_credentials');
      assert.match(error.hint, /client ID and the client secret/);
      assert.ok(!error.message.includes('not-the-secret'), 'the secret is never quoted');
    });
  }
});

describe('Google preset against the sandbox in Google mode', function () {
  let sandbox: Sandbox;
  let info: SandboxInfo;
  const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox({ quirks: 'google' });
    info = sandbox.info;
    assert.equal(info.quirks, 'google');
  });

  after(async function () {
    this.timeout(15_000);
    await sandbox?.stop();
  });

  it('gets a refresh token with the preset\'s access_type=offline and prompt=consent, and refreshes with it', async function () {
    const config = presetAgainstSandbox('google', info);
    const { tokens, authorizationUrl } = await authorizeAndExchange(info, config, http);
    assert.equal(authorizationUrl.searchParams.get('access_type'), 'offline');
    assert.equal(authorizationUrl.searchParams.get('prompt'), 'consent');
    assert.ok(tokens.refreshToken, 'a refresh token');
    assert.equal(missingRefreshTokenNotice(config, tokens), undefined);
    const refreshed = await refreshAccessToken({
      config, secrets: { clientSecret: info.clients.post.client_secret }, refreshToken: tokens.refreshToken, http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assert.equal(await callApi(info, refreshed.accessToken), 200);
  });

  it('gets no refresh token without access_type=offline, and says why', async function () {
    const config = presetAgainstSandbox('google', info, { extraAuthorizationParams: { prompt: 'consent' } });
    const { tokens, authorizationUrl } = await authorizeAndExchange(info, config, http);
    assert.equal(authorizationUrl.searchParams.get('access_type'), null);
    assert.equal(tokens.refreshToken, undefined);
    assert.equal(await callApi(info, tokens.accessToken), 200, 'the access token itself works');
    assert.match(missingRefreshTokenNotice(config, tokens) ?? '', /access_type=offline/);
  });

  it('gets no refresh token for an offline_access scope alone, as Google ignores it', async function () {
    const config = presetAgainstSandbox('google', info, { scopes: ['api', 'offline_access'], extraAuthorizationParams: {} });
    const { tokens } = await authorizeAndExchange(info, config, http);
    assert.equal(tokens.refreshToken, undefined);
  });
});
