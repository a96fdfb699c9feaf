import * as assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';

import { OAuthError } from '../../src/core/errors/oauthError';
import { createHttpClient, type HttpClient } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest, type AuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { revokeToken } from '../../src/core/protocol/revocation';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets } from '../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import { decodeJwt } from '../../src/core/tokens/jwt';
import { createIdTokenVerifier } from '../../src/core/tokens/idTokenValidation';
import { storeAfterIdTokenCheck, withIdTokenChecked, type IdTokenFlow, type IdTokenVerifier } from '../../src/core/tokens/idTokenVerification';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { expectOAuthError } from '../support/expectOAuthError';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox, type SandboxClient, type SandboxInfo } from '../support/sandbox';

// OpenID Connect Core §3.1.3.7 against REAL ID tokens: the sandbox (oidc-provider) signs them with its own
// key, published at its jwks_uri; the extension's check reads jwks_uri from the sandbox's
// /.well-known/openid-configuration and verifies with jose. Tampered copies of those tokens are refused with
// the claim named, and the function that stores a token set (storeAfterIdTokenCheck) never stores them.
// Then RFC 7009: a revoked refresh token no longer refreshes.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;
const OPENID_SCOPES = ['openid', 'api', 'offline_access'];

interface OpenIdFlow {
  config: AppConfiguration;
  secrets: AppSecrets;
  request: AuthorizationRequest;
  tokens: TokenSet;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An HTTP client that counts the GETs for the issuer's keys, so the single refetch can be seen. */
function countingHttp(inner: HttpClient): HttpClient & { keyReads: () => number; reset: () => void } {
  let reads = 0;
  return {
    postForm: (...args) => inner.postForm(...args),
    get: (url, headers, options) => {
      if (url.endsWith('/jwks')) reads++;
      return inner.get(url, headers, options);
    },
    keyReads: () => reads,
    reset: () => { reads = 0; },
  };
}

describe('ID-token validation against the sandbox\'s real ID tokens', function () {
  let sandbox: Sandbox;
  let info: SandboxInfo;
  const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });
  const keysHttp = countingHttp(http);
  let verifier: IdTokenVerifier;
  let flow: OpenIdFlow;

  function configFor(client: SandboxClient): AppConfiguration {
    return configurationFromPreset(presetById('sandbox'), {
      ...sandboxOverrides(info), clientId: client.client_id, clientAuthMethod: client.token_endpoint_auth_method,
      scopes: OPENID_SCOPES, loopbackPort: 0, redirectMode: 'loopback',
    });
  }

  async function authorizeOpenId(client: SandboxClient): Promise<OpenIdFlow> {
    const config = configFor(client);
    const secrets: AppSecrets = client.client_secret === undefined ? {} : { clientSecret: client.client_secret };
    const request = buildAuthorizationRequest(config, REDIRECT_URI);
    const callback = await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
    const code = callback.searchParams.get('code');
    assert.ok(code, callback.href);
    const tokens = await exchangeAuthorizationCode({
      config, secrets, code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier, http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assert.ok(tokens.idToken, 'the sandbox returns an ID token for openid');
    return { config, secrets, request, tokens };
  }

  /** The token set with `idToken` replaced, checked the way Authorize App checks it; nothing may be stored. */
  async function refusedAndNothingStored(
    idToken: string, claim: string, overrides: { app?: Partial<AppConfiguration>; flow?: IdTokenFlow; now?: number } = {},
  ): Promise<OAuthError> {
    const stored: TokenSet[] = [];
    const error = await expectOAuthError(() => storeAfterIdTokenCheck({ ...flow.tokens, idToken }, { ...flow.config, ...overrides.app },
      overrides.flow ?? { kind: 'authorization', nonce: flow.request.nonce as string },
      { loadVerifier: async () => verifier, store: async (set) => { stored.push(set); }, now: () => overrides.now ?? Date.now() }));
    assert.equal(error.code, 'invalid_id_token', error.message);
    assert.match(error.message, new RegExp(`^The ID token was refused \\(${claim}\\) and nothing was stored: `), error.message);
    assert.deepEqual(stored, [], 'nothing stored');
    return error;
  }

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox();
    info = sandbox.info;
    verifier = createIdTokenVerifier(() => keysHttp);
    flow = await authorizeOpenId(info.clients.basic);
  });

  after(async function () {
    this.timeout(15_000);
    await sandbox?.stop();
  });

  it('sends a nonce, gets it back in a signed ID token, verifies it with the issuer\'s published key and stores it', async function () {
    const claims = decodeJwt(flow.tokens.idToken as string)?.claims;
    assert.ok(flow.request.nonce);
    assert.equal(new URL(flow.request.url).searchParams.get('nonce'), flow.request.nonce);
    assert.equal(claims?.nonce, flow.request.nonce);
    assert.equal(claims?.iss, info.issuer);
    assert.equal(claims?.aud, info.clients.basic.client_id);

    // The key set comes from the sandbox's published jwks_uri, as in Configure App, not from a discovery request.
    assert.equal(flow.config.jwksUri, info.jwks_uri);
    const published = JSON.parse((await http.get(info.jwks_uri)).body) as { keys: Array<{ kid: string }> };
    const stored: TokenSet[] = [];
    const checked = await storeAfterIdTokenCheck(flow.tokens, flow.config, { kind: 'authorization', nonce: flow.request.nonce },
      { loadVerifier: async () => verifier, store: async (set) => { stored.push(set); }, now: Date.now });
    assert.deepEqual(stored, [checked]);
    assert.equal(checked.idTokenVerification?.status, 'verified');
    assert.ok(checked.idTokenVerification?.status === 'verified');
    assert.equal(checked.idTokenVerification.alg, 'RS256');
    assert.equal(checked.idTokenVerification.keyId, published.keys[0].kid);
    assert.equal(checked.idTokenVerification.issuer, info.issuer);
    assert.doesNotMatch(JSON.stringify(checked.idTokenVerification), new RegExp(flow.tokens.accessToken), 'no token in the outcome');
  });

  it('refuses an altered signature', async function () {
    const [header, payload, signature] = (flow.tokens.idToken as string).split('.');
    const altered = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    await refusedAndNothingStored(`${header}.${payload}.${altered}`, 'signature', {});
    const claims = decodeJwt(flow.tokens.idToken as string)?.claims;
    await refusedAndNothingStored(`${header}.${base64url({ ...claims, sub: 'someone-else' })}.${signature}`, 'signature');
  });

  it('refuses a token issued to another client (aud)', async function () {
    const other = await authorizeOpenId(info.clients.post);
    await refusedAndNothingStored(other.tokens.idToken as string, 'aud');
  });

  it('refuses an iss that is not the configured issuer, exactly (a trailing slash differs)', async function () {
    const error = await refusedAndNothingStored(flow.tokens.idToken as string, 'iss', { app: { issuer: `${info.issuer}/`, jwksUri: `${info.issuer}/jwks` } });
    assert.match(error.message, /trailing slash included/);
  });

  it('refuses a nonce that is not the one this request sent (a replayed token)', async function () {
    await refusedAndNothingStored(flow.tokens.idToken as string, 'nonce', { flow: { kind: 'authorization', nonce: 'a-nonce-of-another-request' } });
  });

  it('refuses an expired token (exp, beyond the 30 s skew)', async function () {
    const exp = decodeJwt(flow.tokens.idToken as string)?.claims.exp as number;
    await refusedAndNothingStored(flow.tokens.idToken as string, 'exp', { now: exp * 1000 + 31_000 });
  });

  it('refuses alg none', async function () {
    const [, payload] = (flow.tokens.idToken as string).split('.');
    await refusedAndNothingStored(`${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`, 'alg');
  });

  it('refuses an HS256 token whose HMAC key is the issuer\'s public key (key confusion)', async function () {
    const jwks = JSON.parse((await http.get(`${info.issuer}/jwks`)).body) as { keys: Array<Record<string, string>> };
    const pem = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const [, payload] = (flow.tokens.idToken as string).split('.');
    const header = base64url({ alg: 'HS256', typ: 'JWT', kid: jwks.keys[0].kid });
    const mac = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url');
    const error = await refusedAndNothingStored(`${header}.${payload}.${mac}`, 'alg');
    assert.match(error.message, /HMAC key confusion/);
  });

  it('reads the keys once more for an unknown kid, then refuses naming it', async function () {
    const [header, payload, signature] = (flow.tokens.idToken as string).split('.');
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    // A fresh verifier, so the count does not depend on what earlier tests read.
    verifier = createIdTokenVerifier(() => keysHttp);
    keysHttp.reset();
    const error = await refusedAndNothingStored(`${base64url({ ...decodedHeader, kid: 'rotated-away' })}.${payload}.${signature}`, 'kid');
    assert.match(error.message, /key id "rotated-away"/);
    assert.equal(keysHttp.keyReads(), 2, 'the keys read once, then once more for the unknown kid, then no more');
  });

  it('verifies the ID token of a refresh response without a nonce (§12.2)', async function () {
    const own = await authorizeOpenId(info.clients.basic);
    const refreshed = await refreshAccessToken({
      config: own.config, secrets: own.secrets, refreshToken: own.tokens.refreshToken as string, http, timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assert.ok(refreshed.idToken, 'oidc-provider returns a new ID token on refresh');
    const checked = await withIdTokenChecked(refreshed, own.config, { kind: 'refresh', previous: own.tokens },
      { loadVerifier: async () => verifier, now: Date.now });
    assert.equal(checked.idTokenVerification?.status, 'verified');
    const original = decodeJwt(own.tokens.idToken as string)?.claims;
    const renewed = decodeJwt(refreshed.idToken)?.claims;
    assert.equal(renewed?.sub, original?.sub);
    // oidc-provider repeats the original nonce, which §12.2 allows; a different one would be refused.
    assert.equal(renewed?.nonce, original?.nonce);
    const otherOriginal = { ...own.tokens, idToken: `${base64url({ alg: 'RS256' })}.${base64url({ ...original, nonce: 'another' })}.x` };
    const stored: TokenSet[] = [];
    const error = await expectOAuthError(() => storeAfterIdTokenCheck(refreshed, own.config, { kind: 'refresh', previous: otherOriginal },
      { loadVerifier: async () => verifier, store: async (set) => { stored.push(set); }, now: Date.now }));
    assert.match(error.message, /refused \(nonce\).*§12\.2/);
    assert.deepEqual(stored, []);
  });
});

describe('Token revocation (RFC 7009) against the sandbox', function () {
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

  for (const clientName of ['basic', 'post', 'public'] as const) {
    it(`revokes the refresh token (${clientName} client authentication), which then no longer refreshes`, async function () {
      const client = info.clients[clientName];
      // The revocation endpoint comes from the sandbox's published information, as in Configure App.
      const config = configurationFromPreset(presetById('sandbox'), {
        ...sandboxOverrides(info), clientId: client.client_id, clientAuthMethod: client.token_endpoint_auth_method, loopbackPort: 0,
      });
      assert.equal(config.revocationEndpoint, info.revocation_endpoint);
      const secrets: AppSecrets = client.client_secret === undefined ? {} : { clientSecret: client.client_secret };
      const request = buildAuthorizationRequest(config, REDIRECT_URI);
      const code = (await consentHeadlessly(request.url, { requestTimeoutMs: REQUEST_TIMEOUT_MS })).searchParams.get('code') as string;
      const tokens = await exchangeAuthorizationCode({
        config, secrets, code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier, http, timeoutMs: REQUEST_TIMEOUT_MS,
      });
      assert.ok(tokens.refreshToken);

      await revokeToken({ config, secrets, token: tokens.refreshToken, hint: 'refresh_token', http, timeoutMs: REQUEST_TIMEOUT_MS });
      const error = await expectOAuthError(() => refreshAccessToken({ config, secrets, refreshToken: tokens.refreshToken as string, http, timeoutMs: REQUEST_TIMEOUT_MS }));
      assert.equal(error.code, 'invalid_grant');
      // RFC 7009 §2.2: an already invalid token is answered 200 too.
      await revokeToken({ config, secrets, token: tokens.refreshToken, hint: 'refresh_token', http, timeoutMs: REQUEST_TIMEOUT_MS });
    });
  }

  it('reports the provider\'s refusal of wrong client credentials by its code', async function () {
    const client = info.clients.basic;
    const config = configurationFromPreset(presetById('sandbox'), { ...sandboxOverrides(info), clientId: client.client_id, loopbackPort: 0 });
    const error = await expectOAuthError(() => revokeToken({ config, secrets: { clientSecret: 'wrong' }, token: 'whatever', hint: 'refresh_token', http }));
    assert.equal(error.code, 'invalid_client');
  });
});
