/**
 * Proof Key for Code Exchange (RFC 7636) with the S256 method only: `plain` gives no protection against
 * a leaked authorization request, and every provider this extension targets supports S256.
 */
import { createHash } from 'node:crypto';
import { randomBase64Url, RANDOM_TOKEN_BYTES } from './randomToken';

export interface PkcePair {
  /** Kept by the client and sent to the token endpoint as `code_verifier`. */
  verifier: string;
  /** Sent in the authorization request as `code_challenge`. */
  challenge: string;
  method: 'S256';
}

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isValidCodeVerifier(value: string): boolean {
  return CODE_VERIFIER.test(value);
}

/** A new verifier from 32 random bytes (43 base64url characters, RFC 7636 §4.1) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomBase64Url(RANDOM_TOKEN_BYTES);
  return { verifier, challenge: challengeFor(verifier), method: 'S256' };
}

/** BASE64URL(SHA256(ASCII(verifier))) — RFC 7636 §4.2. */
export function challengeFor(verifier: string): string {
  if (!isValidCodeVerifier(verifier)) {
    // A verifier the server would reject anyway; failing here names the actual mistake.
    throw new RangeError('A PKCE code_verifier must be 43–128 characters of A–Z, a–z, 0–9, "-", ".", "_" or "~" (RFC 7636 §4.1).');
  }
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
