import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import type { HttpClient, HttpResponse } from '../../../../src/core/http/httpClient';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import {
  createIdTokenVerifier, discoverJwksUri, ID_TOKEN_CLOCK_SKEW_SECONDS, parseJwks, validateIdToken, type KeySource,
} from '../../../../src/core/tokens/idTokenValidation';
import type { IdTokenExpectations } from '../../../../src/core/tokens/idTokenVerification';

// OpenID Connect Core §3.1.3.7 against tokens signed here with a real key pair; the sandbox tests do the
// same with the provider's own tokens.

const ISSUER = 'https://idp.example.com';
const CLIENT_ID = 'client-123';
const NONCE = 'n-0S6_WzA2Mj';
const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const NOW_S = NOW / 1000;

interface Signer {
  jwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

let signer: Signer;
let other: Signer;

async function newSigner(kid: string): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, privateKey };
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, exp: NOW_S + 300, iat: NOW_S - 5, nonce: NONCE, ...overrides };
}

function sign(payload: JWTPayload, key: Signer = signer, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid as string, ...header }).sign(key.privateKey);
}

function expectations(overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations {
  return { issuer: ISSUER, clientId: CLIENT_ID, nonce: { value: NONCE, required: true }, now: NOW, ...overrides };
}

function keysOf(...sets: JSONWebKeySet[]): KeySource & { reads: number } {
  const source = {
    reads: 0,
    current: async () => { source.reads++; return sets[0]; },
    refetch: async () => { source.reads++; return sets[Math.min(source.reads - 1, sets.length - 1)]; },
  };
  return source;
}

async function refused(promise: Promise<unknown>, claim: string, detail?: RegExp): Promise<OAuthError> {
  const error = await promise.then(() => assert.fail('expected a refusal'), (caught: unknown) => caught);
  assert.ok(error instanceof OAuthError, String(error));
  assert.equal(error.code, 'invalid_id_token');
  assert.match(error.message, new RegExp(`The ID token was refused \\(${claim}\\) and nothing was stored`), error.message);
  if (detail) assert.match(error.message, detail);
  return error;
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

describe('validateIdToken (OpenID Connect Core §3.1.3.7)', () => {
  before(async () => {
    signer = await newSigner('key-1');
    other = await newSigner('key-2');
  });

  it('accepts a token signed by the issuer\'s key with every claim right, and says which key and algorithm', async () => {
    const verified = await validateIdToken(await sign(claims()), expectations(), keysOf({ keys: [signer.jwk] }));
    assert.deepEqual(verified, { alg: 'RS256', keyId: 'key-1' });
  });

  it('refuses an altered signature, and altered claims under the original signature', async () => {
    const token = await sign(claims());
    const [header, payload, signature] = token.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await refused(validateIdToken(flipped, expectations(), keysOf({ keys: [signer.jwk] })), 'signature', /does not verify with the issuer's key "key-1"/);
    const forged = `${header}.${base64url(claims({ sub: 'admin' }))}.${signature}`;
    await refused(validateIdToken(forged, expectations(), keysOf({ keys: [signer.jwk] })), 'signature');
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const impostor = await sign(claims(), other, { kid: 'key-1' });
    await refused(validateIdToken(impostor, expectations(), keysOf({ keys: [signer.jwk] })), 'signature');
  });

  it('refuses alg none by name, before any key is read', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    const keys = keysOf({ keys: [signer.jwk] });
    await refused(validateIdToken(unsigned, expectations(), keys), 'alg', /"none": it is not signed/);
    assert.equal(keys.reads, 0);
  });

  it('refuses an HS256 token "signed" with the issuer\'s public key (HMAC key confusion)', async () => {
    const header = base64url({ alg: 'HS256', kid: 'key-1' });
    const payload = base64url(claims());
    const publicKeyAsSecret = JSON.stringify(signer.jwk);
    const mac = createHmac('sha256', publicKeyAsSecret).update(`${header}.${payload}`).digest('base64url');
    await refused(validateIdToken(`${header}.${payload}.${mac}`, expectations(), keysOf({ keys: [signer.jwk] })), 'alg', /HMAC key confusion/);
  });

  it('refuses a wrong iss and names the configured issuer', async () => {
    await refused(validateIdToken(await sign(claims({ iss: 'https://evil.example' })), expectations(), keysOf({ keys: [signer.jwk] })),
      'iss', /iss "https:\/\/evil\.example" is not the configured issuer "https:\/\/idp\.example\.com"/);
  });

  it('refuses an aud without the client ID', async () => {
    await refused(validateIdToken(await sign(claims({ aud: 'someone-else' })), expectations(), keysOf({ keys: [signer.jwk] })),
      'aud', /does not contain the application ID "client-123"/);
  });

  it('requires azp when there are several audiences, and azp to be the client when present', async () => {
    const keys = { keys: [signer.jwk] };
    await refused(validateIdToken(await sign(claims({ aud: [CLIENT_ID, 'api'] })), expectations(), keysOf(keys)), 'azp', /several audiences/);
    await refused(validateIdToken(await sign(claims({ aud: [CLIENT_ID, 'api'], azp: 'api' })), expectations(), keysOf(keys)), 'azp', /azp "api"/);
    await refused(validateIdToken(await sign(claims({ azp: 'other' })), expectations(), keysOf(keys)), 'azp');
    assert.ok(await validateIdToken(await sign(claims({ aud: [CLIENT_ID, 'api'], azp: CLIENT_ID })), expectations(), keysOf(keys)));
  });

  it('refuses an expired token beyond the 30 s skew, and accepts one within it', async () => {
    assert.equal(ID_TOKEN_CLOCK_SKEW_SECONDS, 30);
    const keys = { keys: [signer.jwk] };
    await refused(validateIdToken(await sign(claims({ exp: NOW_S - 31 })), expectations(), keysOf(keys)), 'exp', /expired at .* Check this computer's clock/);
    assert.ok(await validateIdToken(await sign(claims({ exp: NOW_S - 29 })), expectations(), keysOf(keys)));
  });

  it('refuses an iat in the future beyond the skew', async () => {
    const keys = { keys: [signer.jwk] };
    await refused(validateIdToken(await sign(claims({ iat: NOW_S + 120 })), expectations(), keysOf(keys)), 'iat', /in the future/);
    assert.ok(await validateIdToken(await sign(claims({ iat: NOW_S + 20 })), expectations(), keysOf(keys)));
  });

  it('refuses a token without a required claim, naming it', async () => {
    for (const claim of ['sub', 'iat', 'exp'] as const) {
      const payload = claims();
      delete payload[claim];
      await refused(validateIdToken(await sign(payload), expectations(), keysOf({ keys: [signer.jwk] })), claim, /OpenID Connect Core §2/);
    }
  });

  it('requires the request\'s nonce: wrong or missing is refused', async () => {
    const keys = { keys: [signer.jwk] };
    await refused(validateIdToken(await sign(claims({ nonce: 'another' })), expectations(), keysOf(keys)), 'nonce', /another request \(a replay\)/);
    await refused(validateIdToken(await sign(claims({ nonce: undefined })), expectations(), keysOf(keys)), 'nonce', /has no nonce/);
  });

  it('for a refresh (§12.2) needs no nonce, but one that is present must be the original, and sub must not change', async () => {
    const keys = { keys: [signer.jwk] };
    const refresh = expectations({ nonce: { value: NONCE, required: false }, subject: 'user-1' });
    assert.ok(await validateIdToken(await sign(claims({ nonce: undefined })), refresh, keysOf(keys)));
    await refused(validateIdToken(await sign(claims({ nonce: 'x' })), refresh, keysOf(keys)), 'nonce', /§12\.2/);
    await refused(validateIdToken(await sign(claims({ sub: 'user-2' })), refresh, keysOf(keys)), 'sub', /§12\.2/);
  });

  it('reads the keys once more for an unknown kid (a rotation), then refuses naming the kid', async () => {
    const rotated = await sign(claims(), other);
    const afterRotation = keysOf({ keys: [signer.jwk] }, { keys: [signer.jwk, other.jwk] });
    assert.deepEqual(await validateIdToken(rotated, expectations(), afterRotation), { alg: 'RS256', keyId: 'key-2' });
    assert.equal(afterRotation.reads, 2);

    const unknown = await sign(claims(), other, { kid: 'key-unknown' });
    const never = keysOf({ keys: [signer.jwk, other.jwk] });
    await refused(validateIdToken(unknown, expectations(), never), 'kid', /key id "key-unknown".*even after reading them again/);
    assert.equal(never.reads, 2, 'read once more, not forever');
  });

  it('refuses what is not a JWS at all', async () => {
    await refused(validateIdToken('not-a-jwt', expectations(), keysOf({ keys: [] })), 'signature', /not a signed JWT/);
  });
});

describe('parseJwks', () => {
  it('refuses a malformed key set naming the field', () => {
    const url = 'https://idp.example.com/jwks';
    const cases: Array<[string, RegExp]> = [
      ['[]', /is not a JSON object/],
      ['{"keys":{}}', /no keys array \(field keys\)/],
      ['{"keys":[1]}', /keys\[0\] that is not an object/],
      ['{"keys":[{"kid":"a"}]}', /keys\[0\] without a string kty/],
      ['{"keys":[{"kty":"RSA","kid":7}]}', /keys\[0\]\.kid that is not a string/],
      ['<html>', /is not JSON/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseJwks(body, url), (error: unknown) => error instanceof OAuthError && error.code === 'invalid_jwks' && message.test(error.message), body);
    }
    assert.deepEqual(parseJwks('{"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]}', url), { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] });
  });
});

/** An HttpClient that serves fixed documents and counts the requests. */
function fakeHttp(routes: Record<string, () => { status: number; body: unknown }>): HttpClient & { requested: string[] } {
  const requested: string[] = [];
  const answer = async (url: string): Promise<HttpResponse> => {
    requested.push(url);
    const route = routes[url];
    const { status, body } = route ? route() : { status: 404, body: 'not found' };
    return { status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body), durationMs: 1 };
  };
  return { requested, get: answer, postForm: answer };
}

describe('createIdTokenVerifier and discoverJwksUri', () => {
  it('finds jwks_uri in the issuer\'s OpenID configuration, then reuses the keys for the next token', async () => {
    const http = fakeHttp({
      [`${ISSUER}/.well-known/openid-configuration`]: () => ({ status: 200, body: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } }),
      [`${ISSUER}/jwks`]: () => ({ status: 200, body: { keys: [signer.jwk] } }),
    });
    const verifier = createIdTokenVerifier(() => http);
    assert.deepEqual(await verifier.verify(await sign(claims()), expectations()), { alg: 'RS256', keyId: 'key-1' });
    assert.deepEqual(await verifier.verify(await sign(claims()), expectations()), { alg: 'RS256', keyId: 'key-1' });
    assert.deepEqual(http.requested, [`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/jwks`]);
  });

  it('uses the configured jwksUri without discovery, and makes no request for an unsigned token', async () => {
    const http = fakeHttp({ [`${ISSUER}/keys`]: () => ({ status: 200, body: { keys: [signer.jwk] } }) });
    const verifier = createIdTokenVerifier(() => http);
    await verifier.verify(await sign(claims()), expectations({ jwksUri: `${ISSUER}/keys` }));
    assert.deepEqual(http.requested, [`${ISSUER}/keys`]);
    await refused(verifier.verify(`${base64url({ alg: 'none' })}.${base64url(claims())}.`, expectations({ jwksUri: `${ISSUER}/keys` })), 'alg');
    assert.equal(http.requested.length, 1);
  });

  it('refuses a configuration for another issuer, one without jwks_uri, and a key set over plain http', async () => {
    const http = fakeHttp({
      [`${ISSUER}/.well-known/openid-configuration`]: () => ({ status: 200, body: { issuer: 'https://other.example' } }),
      'https://b.example/.well-known/openid-configuration': () => ({ status: 200, body: { issuer: 'https://b.example' } }),
      'https://c.example/.well-known/openid-configuration': () => ({ status: 200, body: { issuer: 'https://c.example', jwks_uri: 'http://c.example/jwks' } }),
    });
    await assert.rejects(discoverJwksUri(http, ISSUER), /names the issuer "https:\/\/other\.example", not "https:\/\/idp\.example\.com" \(field issuer\)/);
    await assert.rejects(discoverJwksUri(http, 'https://b.example'), /has no jwks_uri \(field jwks_uri\)/);
    await assert.rejects(discoverJwksUri(http, 'https://c.example'), /is not an https URL/);
    await assert.rejects(discoverJwksUri(http, 'https://d.example'), /answered HTTP 404/);
  });

  it('refuses a malformed key document naming the field', async () => {
    const http = fakeHttp({ [`${ISSUER}/keys`]: () => ({ status: 200, body: { keys: [{ kid: 'key-1' }] } }) });
    await assert.rejects(createIdTokenVerifier(() => http).verify(await sign(claims()), expectations({ jwksUri: `${ISSUER}/keys` })),
      /keys\[0\] without a string kty/);
  });
});
