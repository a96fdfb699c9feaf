import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import {
  authorizationCodeTokenRequest,
  clientAuthentication,
  exchangeAuthorizationCode,
  refreshAccessToken,
} from '../../../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets, ClientAuthMethod } from '../../../../src/core/providers/appConfiguration';
import { FakeHttpClient, jsonResponse, textResponse, type FakeAnswer } from '../../support/fakeHttpClient';

const NOW = 1_700_000_000_000;
const CODE = 'authorization-code-0123456789';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const SECRET = 'application-secret-0123456789';
const ACCESS_TOKEN = 'access-token-value-0123456789';
const REFRESH_TOKEN = 'refresh-token-value-0123456789';
const REDIRECT_URI = 'http://localhost:5000/callback';
const SECRETS: AppSecrets = { clientSecret: SECRET, subscriptionKey: 'subscription-key' };

function config(clientAuthMethod: ClientAuthMethod = 'client_secret_basic', overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return {
    preset: 'sky',
    authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization',
    tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token',
    apiBaseUrl: 'https://api.sky.blackbaud.com',
    clientId: 'client-id',
    scopes: [],
    clientAuthMethod,
    usePkce: true,
    redirectMode: 'loopback',
    loopbackPort: 5000,
    loopbackHost: 'localhost',
    extraAuthorizationParams: {},
    ...overrides,
  };
}

const TOKEN_BODY = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, refresh_token: REFRESH_TOKEN };

function exchange(http: FakeHttpClient, method: ClientAuthMethod = 'client_secret_basic', secrets: AppSecrets = SECRETS) {
  return exchangeAuthorizationCode({ config: config(method), secrets, code: CODE, redirectUri: REDIRECT_URI, codeVerifier: VERIFIER, http, now: () => NOW });
}

function basicCredentials(header: string | undefined): string {
  assert.ok(header !== undefined && header.startsWith('Basic '), `Authorization header ${String(header)}`);
  return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
}

describe('exchangeAuthorizationCode', () => {
  it('posts the code grant with HTTP Basic client authentication by default', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    const tokens = await exchange(http);
    const request = http.onlyRequest;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'https://oauth2.sky.blackbaud.com/token');
    assert.deepEqual(request.form, {
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT_URI,
      code_verifier: VERIFIER,
    });
    assert.equal(request.headers.Accept, 'application/json');
    assert.equal(basicCredentials(request.headers.Authorization), `client-id:${SECRET}`);
    assert.equal(request.options.label, 'The token endpoint');
    assert.equal(tokens.accessToken, ACCESS_TOKEN);
    assert.equal(tokens.refreshToken, REFRESH_TOKEN);
    assert.equal(tokens.expiresAt, NOW + 3_600_000);
  });

  it('form-urlencodes client_id and secret inside Basic credentials (RFC 6749 §2.3.1) for the generic and sandbox presets', () => {
    for (const overrides of [{ preset: 'generic' }, { preset: 'sandbox' }, { basicCredentialEncoding: 'form-urlencoded' }] as const) {
      const request = authorizationCodeTokenRequest({
        config: config('client_secret_basic', { clientId: 'my client:1', ...overrides }),
        secrets: { clientSecret: 'p+s/w=&%é ~*' },
        code: CODE,
        redirectUri: REDIRECT_URI,
      });
      assert.equal(basicCredentials(request.headers.Authorization), 'my+client%3A1:p%2Bs%2Fw%3D%26%25%C3%A9+%7E*', JSON.stringify(overrides));
      assert.equal(request.form.client_id, undefined);
      assert.equal(request.form.client_secret, undefined);
      assert.equal(request.form.code_verifier, undefined, 'no verifier when the request had none');
    }
  });

  it('sends SKY API the raw ID and secret inside Basic credentials, as Blackbaud documents and its samples send them', () => {
    const grant = { secrets: { clientSecret: 'p+s/w==' }, code: CODE, redirectUri: REDIRECT_URI };
    const sky = authorizationCodeTokenRequest({ ...grant, config: config('client_secret_basic') });
    assert.equal(sky.headers.Authorization, `Basic ${Buffer.from('client-id:p+s/w==').toString('base64')}`);
    const generic = authorizationCodeTokenRequest({ ...grant, config: config('client_secret_basic', { preset: 'generic', basicCredentialEncoding: 'raw' }) });
    assert.equal(basicCredentials(generic.headers.Authorization), 'client-id:p+s/w==', 'the configuration\'s encoding wins over the preset\'s');
  });

  it('sends client_id and client_secret in the body for client_secret_post', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    await exchange(http, 'client_secret_post');
    const request = http.onlyRequest;
    assert.equal(request.headers.Authorization, undefined);
    assert.equal(request.form?.client_id, 'client-id');
    assert.equal(request.form?.client_secret, SECRET);
  });

  it('sends only client_id for a public client, even when a secret is stored', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    await exchange(http, 'none');
    const request = http.onlyRequest;
    assert.equal(request.headers.Authorization, undefined);
    assert.equal(request.form?.client_id, 'client-id');
    assert.equal(request.form?.client_secret, undefined);
    assert.equal(request.form?.code_verifier, VERIFIER);
  });

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`tells the user to run Configure App when ${method} has no secret`, async () => {
      const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
      await assert.rejects(exchange(http, method, {}), (error: unknown) => {
        assert.ok(error instanceof OAuthError);
        assert.equal(error.code, 'missing_client_secret');
        assert.match(error.message, new RegExp(`"${method}" needs the application secret`));
        assert.match(error.message, /Run Configure App/);
        return true;
      });
      assert.equal(http.requests.length, 0);
    });
  }

  it('refuses an empty client ID', () => {
    assert.throws(() => clientAuthentication(config('none', { clientId: ' ' }), SECRETS), /client_id/);
  });

  it('passes timeout and cancellation through to the HTTP client', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    const controller = new AbortController();
    await exchangeAuthorizationCode({
      config: config(),
      secrets: SECRETS,
      code: CODE,
      redirectUri: REDIRECT_URI,
      http,
      timeoutMs: 2500,
      signal: controller.signal,
    });
    assert.equal(http.onlyRequest.options.timeoutMs, 2500);
    assert.equal(http.onlyRequest.options.signal, controller.signal);
  });

  describe('token endpoint faults', () => {
    const faults: Array<{ name: string; answer: FakeAnswer; code: string; message: RegExp }> = [
      {
        name: '400 invalid_grant',
        answer: jsonResponse(400, { error: 'invalid_grant', error_description: 'The code has expired' }),
        code: 'invalid_grant',
        message: /authorization code expired or was already used; authorize again/,
      },
      {
        name: '401 invalid_client',
        answer: jsonResponse(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' }),
        code: 'invalid_client',
        message: /application ID and secret/,
      },
      {
        name: '500 HTML',
        answer: textResponse(500, '<html><body><h1>Internal Server Error</h1></body></html>', 'text/html'),
        code: 'http_error',
        message: /HTTP 500.*Internal Server Error/,
      },
      {
        // Form-encoded bodies are read only when the Content-Type says so (GitHub's); text/plain is not JSON.
        name: 'non-JSON 200',
        answer: textResponse(200, `access_token=${ACCESS_TOKEN}&token_type=bearer`, 'text/plain'),
        code: 'invalid_token_response',
        message: /is not JSON/,
      },
      {
        name: 'missing access_token',
        answer: jsonResponse(200, { token_type: 'Bearer', refresh_token: REFRESH_TOKEN }),
        code: 'invalid_token_response',
        message: /no access_token/,
      },
      {
        name: 'token_type mac',
        answer: jsonResponse(200, { access_token: ACCESS_TOKEN, token_type: 'mac', mac_key: 'k' }),
        code: 'invalid_token_response',
        message: /"mac"/,
      },
      {
        name: 'timeout',
        answer: new OAuthError({ code: 'timeout', description: 'The token endpoint (oauth2.sky.blackbaud.com) did not answer within 15 s.' }),
        code: 'timeout',
        message: /did not answer within 15 s\. Check the URL or your network\./,
      },
      {
        name: 'connection refused',
        answer: new OAuthError({ code: 'network_error', description: 'The token endpoint (127.0.0.1:9) refused the connection.' }),
        code: 'network_error',
        message: /refused the connection/,
      },
    ];

    for (const fault of faults) {
      it(`reports ${fault.name} as ${fault.code} without leaking secrets`, async () => {
        const http = new FakeHttpClient(() => fault.answer);
        await assert.rejects(exchange(http), (error: unknown) => {
          assert.ok(error instanceof OAuthError, String(error));
          assert.equal(error.code, fault.code);
          assert.match(error.message, fault.message);
          assert.doesNotMatch(error.message, /\n/);
          for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, CODE, VERIFIER, SECRET]) {
            assert.ok(!error.message.includes(secret), `message leaks ${secret.slice(0, 12)}: ${error.message}`);
          }
          return true;
        });
      });
    }
  });
});

describe('refreshAccessToken', () => {
  function refresh(http: FakeHttpClient, preserveRefreshToken?: boolean) {
    return refreshAccessToken({
      config: config(),
      secrets: SECRETS,
      refreshToken: REFRESH_TOKEN,
      refreshTokenExpiresAt: NOW + 5000,
      ...(preserveRefreshToken === undefined ? {} : { preserveRefreshToken }),
      http,
      now: () => NOW,
    });
  }

  it('posts the refresh grant with client authentication', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    await refresh(http);
    assert.deepEqual(http.onlyRequest.form, { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
    assert.equal(basicCredentials(http.onlyRequest.headers.Authorization), `client-id:${SECRET}`);
  });

  it('sends SKY\'s preserve_refresh_token=true when asked', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    await refresh(http, true);
    assert.equal(http.onlyRequest.form?.preserve_refresh_token, 'true');
  });

  it('keeps the old refresh token when the response has none', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, { access_token: 'fresh-access', token_type: 'Bearer', expires_in: 60 }));
    const tokens = await refresh(http);
    assert.equal(tokens.accessToken, 'fresh-access');
    assert.equal(tokens.refreshToken, REFRESH_TOKEN);
    assert.equal(tokens.refreshTokenExpiresAt, NOW + 5000);
  });

  it('keeps the old refresh token and its stated lifetime when preserve_refresh_token is sent and none comes back', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, { access_token: 'fresh-access', token_type: 'bearer', expires_in: 3600 }));
    const tokens = await refreshAccessToken({
      config: config(), secrets: SECRETS, refreshToken: REFRESH_TOKEN, refreshTokenExpiresAt: NOW + 5000,
      refreshTokenExpiresIn: 31_536_000, preserveRefreshToken: true, http, now: () => NOW,
    });
    assert.equal(http.onlyRequest.form?.preserve_refresh_token, 'true');
    assert.equal(tokens.refreshToken, REFRESH_TOKEN);
    assert.equal(tokens.refreshTokenExpiresAt, NOW + 5000);
    assert.equal(tokens.refreshTokenExpiresIn, 31_536_000);
    assert.equal(tokens.tokenType, 'bearer');
  });

  it('takes a rotated refresh token', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, { ...TOKEN_BODY, refresh_token: 'rotated-refresh' }));
    assert.equal((await refresh(http)).refreshToken, 'rotated-refresh');
  });

  it('refuses to refresh without a refresh token', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, TOKEN_BODY));
    await assert.rejects(
      refreshAccessToken({ config: config(), secrets: SECRETS, refreshToken: '', http }),
      (error: unknown) => error instanceof OAuthError && error.code === 'no_refresh_token' && /offline_access/.test(error.message),
    );
    assert.equal(http.requests.length, 0);
  });

  it('reports a consumed refresh token as invalid_grant', async () => {
    const http = new FakeHttpClient(() => jsonResponse(400, { error: 'invalid_grant', error_description: 'grant request is invalid' }));
    await assert.rejects(refresh(http), (error: unknown) => error instanceof OAuthError && error.code === 'invalid_grant');
  });
});
