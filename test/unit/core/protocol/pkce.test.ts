import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { challengeFor, createPkcePair, isValidCodeVerifier } from '../../../../src/core/protocol/pkce';

describe('pkce (RFC 7636)', () => {
  // RFC 7636 Appendix B: the published octets, verifier and S256 challenge.
  const APPENDIX_B_OCTETS = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5,
    88, 83, 132, 141, 121,
  ];
  const APPENDIX_B_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const APPENDIX_B_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('encodes the Appendix B octets as the published code_verifier', () => {
    assert.equal(Buffer.from(APPENDIX_B_OCTETS).toString('base64url'), APPENDIX_B_VERIFIER);
  });

  it('derives the published S256 code_challenge from the Appendix B verifier', () => {
    assert.equal(challengeFor(APPENDIX_B_VERIFIER), APPENDIX_B_CHALLENGE);
  });

  it('creates a 43-character base64url verifier with its S256 challenge', () => {
    const pair = createPkcePair();
    assert.match(pair.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(pair.verifier, 'base64url').length, 32);
    assert.equal(pair.method, 'S256');
    assert.equal(pair.challenge, createHash('sha256').update(pair.verifier).digest('base64url'));
    assert.match(pair.challenge, /^[A-Za-z0-9_-]{43}$/);
  });

  it('creates a different verifier every time', () => {
    const verifiers = new Set(Array.from({ length: 200 }, () => createPkcePair().verifier));
    assert.equal(verifiers.size, 200);
  });

  it('accepts verifiers of 43 to 128 unreserved characters only', () => {
    assert.equal(isValidCodeVerifier('a'.repeat(43)), true);
    assert.equal(isValidCodeVerifier('A1-._~'.repeat(21) + 'xy'), true);
    assert.equal(isValidCodeVerifier('a'.repeat(42)), false);
    assert.equal(isValidCodeVerifier('a'.repeat(129)), false);
    assert.equal(isValidCodeVerifier(`${'a'.repeat(42)}+`), false);
  });

  it('refuses to derive a challenge from an invalid verifier', () => {
    assert.throws(() => challengeFor('too-short'), /43–128 characters/);
    assert.throws(() => challengeFor(`${'a'.repeat(50)}=`), RangeError);
  });
});
