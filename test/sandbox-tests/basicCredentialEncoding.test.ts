import * as assert from 'node:assert/strict';

import { createHttpClient } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { withBasicEncodingFallback } from '../../src/core/protocol/basicEncodingFallback';
import { OAuthError } from '../../src/core/errors/oauthError';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets, BasicCredentialEncoding } from '../../src/core/providers/appConfiguration';
import { applyRememberedBasicEncoding, withBasicEncodingRemembered } from '../../src/core/providers/basicEncodingPreference';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox, type SandboxEvent, type SandboxInfo } from '../support/sandbox';

// The sandbox's SKY-like client has a secret with "+", "/" and "=" and compares Basic credentials raw, as
// SKY API does (test/sandbox/provider.mjs). Through the real protocol core and HTTP client: the RFC 6749
// spelling the extension used to send is refused with invalid_client; the raw one works directly; and the
// one retry gets from the first to the second, with the same (unspent) code, and is remembered.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;

describe('Basic credential encodings against the sandbox\'s SKY-like client', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let info: SandboxInfo;
  const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox();
    info = sandbox.info;
  });

  after(async function () {
    this.timeout(15_000);
    await sandbox?.stop();
  });

  function config(basicCredentialEncoding: BasicCredentialEncoding): AppConfiguration {
    return configurationFromPreset(presetById('sandbox'), {
      ...sandboxOverrides(info), clientId: info.clients.sky.client_id, basicCredentialEncoding, redirectMode: 'loopback', loopbackPort: 0,
    });
  }

  function secrets(): AppSecrets {
    return { clientSecret: info.clients.sky.client_secret };
  }

  /** A fresh code for the SKY-like client, with the verifier the exchange needs. */
  async function authorize(): Promise<{ code: string; codeVerifier: string }> {
    const request = buildAuthorizationRequest(config('raw'), REDIRECT_URI);
    const callback = await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
    const code = callback.searchParams.get('code');
    assert.ok(code && request.codeVerifier, callback.href);
    return { code, codeVerifier: request.codeVerifier };
  }

  function exchange(appConfig: AppConfiguration, grant: { code: string; codeVerifier: string }): Promise<TokenSet> {
    return exchangeAuthorizationCode({
      config: appConfig, secrets: secrets(), code: grant.code, codeVerifier: grant.codeVerifier, redirectUri: REDIRECT_URI, http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }

  /** The token endpoint's answers to the SKY-like client since `from` events had been recorded. */
  async function skyEventsSince(from: number): Promise<Pick<SandboxEvent, 'grant_type' | 'status' | 'error'>[]> {
    return (await sandbox.events()).slice(from)
      .filter((event) => event.client_id === info.clients.sky.client_id)
      .map(({ grant_type, status, error }) => ({ grant_type, status, ...(error === undefined ? {} : { error }) }));
  }

  it('announces the client: a secret with +, / and = and client_secret_basic', function () {
    assert.match(info.clients.sky.client_secret, /\+/);
    assert.match(info.clients.sky.client_secret, /\//);
    assert.match(info.clients.sky.client_secret, /=/);
    assert.equal(info.clients.sky.token_endpoint_auth_method, 'client_secret_basic');
  });

  it('refuses the RFC 6749 §2.3.1 spelling (the extension\'s only one until now) with invalid_client, without spending the code', async function () {
    const from = (await sandbox.events()).length;
    const grant = await authorize();
    await assert.rejects(exchange(config('form-urlencoded'), grant), (error: unknown) => {
      assert.ok(error instanceof OAuthError, String(error));
      assert.equal(error.code, 'invalid_client');
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes(info.clients.sky.client_secret), 'the secret stays out of the message');
      return true;
    });
    // RFC 6749 §4.1.3 authenticates the client before it looks at the code, so the code is still good.
    const tokens = await exchange(config('raw'), grant);
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.deepEqual(await skyEventsSince(from), [
      { grant_type: 'authorization_code', status: 401, error: 'invalid_client' },
      { grant_type: 'authorization_code', status: 200 },
    ]);
  });

  it('accepts the raw spelling SKY API documents directly, for the code exchange and the refresh', async function () {
    const from = (await sandbox.events()).length;
    const tokens = await exchange(config('raw'), await authorize());
    const refreshed = await refreshAccessToken({
      config: config('raw'), secrets: secrets(), refreshToken: tokens.refreshToken ?? '', http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.deepEqual(await skyEventsSince(from), [
      { grant_type: 'authorization_code', status: 200 },
      { grant_type: 'refresh_token', status: 200 },
    ]);
    const api = await fetch(info.protected_resource, {
      headers: { Authorization: `Bearer ${refreshed.accessToken}`, [info.subscription_key_header]: info.subscription_key },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    assert.equal(api.status, 200);
    assert.equal(((await api.json()) as { client_id?: string }).client_id, info.clients.sky.client_id);
  });

  it('retries once from the RFC spelling to the raw one, learns raw, and the next refresh sends raw right away', async function () {
    const from = (await sandbox.events()).length;
    const grant = await authorize();
    const start = config('form-urlencoded');
    const exchanged = await withBasicEncodingFallback(start, secrets(), (attempt) => exchange(attempt, grant));
    assert.equal(exchanged.learned, 'raw');

    // What the editor does with it (editor/basicEncodingMemory.ts): remember per app, apply to the next request.
    const stored = withBasicEncodingRemembered([], start, exchanged.learned);
    const remembered = applyRememberedBasicEncoding(start, stored);
    assert.equal(remembered.basicCredentialEncoding, 'raw');
    const refreshed = await withBasicEncodingFallback(remembered, secrets(), (attempt) => refreshAccessToken({
      config: attempt, secrets: secrets(), refreshToken: exchanged.value.refreshToken ?? '', http, timeoutMs: REQUEST_TIMEOUT_MS,
    }));
    assert.equal(refreshed.learned, undefined, 'nothing more to learn');
    assert.ok(refreshed.value.accessToken);

    assert.deepEqual(await skyEventsSince(from), [
      { grant_type: 'authorization_code', status: 401, error: 'invalid_client' },
      { grant_type: 'authorization_code', status: 200 },
      { grant_type: 'refresh_token', status: 200 },
    ]);
  });
  it('still refuses a wrong secret in both spellings, after exactly two requests', async function () {
    const from = (await sandbox.events()).length;
    const grant = await authorize();
    const wrong = { clientSecret: `${info.clients.sky.client_secret}x+` };
    await assert.rejects(withBasicEncodingFallback(config('raw'), wrong, (attempt) => exchangeAuthorizationCode({
      config: attempt, secrets: wrong, code: grant.code, codeVerifier: grant.codeVerifier, redirectUri: REDIRECT_URI, http, timeoutMs: REQUEST_TIMEOUT_MS,
    })), /The provider answered invalid_client: .*both ways HTTP Basic can spell them/);
    assert.deepEqual((await skyEventsSince(from)).map((event) => event.error), ['invalid_client', 'invalid_client']);
  });

  it('leaves the RFC clients alone: the basic demo client is still decoded the RFC way', async function () {
    const basic = configurationFromPreset(presetById('sandbox'), { ...sandboxOverrides(info), clientId: info.clients.basic.client_id });
    const request = buildAuthorizationRequest(basic, REDIRECT_URI);
    const callback = await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
    const tokens = await exchangeAuthorizationCode({
      config: basic, secrets: { clientSecret: info.clients.basic.client_secret }, code: callback.searchParams.get('code') ?? '',
      codeVerifier: request.codeVerifier ?? '', redirectUri: REDIRECT_URI, http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assert.ok(tokens.accessToken);
  });
});
