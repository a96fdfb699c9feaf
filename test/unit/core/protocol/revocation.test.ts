import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import type { HttpClient, HttpRequestOptions } from '../../../../src/core/http/httpClient';
import { revocationEndpointOf, revocationRequest, revokeToken } from '../../../../src/core/protocol/revocation';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';

const REVOCATION = 'https://idp.example.com/oauth/revoke';

function config(overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return {
    preset: 'generic', authorizationEndpoint: 'https://idp.example.com/oauth/authorize', tokenEndpoint: 'https://idp.example.com/oauth/token',
    apiBaseUrl: 'https://api.example.com', clientId: 'client-123', scopes: ['openid'], clientAuthMethod: 'client_secret_basic',
    usePkce: true, redirectMode: 'loopback', loopbackPort: 5000, loopbackHost: 'localhost', extraAuthorizationParams: {},
    revocationEndpoint: REVOCATION, ...overrides,
  };
}

interface Sent { url: string; form: Record<string, string>; headers: Record<string, string>; options: HttpRequestOptions | undefined }

function fakeHttp(status: number, body = ''): HttpClient & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    postForm: async (url, form, headers = {}, options) => {
      sent.push({ url, form: { ...form }, headers: { ...headers }, options });
      return { status, headers: {}, body, durationMs: 1 };
    },
    get: async () => assert.fail('revocation only POSTs'),
  };
}

describe('revocation (RFC 7009)', () => {
  it('posts the refresh token with token_type_hint and the token endpoint\'s client authentication', () => {
    const basic = revocationRequest({ config: config(), secrets: { clientSecret: 's3cret' }, token: 'rt-1', hint: 'refresh_token' });
    assert.equal(basic.url, REVOCATION);
    assert.deepEqual(basic.form, { token: 'rt-1', token_type_hint: 'refresh_token' });
    assert.equal(basic.headers.Authorization, `Basic ${Buffer.from('client-123:s3cret').toString('base64')}`);

    const post = revocationRequest({ config: config({ clientAuthMethod: 'client_secret_post' }), secrets: { clientSecret: 's3cret' }, token: 'rt-1', hint: 'refresh_token' });
    assert.deepEqual(post.form, { token: 'rt-1', token_type_hint: 'refresh_token', client_id: 'client-123', client_secret: 's3cret' });
    assert.equal(post.headers.Authorization, undefined);

    const publicClient = revocationRequest({ config: config({ clientAuthMethod: 'none' }), secrets: {}, token: 'rt-1', hint: 'refresh_token' });
    assert.deepEqual(publicClient.form, { token: 'rt-1', token_type_hint: 'refresh_token', client_id: 'client-123' });
  });

  it('knows when the provider has no revocation endpoint, and refuses to build a request without one', () => {
    assert.equal(revocationEndpointOf(config({ revocationEndpoint: undefined })), undefined);
    assert.equal(revocationEndpointOf(config({ revocationEndpoint: '  ' })), undefined);
    assert.throws(() => revocationRequest({ config: config({ revocationEndpoint: undefined }), secrets: { clientSecret: 's' }, token: 'rt', hint: 'refresh_token' }),
      /No revocation endpoint is configured/);
  });

  it('resolves on 200, which RFC 7009 also answers for an already invalid token', async () => {
    const http = fakeHttp(200);
    await revokeToken({ config: config(), secrets: { clientSecret: 's' }, token: 'rt-1', hint: 'refresh_token', http, timeoutMs: 5000 });
    assert.equal(http.sent.length, 1);
    assert.equal(http.sent[0].options?.label, 'The revocation endpoint');
    assert.equal(http.sent[0].options?.timeoutMs, 5000);
  });

  it('rejects with the provider\'s error code, or revocation_failed for another status (503 says try later)', async () => {
    const refused = async (status: number, body: string): Promise<OAuthError> => {
      const error: unknown = await revokeToken({ config: config(), secrets: { clientSecret: 's' }, token: 'rt-1', hint: 'refresh_token', http: fakeHttp(status, body) })
        .then(() => assert.fail('expected a rejection'), (caught: unknown) => caught);
      assert.ok(error instanceof OAuthError);
      return error;
    };
    const unsupported = await refused(400, '{"error":"unsupported_token_type","error_description":"no refresh tokens here"}');
    assert.equal(unsupported.code, 'unsupported_token_type');
    assert.match(unsupported.message, /The provider answered unsupported_token_type: no refresh tokens here/);
    assert.equal((await refused(401, '{"error":"invalid_client"}')).code, 'invalid_client');
    const unavailable = await refused(503, '<html>busy</html>');
    assert.equal(unavailable.code, 'revocation_failed');
    assert.match(unavailable.message, /HTTP 503: the provider could not revoke the token now/);
    assert.match(unavailable.message, /stay valid until they expire/);
    assert.equal((await refused(404, '')).status, 404);
  });
});
