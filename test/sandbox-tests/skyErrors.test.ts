import * as assert from 'node:assert/strict';

import { assessApiResponse, buildApiRequest, type ApiRequest } from '../../src/core/api/apiCall';
import { createHttpClient, type HttpResponse } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest, type AuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { ProviderError } from '../../src/core/errors/oauthError';
import { PendingAuthorizations } from '../../src/core/protocol/pendingAuthorizations';
import { exchangeAuthorizationCode } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets } from '../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { expectOAuthError } from '../support/expectOAuthError';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox } from '../support/sandbox';

// The errors SKY API documents, as the sandbox reproduces them, through the extension's core: what the
// user is told and what can be done next. Sources: blackbaud/sky-api-docs,
// content/docs/authorization/common-auth-issues/index.md and includes/basics/{ratelimits,quotas,response}.md.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;
const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });

interface Consented {
  config: AppConfiguration;
  secrets: AppSecrets;
  request: AuthorizationRequest;
  callback: URL;
}

async function consent(sandbox: Sandbox, deny = false): Promise<Consented> {
  const { info } = sandbox;
  const client = info.clients.basic;
  const config = configurationFromPreset(presetById('sandbox'), {
    ...sandboxOverrides(info), clientId: client.client_id, loopbackPort: 0, redirectMode: 'loopback',
  });
  const request = buildAuthorizationRequest(config, REDIRECT_URI);
  const callback = await consentHeadlessly(request.url, { deny, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  return { config, secrets: { clientSecret: client.client_secret, subscriptionKey: info.subscription_key }, request, callback };
}

function exchange(consented: Consented, redirectUri: string): Promise<TokenSet> {
  return exchangeAuthorizationCode({
    config: consented.config, secrets: consented.secrets, code: consented.callback.searchParams.get('code') ?? '',
    redirectUri, codeVerifier: consented.request.codeVerifier, http, timeoutMs: REQUEST_TIMEOUT_MS,
  });
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('SKY API\'s documented errors, against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;

  before(async function () {
    sandbox = await startSandbox();
  });

  after(async function () {
    await sandbox?.stop();
  });

  it('a denied consent carries error_message beside access_denied, and the extension names it as the provider\'s', async function () {
    const denied = await consent(sandbox, true);
    assert.equal(denied.callback.searchParams.get('error'), 'access_denied');
    assert.equal(denied.callback.searchParams.get('error_message'), 'The user chose not to give your app access to their Blackbaud data.');
    assert.equal(denied.callback.searchParams.get('error_description'), null, 'SKY sends error_message, not error_description');
    assert.equal(denied.callback.searchParams.get('state'), denied.request.state);

    const pending = new PendingAuthorizations();
    const waiting = pending.begin({ state: denied.request.state, redirectUri: denied.request.redirectUri, issuer: sandbox.info.issuer });
    const outcome = pending.deliver(denied.callback.searchParams);
    assert.equal(outcome.kind, 'rejected');
    const error = await expectOAuthError(() => waiting.result);
    assert.ok(error instanceof ProviderError && error.fromErrorResponse);
    assert.equal(error.message, 'The provider answered access_denied: The user chose not to give your app access to their Blackbaud data. '
      + 'Consent was denied at the provider; run Authorize App again and approve.');
    pending.dispose();
  });

  it('the token endpoint answers invalid_redirect_uri for an unregistered redirect_uri, invalid_grant for another registered one', async function () {
    const consented = await consent(sandbox);
    const unregistered = await expectOAuthError(() => exchange(consented, 'https://app.example/oauth2/callback'));
    assert.equal(unregistered.code, 'invalid_redirect_uri');
    assert.ok(unregistered instanceof ProviderError && unregistered.fromErrorResponse);
    assert.equal(unregistered.status, 400);
    assert.match(unregistered.message,
      /^The provider answered invalid_redirect_uri: The specified value for the redirect_uri parameter 'https:\/\/app\.example\/oauth2\/callback' did not match any pre-registered values\. .*register the exact redirect URI shown in Configure App/);

    const otherRegistered = await expectOAuthError(() => exchange(consented, 'http://127.0.0.1:1/callback'));
    assert.equal(otherRegistered.code, 'invalid_grant');

    // Neither refusal spent the code: the exact redirect URI of the authorization request still works.
    const tokens = await exchange(consented, consented.request.redirectUri);
    assert.ok(tokens.accessToken.length > 20);
    const errors = (await sandbox.events()).filter((event) => event.grant_type === 'authorization_code').map((event) => event.error ?? event.status);
    assert.deepEqual(errors.slice(-3), ['invalid_redirect_uri', 'invalid_grant', 200]);
  });

  describe('calling the API', function () {
    let tokens: TokenSet;
    let consented: Consented;

    before(async function () {
      consented = await consent(sandbox);
      tokens = await exchange(consented, consented.request.redirectUri);
    });

    afterEach(async function () {
      await sandbox.limitApi(undefined);
    });

    function request(subscriptionKey = sandbox.info.subscription_key): ApiRequest {
      return buildApiRequest({
        apiBaseUrl: consented.config.apiBaseUrl, target: '/me', accessToken: tokens.accessToken,
        subscriptionKeyHeader: sandbox.info.subscription_key_header, subscriptionKey,
      });
    }

    function send(apiRequest: ApiRequest): Promise<HttpResponse> {
      return http.get(apiRequest.url, apiRequest.headers, { label: 'The API' });
    }

    it('answers 401 for an invalid subscription key, which the extension sends to Configure App', async function () {
      const response = await send(request('not-the-subscription-key'));
      assert.equal(response.status, 401);
      const outcome = assessApiResponse(response, { notes: [] });
      assert.equal(outcome.kind, 'subscription_key_rejected');
      assert.match(outcome.explanation ?? '', /invalid: not a key of an active, approved subscription.*Run Configure App/);
    });

    it('answers 429 "Rate limit is exceeded" with Retry-After; waiting that long and retrying succeeds', async function () {
      await sandbox.limitApi({ status: 429, retryAfter: 1, times: 2 });
      // The gateway checks the key first: a wrong key is still a 401, and does not use up the armed limit.
      assert.equal((await send(request('not-the-subscription-key'))).status, 401);
      const first = await send(request());
      assert.equal(first.status, 429);
      assert.equal(first.headers['retry-after'], '1');
      const outcome = assessApiResponse(first, undefined, Date.now());
      assert.equal(outcome.kind, 'throttled');
      assert.deepEqual(outcome.throttle, { limit: 'rate', retryAfterMs: 1000 });
      assert.match(outcome.explanation ?? '', /The API said: "Rate limit is exceeded\. Try again in 1 second\." Retry in 1 s \(Retry-After\)\./);
      assert.equal((await send(request())).status, 429, 'armed for two calls');
      await sleep(outcome.throttle?.retryAfterMs ?? 0);
      const retried = await send(request());
      assert.equal(retried.status, 200, retried.body);
    });

    it('answers 403 "Out of call volume quota" with Retry-After in seconds or as an HTTP-date', async function () {
      await sandbox.limitApi({ status: 403, retryAfter: 406 });
      const quota = await send(request());
      assert.equal(quota.status, 403);
      const outcome = assessApiResponse(quota, undefined, Date.now());
      assert.equal(outcome.kind, 'throttled');
      assert.deepEqual(outcome.throttle, { limit: 'quota', retryAfterMs: 406_000 });
      assert.match(outcome.explanation ?? '', /"Out of call volume quota\. Quota will be replenished in 00:06:46\." It is replenished in 6 min 46 s/);

      await sandbox.limitApi({ status: 403, retryAfter: 30, format: 'date' });
      const dated = await send(request());
      assert.match(dated.headers['retry-after'] ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      const datedOutcome = assessApiResponse(dated, undefined, Date.now());
      assert.equal(datedOutcome.throttle?.limit, 'quota');
      const waitMs = datedOutcome.throttle?.retryAfterMs ?? -1;
      assert.ok(waitMs > 25_000 && waitMs <= 30_000, `waits about 30 s, not ${waitMs} ms`);
      assert.equal((await send(request())).status, 200, 'armed for one call only');
    });
  });
});
