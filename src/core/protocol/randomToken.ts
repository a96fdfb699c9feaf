/**
 * Unguessable values for the authorization request. Both PKCE and `state` rely on an attacker not being
 * able to predict them, so they come from the OS CSPRNG and never from Math.random.
 */
import { randomBytes } from 'node:crypto';

/** 32 bytes = 256 bits: comfortably above the 128 bits RFC 6749 §10.10 and RFC 7636 §7.1 ask for. */
export const RANDOM_TOKEN_BYTES = 32;

/** base64url (RFC 4648 §5, no padding) of `byteLength` random bytes; 32 bytes give 43 characters. */
export function randomBase64Url(byteLength: number = RANDOM_TOKEN_BYTES): string {
  return randomBytes(byteLength).toString('base64url');
}

/** A fresh `state` value (RFC 6749 §10.12 CSRF protection): 256 bits, URL-safe as it is. */
export function createState(): string {
  return randomBase64Url(RANDOM_TOKEN_BYTES);
}

/**
 * A fresh `nonce` (OpenID Connect Core §3.1.2.1, §15.5.2): bound to this authorization request and
 * repeated by the provider inside the ID token, so a token minted for another request is refused.
 */
export function createNonce(): string {
  return randomBase64Url(RANDOM_TOKEN_BYTES);
}
