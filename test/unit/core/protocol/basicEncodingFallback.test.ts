import * as assert from 'node:assert/strict';
import { withBasicEncodingFallback } from '../../../../src/core/protocol/basicEncodingFallback';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { FakeHttpClient, jsonResponse, type RecordedRequest } from '../../support/fakeHttpClient';

// The one retry in the other Basic encoding, over the real request builders and a scripted token endpoint
// that accepts exactly one spelling of the credentials, as SKY API (raw) or an RFC 6749 server does.

const CLIENT_ID = 'app-id-1234';
const SECRET = 'Zm9v+YmFy/c2VjcmV0==';
const SECRETS: AppSecrets = { clientSecret: SECRET };
const TOKENS = { access_token: 'access-token-0123456789', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-token-0123456789' };
const INVALID_CLIENT = jsonResponse(401, { error: 'invalid_client', error_description: 'client authentication failed' });

function config(preset: 'sky' | 'generic', overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return configurationFromPreset(presetById(preset), {
    clientId: CLIENT_ID, tokenEndpoint: 'https://idp.example/token', authorizationEndpoint: 'https://idp.example/authorize', ...overrides,
  });
}

function credentialsOf(request: RecordedRequest): string {
  return Buffer.from((request.headers.Authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
}

/** A token endpoint that accepts only `accepted` as the decoded Basic credentials. */
function endpointAccepting(accepted: string): FakeHttpClient {
  return new FakeHttpClient((request) => (credentialsOf(request) === accepted ? jsonResponse(200, TOKENS) : INVALID_CLIENT));
}

const RAW = `${CLIENT_ID}:${SECRET}`;
const FORM = `${CLIENT_ID}:Zm9v%2BYmFy%2Fc2VjcmV0%3D%3D`;

function exchange(http: FakeHttpClient, appConfig: AppConfiguration, secrets: AppSecrets = SECRETS) {
  return withBasicEncodingFallback(appConfig, secrets, (attempt) => exchangeAuthorizationCode({
    config: attempt, secrets, code: 'code-0123456789', redirectUri: 'http://localhost:5000/callback', codeVerifier: 'v'.repeat(43), http,
  }));
}

describe('withBasicEncodingFallback', () => {
  it('sends one request and learns nothing when the configured encoding is accepted', async () => {
    const http = endpointAccepting(RAW);
    const outcome = await exchange(http, config('sky'));
    assert.equal(credentialsOf(http.onlyRequest), RAW);
    assert.equal(outcome.learned, undefined);
    assert.equal(outcome.value.accessToken, TOKENS.access_token);
  });

  it('retries a refused form-urlencoded request once with the raw values, the same code and verifier, and learns raw', async () => {
    const http = endpointAccepting(RAW);
    const outcome = await exchange(http, config('generic'));
    assert.deepEqual(http.requests.map(credentialsOf), [FORM, RAW]);
    assert.deepEqual(http.requests[1]?.form, http.requests[0]?.form, 'the same grant: invalid_client left the code unspent');
    assert.equal(outcome.learned, 'raw');
    assert.equal(outcome.value.refreshToken, TOKENS.refresh_token);
  });

  it('retries a refused raw request (SKY preset) with the RFC encoding, and learns form-urlencoded', async () => {
    const http = endpointAccepting(FORM);
    const outcome = await exchange(http, config('sky'));
    assert.deepEqual(http.requests.map(credentialsOf), [RAW, FORM]);
    assert.equal(outcome.learned, 'form-urlencoded');
  });

  it('covers the refresh request too', async () => {
    const http = endpointAccepting(RAW);
    const outcome = await withBasicEncodingFallback(config('generic'), SECRETS, (attempt) => refreshAccessToken({
      config: attempt, secrets: SECRETS, refreshToken: 'refresh-token-0123456789', http,
    }));
    assert.deepEqual(http.requests.map((request) => request.form?.grant_type), ['refresh_token', 'refresh_token']);
    assert.equal(outcome.learned, 'raw');
  });

  it('does not retry when both encodings are the same bytes, so the refusal is about the values', async () => {
    const http = new FakeHttpClient(() => INVALID_CLIENT);
    await assert.rejects(exchange(http, config('generic'), { clientSecret: 'plain-secret-09' }), (error: unknown) => {
      assert.ok(error instanceof OAuthError && error.code === 'invalid_client');
      return true;
    });
    assert.equal(http.requests.length, 1);
  });

  it('does not retry other errors, nor client_secret_post', async () => {
    const grant = new FakeHttpClient(() => jsonResponse(400, { error: 'invalid_grant' }));
    await assert.rejects(exchange(grant, config('generic')), (error: unknown) => error instanceof OAuthError && error.code === 'invalid_grant');
    assert.equal(grant.requests.length, 1);
    const post = new FakeHttpClient(() => INVALID_CLIENT);
    await assert.rejects(exchange(post, config('generic', { clientAuthMethod: 'client_secret_post' })), /invalid_client/);
    assert.equal(post.requests.length, 1);
  });

  it('says both spellings were refused when the retry is refused too, and tries no third time', async () => {
    const http = new FakeHttpClient(() => INVALID_CLIENT);
    await assert.rejects(exchange(http, config('sky')), (error: unknown) => {
      assert.ok(error instanceof OAuthError);
      assert.equal(error.code, 'invalid_client');
      assert.equal(error.status, 401);
      assert.match(error.message, /^The provider answered invalid_client: .*both ways HTTP Basic can spell them/);
      assert.ok(!error.message.includes(SECRET), 'never the secret');
      return true;
    });
    assert.equal(http.requests.length, 2);
  });

  it('reports the retry\'s own error when the retry fails differently (e.g. a provider that did spend the code)', async () => {
    let calls = 0;
    const http = new FakeHttpClient(() => (++calls === 1 ? INVALID_CLIENT : jsonResponse(400, { error: 'invalid_grant' })));
    await assert.rejects(exchange(http, config('generic')), (error: unknown) => error instanceof OAuthError && error.code === 'invalid_grant');
  });
});
