import * as assert from 'node:assert/strict';
import { OAuthError, ProviderError } from '../../../../src/core/errors/oauthError';
import {
  idTokenCheckFor, idTokenVerificationWords, storeAfterIdTokenCheck, type IdTokenApp, type IdTokenExpectations, type IdTokenVerifier,
} from '../../../../src/core/tokens/idTokenVerification';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

// The decision around the signature check: when an ID token is verified, with what, and that a failed
// check stores nothing. The verifier is a fake here; idTokenValidation.test.ts and the sandbox tests
// exercise the real one.

const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const APP: IdTokenApp = { issuer: 'https://idp.example.com', clientId: 'client-123', scopes: ['openid', 'offline_access'] };

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2ln`;
}

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: 'access-1', tokenType: 'Bearer', obtainedAt: NOW, extra: {}, idToken: jwt({ sub: 'u1', nonce: 'n1' }), ...overrides };
}

function recordingVerifier(outcome: 'pass' | 'fail'): IdTokenVerifier & { calls: IdTokenExpectations[] } {
  const calls: IdTokenExpectations[] = [];
  return {
    calls,
    verify: async (_token, expected) => {
      calls.push(expected);
      if (outcome === 'fail') throw new ProviderError({ code: 'invalid_id_token', description: 'The ID token was refused (aud) and nothing was stored: test.' });
      return { alg: 'RS256', keyId: 'k1' };
    },
  };
}

describe('idTokenCheckFor', () => {
  it('verifies against the issuer with the request\'s nonce (required) after an authorization', () => {
    assert.deepEqual(idTokenCheckFor(tokens(), { ...APP, jwksUri: 'https://idp.example.com/jwks' }, { kind: 'authorization', nonce: 'n1' }, NOW), {
      kind: 'verify',
      expectations: { issuer: APP.issuer, clientId: 'client-123', jwksUri: 'https://idp.example.com/jwks', nonce: { value: 'n1', required: true }, now: NOW },
    });
  });

  it('after a refresh expects no nonce, only the original one if present, and the same subject (§12.2)', () => {
    const check = idTokenCheckFor(tokens(), APP, { kind: 'refresh', previous: tokens() }, NOW);
    assert.equal(check.kind, 'verify');
    assert.deepEqual(check.kind === 'verify' && check.expectations, {
      issuer: APP.issuer, clientId: 'client-123', nonce: { value: 'n1', required: false }, subject: 'u1', now: NOW,
    });
  });

  it('says "no issuer configured" for an ID token outside an OpenID request, and refuses when openid was asked', () => {
    const noIssuer = { ...APP, issuer: '' };
    assert.deepEqual(idTokenCheckFor(tokens(), { ...noIssuer, scopes: ['api'] }, { kind: 'authorization' }, NOW), { kind: 'notVerified', reason: 'no issuer configured' });
    assert.throws(() => idTokenCheckFor(tokens(), noIssuer, { kind: 'authorization', nonce: 'n1' }, NOW),
      (error: unknown) => error instanceof OAuthError && error.code === 'invalid_configuration' && /asks? for openid, but no issuer is configured/.test(error.message)
        && /Set the provider's issuer URL in Configure App/.test(error.message));
  });

  it('has nothing to check without an ID token', () => {
    assert.deepEqual(idTokenCheckFor(tokens({ idToken: undefined }), APP, { kind: 'authorization', nonce: 'n1' }, NOW), { kind: 'absent' });
  });
});

describe('storeAfterIdTokenCheck (what Authorize App and the refresh store)', () => {
  it('stores nothing when the ID token is refused', async () => {
    const stored: TokenSet[] = [];
    const verifier = recordingVerifier('fail');
    await assert.rejects(storeAfterIdTokenCheck(tokens(), APP, { kind: 'authorization', nonce: 'n1' }, {
      loadVerifier: async () => verifier, store: async (set) => { stored.push(set); }, now: () => NOW,
    }), /refused \(aud\) and nothing was stored/);
    assert.equal(verifier.calls.length, 1);
    assert.deepEqual(stored, []);
  });

  it('stores nothing when openid was asked and no issuer is configured, without loading the verifier', async () => {
    const stored: TokenSet[] = [];
    let loaded = false;
    await assert.rejects(storeAfterIdTokenCheck(tokens(), { ...APP, issuer: undefined }, { kind: 'authorization', nonce: 'n1' }, {
      loadVerifier: async () => { loaded = true; return recordingVerifier('pass'); }, store: async (set) => { stored.push(set); }, now: () => NOW,
    }), /no issuer is configured/);
    assert.equal(loaded, false);
    assert.deepEqual(stored, []);
  });

  it('stores the set with the outcome once the token is verified: key id, algorithm, issuer, time, no token', async () => {
    const stored: TokenSet[] = [];
    const checked = await storeAfterIdTokenCheck(tokens({ idTokenVerification: { status: 'not-verified', reason: 'old', at: 1 } }), APP,
      { kind: 'authorization', nonce: 'n1' }, { loadVerifier: async () => recordingVerifier('pass'), store: async (set) => { stored.push(set); }, now: () => NOW });
    assert.deepEqual(stored, [checked]);
    assert.deepEqual(checked.idTokenVerification, { status: 'verified', alg: 'RS256', keyId: 'k1', issuer: APP.issuer, verifiedAt: NOW });
  });

  it('does not load the verifier for a plain OAuth 2.0 response, and records "not verified" without an issuer', async () => {
    const load = async (): Promise<IdTokenVerifier> => assert.fail('the JOSE bundle must not be loaded');
    const stored: TokenSet[] = [];
    const plain = await storeAfterIdTokenCheck(tokens({ idToken: undefined }), APP, { kind: 'authorization' },
      { loadVerifier: load, store: async (set) => { stored.push(set); }, now: () => NOW });
    assert.equal(plain.idTokenVerification, undefined);
    const unverified = await storeAfterIdTokenCheck(tokens(), { ...APP, issuer: '', scopes: ['api'] }, { kind: 'authorization' },
      { loadVerifier: load, store: async (set) => { stored.push(set); }, now: () => NOW });
    assert.deepEqual(unverified.idTokenVerification, { status: 'not-verified', reason: 'no issuer configured', at: NOW });
    assert.equal(stored.length, 2);
  });
});

describe('idTokenVerificationWords', () => {
  it('says verified by signature with the key id and algorithm, or why not', () => {
    const time = (ms: number): string => new Date(ms).toISOString();
    assert.equal(idTokenVerificationWords({ status: 'verified', keyId: 'k1', alg: 'RS256', issuer: APP.issuer as string, verifiedAt: NOW }, time),
      'verified by signature (key id k1, alg RS256) at 2026-12-06T09:00:00.000Z, with the keys of issuer https://idp.example.com');
    assert.equal(idTokenVerificationWords({ status: 'not-verified', reason: 'no issuer configured', at: NOW }, time), 'not verified: no issuer configured');
    assert.match(idTokenVerificationWords(undefined, time), /^not verified: it was stored before/);
  });
});
