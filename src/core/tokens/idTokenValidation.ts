/**
 * ID-token validation (OpenID Connect Core §3.1.3.7) with `jose` (panva/jose, MIT): the signature with the
 * issuer's published keys (its JWK Set), then `iss`, `aud`, `azp`, `exp`, `iat` and `nonce`. Every refusal
 * is an OAuthError that names the claim and what to do; the caller stores nothing when one is thrown.
 *
 * This module and jose make up the lazily loaded dist/idTokens.js (src/idTokens.ts), loaded when an ID token
 * must be verified, so a plain OAuth 2.0 flow never loads them. That bundle has its own copy of the error
 * classes; the editor turns its errors into commands.js's (asOwnOAuthError). jose runs on WebCrypto, which
 * the extension host's Node has.
 */
import * as jose from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { ConfigurationError, OAuthError, ProviderError } from '../errors/oauthError';
import type { HttpClient } from '../http/httpClient';
import { bodyExcerpt } from '../text/displayText';
import { MAX_EXPIRY_MARGIN_MS } from './expiry';
import type { IdTokenExpectations, IdTokenVerifier, VerifiedIdToken } from './idTokenVerification';

/**
 * The asymmetric JWS algorithms an ID token may use (RFC 7518 §3.3–3.5, RFC 8037). HMAC (HS*) is refused:
 * its key is the client secret, and a verifier that accepts it next to the issuer's public keys can be
 * fooled by a token "signed" with the public key itself (key confusion). `none` is no signature at all.
 */
export const ID_TOKEN_ALGORITHMS: readonly string[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
];

/**
 * The clock difference allowed on `exp` and `iat`: the most the project already treats a token as
 * expired early for clock differences and transit (core/tokens/expiry.ts, 30 s).
 */
export const ID_TOKEN_CLOCK_SKEW_SECONDS = MAX_EXPIRY_MARGIN_MS / 1000;

/** A JWK Set is a few KB; anything far larger is not one. */
const MAX_KEY_DOCUMENT_BYTES = 512 * 1024;

/** The keys of one issuer: the ones at hand, and a fresh copy once per token when its `kid` is unknown (a rotation). */
export interface KeySource {
  current(): Promise<JSONWebKeySet>;
  refetch(): Promise<JSONWebKeySet>;
}

interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Every check of §3.1.3.7 that applies to a token from the token endpoint; resolves with the key id and algorithm used. */
export async function validateIdToken(idToken: string, expected: IdTokenExpectations, keys: KeySource): Promise<VerifiedIdToken> {
  const header = protectedHeaderOf(idToken);
  let verified: { payload: JWTPayload; kid?: string; alg: string };
  try {
    verified = await verifyWith(idToken, expected, await keys.current());
  } catch (error) {
    if (!isJoseError(error, 'ERR_JWKS_NO_MATCHING_KEY')) throw refusal(error, header, expected);
    // The issuer may have rotated its keys since they were read: read them once more, then give up.
    try {
      verified = await verifyWith(idToken, expected, await keys.refetch());
    } catch (retryError) {
      throw refusal(retryError, header, expected);
    }
  }
  checkIssuedAt(verified.payload, expected.now);
  checkAuthorizedParty(verified.payload, expected.clientId);
  checkNonce(verified.payload, expected);
  if (expected.subject !== undefined && verified.payload.sub !== expected.subject) {
    throw idTokenRefused('sub', `its sub "${String(verified.payload.sub)}" is not the "${expected.subject}" of the ID token it renews (OpenID Connect Core §12.2)`,
      'A refresh must not change who is signed in; authorize again.');
  }
  return { alg: verified.alg, ...(verified.kid === undefined ? {} : { keyId: verified.kid }) };
}

/** The header, read before any key is looked at so that `none` and HMAC are refused by name. */
function protectedHeaderOf(idToken: string): { alg: string; kid?: string } {
  let header: Record<string, unknown>;
  try {
    if (idToken.split('.').length !== 3) throw new Error('not three parts');
    header = jose.decodeProtectedHeader(idToken) as Record<string, unknown>;
  } catch {
    throw idTokenRefused('signature', 'it is not a signed JWT (JWS compact serialization, three base64url parts)',
      'An OpenID provider returns its ID token as a signed JWT; check that the token endpoint is the provider\'s.');
  }
  const { alg, kid } = header;
  if (typeof alg !== 'string' || alg === '') {
    throw idTokenRefused('alg', 'its header has no alg', 'A signed JWT names its algorithm (RFC 7515 §4.1.1).');
  }
  if (alg.toLowerCase() === 'none') {
    throw idTokenRefused('alg', 'its alg is "none": it is not signed, so anyone could have written it',
      'OpenID Connect Core §3.1.3.7 requires the issuer\'s signature; an unsigned ID token is never accepted.');
  }
  if (/^HS/i.test(alg)) {
    throw idTokenRefused('alg', `its alg is ${alg}, an HMAC: accepting it would let a token "signed" with the issuer's public key pass `
      + '(HMAC key confusion)', 'Only asymmetric signatures (RS, PS, ES, EdDSA) are verified with the issuer\'s keys; ask the provider for RS256.');
  }
  if (!ID_TOKEN_ALGORITHMS.includes(alg)) {
    throw idTokenRefused('alg', `its alg ${alg} is not one of ${ID_TOKEN_ALGORITHMS.join(', ')}`,
      'Ask the provider to sign ID tokens with RS256 (the OpenID Connect default) or another algorithm listed.');
  }
  return { alg, ...(typeof kid === 'string' ? { kid } : {}) };
}

async function verifyWith(idToken: string, expected: IdTokenExpectations, jwks: JSONWebKeySet): Promise<{ payload: JWTPayload; kid?: string; alg: string }> {
  const { payload, protectedHeader } = await jose.jwtVerify(idToken, jose.createLocalJWKSet(jwks), {
    algorithms: [...ID_TOKEN_ALGORITHMS],
    issuer: expected.issuer,
    audience: expected.clientId,
    clockTolerance: ID_TOKEN_CLOCK_SKEW_SECONDS,
    currentDate: new Date(expected.now),
    // OpenID Connect Core §2: REQUIRED in every ID token.
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
  });
  return { payload, alg: protectedHeader.alg, ...(protectedHeader.kid === undefined ? {} : { kid: protectedHeader.kid }) };
}

/** jose's errors, said as which claim failed and what to do. */
function refusal(error: unknown, header: { alg: string; kid?: string }, expected: IdTokenExpectations): OAuthError {
  if (error instanceof OAuthError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const claim = (error as { claim?: unknown } | undefined)?.claim;
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  const payload = (error as { payload?: JWTPayload } | undefined)?.payload;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return idTokenRefused('signature', `its signature does not verify with the issuer's key${header.kid === undefined ? '' : ` "${header.kid}"`}: `
        + `it was altered, or not signed by ${expected.issuer}`, 'Do not use this token; authorize again. If it happens again, check the issuer in Configure App.');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return idTokenRefused('kid', `none of the issuer's published keys${header.kid === undefined ? '' : ` has the key id "${header.kid}"`} `
        + `(for ${header.alg}), even after reading them again`,
      'The token was not signed by this issuer\'s current keys; check the issuer in Configure App and authorize again.');
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return idTokenRefused('kid', 'it names no key id and none of the issuer\'s matching keys verifies it', 'Authorize again; if it persists, ask the provider.');
    case 'ERR_JWT_EXPIRED':
      if (claim === 'exp') {
        return idTokenRefused('exp', `it expired at ${isoTime(payload?.exp)}, more than ${ID_TOKEN_CLOCK_SKEW_SECONDS} s ago`,
          'Check this computer\'s clock (date, time and time zone), then authorize again.');
      }
      break;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing' && typeof claim === 'string') {
        return idTokenRefused(claim, `it has no ${claim} claim, which every ID token carries (OpenID Connect Core §2)`,
          'The provider\'s ID token is malformed; authorize again or ask the provider.');
      }
      return claimRefusal(String(claim), payload, expected);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return idTokenRefused('alg', `its alg ${header.alg} cannot be verified with the issuer's keys`, 'Ask the provider to sign ID tokens with RS256.');
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
      return new ProviderError({
        code: 'invalid_jwks', description: `The issuer's key set could not be used: ${error instanceof Error ? error.message : String(error)}.`,
      });
    default:
      break;
  }
  return idTokenRefused('signature', `it could not be verified (${error instanceof Error ? error.message : String(error)})`,
    'Authorize again; if it persists, check the issuer in Configure App.');
}

function claimRefusal(claim: string, payload: JWTPayload | undefined, expected: IdTokenExpectations): OAuthError {
  switch (claim) {
    case 'iss':
      return idTokenRefused('iss', `its iss "${String(payload?.iss)}" is not the configured issuer "${expected.issuer}"`,
        'The issuer in Configure App must be exactly the provider\'s issuer identifier (the `issuer` of its '
        + '/.well-known/openid-configuration, trailing slash included); correct it and authorize again.');
    case 'aud':
      return idTokenRefused('aud', `its aud ${JSON.stringify(payload?.aud)} does not contain the application ID "${expected.clientId}"`,
        'The token was issued to another application: check the application ID in Configure App, then authorize again.');
    case 'nbf':
      return idTokenRefused('nbf', `it is not valid before ${isoTime(payload?.nbf)}`, 'Check this computer\'s clock, then authorize again.');
    case 'iat':
    case 'exp':
      return idTokenRefused(claim, `its ${claim} is not a time (a number of seconds, RFC 7519 §2)`, 'The provider\'s ID token is malformed; ask the provider.');
    default:
      return idTokenRefused(claim, `its ${claim} claim is not what was expected`, 'Authorize again; if it persists, ask the provider.');
  }
}

/** §3.1.3.7 step 10: iat says when it was issued; a time in the future (beyond the skew) means a wrong clock. */
function checkIssuedAt(payload: JWTPayload, now: number): void {
  if (typeof payload.iat === 'number' && payload.iat * 1000 > now + ID_TOKEN_CLOCK_SKEW_SECONDS * 1000) {
    throw idTokenRefused('iat', `it says it was issued at ${isoTime(payload.iat)}, in the future by more than ${ID_TOKEN_CLOCK_SKEW_SECONDS} s`,
      'Check this computer\'s clock (date, time and time zone), then authorize again.');
  }
}

/** §3.1.3.7 steps 4–5: with several audiences azp names the client the token is for; when present it must be this one. */
function checkAuthorizedParty(payload: JWTPayload, clientId: string): void {
  const several = Array.isArray(payload.aud) && payload.aud.length > 1;
  if (payload.azp === undefined) {
    if (several) {
      throw idTokenRefused('azp', `it has several audiences ${JSON.stringify(payload.aud)} but no azp naming the application it was issued to`,
        'An ID token for several audiences must say which one it was issued to (OpenID Connect Core §2); ask the provider.');
    }
    return;
  }
  if (payload.azp !== clientId) {
    throw idTokenRefused('azp', `its azp "${String(payload.azp)}" is not the application ID "${clientId}"`,
      'The token was issued to another application: check the application ID in Configure App, then authorize again.');
  }
}

/** §3.1.3.7 step 11 (the request's nonce, required) and §12.2 (a refreshed token repeats the original one, if any). */
function checkNonce(payload: JWTPayload, expected: IdTokenExpectations): void {
  const { nonce } = expected;
  if (nonce === undefined) return;
  if (payload.nonce === undefined) {
    if (!nonce.required) return;
    throw idTokenRefused('nonce', 'it has no nonce, but the authorization request sent one',
      'The provider must repeat the request\'s nonce in the ID token (OpenID Connect Core §3.1.3.7); authorize again, or ask the provider.');
  }
  if (payload.nonce !== nonce.value) {
    throw idTokenRefused('nonce', nonce.required
      ? 'its nonce is not the one this authorization request sent: the token was issued for another request (a replay)'
      : 'its nonce is not the one of the ID token it renews (OpenID Connect Core §12.2)',
    'Do not use this token; authorize again.');
  }
}

function idTokenRefused(claim: string, reason: string, fix: string): ProviderError {
  return new ProviderError({
    code: 'invalid_id_token',
    description: `The ID token was refused (${claim}) and nothing was stored: ${reason}.`,
    hint: fix,
  });
}

function isoTime(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);
}

function isJoseError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

// ---------------------------------------------------------------------------------------------------------
// The issuer's keys
// ---------------------------------------------------------------------------------------------------------

/** A JWK Set document (RFC 7517 §5), type-checked member by member; a malformed one is refused naming the field. */
export function parseJwks(body: string, url: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw malformedKeys(url, `is not JSON (${bodyExcerpt(body)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformedKeys(url, 'is not a JSON object');
  const { keys } = value as { keys?: unknown };
  if (!Array.isArray(keys)) throw malformedKeys(url, 'has no keys array (field keys)');
  keys.forEach((key: unknown, index) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw malformedKeys(url, `has a keys[${index}] that is not an object`);
    const record = key as Record<string, unknown>;
    if (typeof record.kty !== 'string' || record.kty === '') throw malformedKeys(url, `has a keys[${index}] without a string kty`);
    for (const field of ['kid', 'alg', 'use', 'crv', 'n', 'e', 'x', 'y'] as const) {
      if (record[field] !== undefined && typeof record[field] !== 'string') {
        throw malformedKeys(url, `has a keys[${index}].${field} that is not a string`);
      }
    }
  });
  return value as JSONWebKeySet;
}

/** GETs and parses the issuer's JWK Set. */
export async function fetchJwks(http: HttpClient, jwksUri: string, options: RequestOptions = {}): Promise<JSONWebKeySet> {
  const url = checkedKeyUrl(jwksUri, 'jwks_uri');
  const response = await http.get(url, { Accept: 'application/json' }, {
    label: 'The issuer\'s key set (jwks_uri)', maxBodyBytes: MAX_KEY_DOCUMENT_BYTES, ...options,
  });
  if (response.status < 200 || response.status >= 300) {
    throw new ProviderError({
      code: 'invalid_jwks', status: response.status,
      description: `The issuer's key set at ${url} answered HTTP ${response.status}, so the ID token cannot be verified.`,
    });
  }
  return parseJwks(response.body, url);
}

/**
 * The issuer's `jwks_uri` from its OpenID Provider Configuration (OpenID Connect Discovery 1.0 §4: at
 * `<issuer>/.well-known/openid-configuration`, whose `issuer` must be exactly the issuer asked, §4.3).
 * Used when the configuration has no jwksUri (discovery fills it when the app is configured from an issuer).
 */
export async function discoverJwksUri(http: HttpClient, issuer: string, options: RequestOptions = {}): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await http.get(checkedKeyUrl(url, 'issuer'), { Accept: 'application/json' }, {
    label: 'The issuer\'s OpenID configuration', maxBodyBytes: MAX_KEY_DOCUMENT_BYTES, ...options,
  });
  const refuse = (problem: string): ConfigurationError => new ConfigurationError({
    code: 'invalid_configuration',
    description: `The issuer's OpenID configuration at ${url} ${problem}, so the ID token's signing keys are unknown and nothing was stored.`,
    hint: 'Check the issuer in Configure App: it must be the provider\'s issuer identifier, whose /.well-known/openid-configuration names its jwks_uri.',
  });
  if (response.status < 200 || response.status >= 300) throw refuse(`answered HTTP ${response.status}`);
  let metadata: unknown;
  try {
    metadata = JSON.parse(response.body);
  } catch {
    throw refuse('is not JSON');
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw refuse('is not a JSON object');
  const document = metadata as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) throw refuse(`names the issuer ${JSON.stringify(document.issuer)}, not "${issuer}" (field issuer)`);
  if (typeof document.jwks_uri !== 'string' || document.jwks_uri === '') throw refuse('has no jwks_uri (field jwks_uri)');
  return checkedKeyUrl(document.jwks_uri, 'jwks_uri');
}

/** Keys come over https; plain http only on this machine's loopback (the sandbox, a local provider). */
function checkedKeyUrl(value: string, field: string): string {
  const url = URL.parse(value);
  const loopback = url !== null && (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
  if (url === null || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: `The ${field} "${value}" is not an https URL (http is accepted only on loopback), so the issuer's keys cannot be trusted from it.`,
      hint: 'Check the issuer in Configure App.',
    });
  }
  return url.href;
}

function malformedKeys(url: string, problem: string): ProviderError {
  return new ProviderError({ code: 'invalid_jwks', description: `The issuer's key set at ${url} ${problem}, so the ID token cannot be verified.` });
}

/**
 * A verifier that reads each issuer's keys once and keeps them for its lifetime (one per extension host),
 * reading them again only when a token names a key id they lack. The jwks_uri comes from the configuration,
 * else from the issuer's OpenID configuration (also kept).
 */
export function createIdTokenVerifier(http: () => HttpClient, defaults: { timeoutMs?: number } = {}): IdTokenVerifier {
  const keySets = new Map<string, JSONWebKeySet>();
  const discovered = new Map<string, string>();
  return {
    async verify(idToken, expected, signal) {
      const options: RequestOptions = { ...defaults, ...(signal === undefined ? {} : { signal }) };
      // An unsigned, HMAC or malformed token is refused before any request is made for keys.
      protectedHeaderOf(idToken);
      let jwksUri = expected.jwksUri ?? discovered.get(expected.issuer);
      if (jwksUri === undefined) {
        jwksUri = await discoverJwksUri(http(), expected.issuer, options);
        discovered.set(expected.issuer, jwksUri);
      }
      const uri = jwksUri;
      const fetchAndKeep = async (): Promise<JSONWebKeySet> => {
        const jwks = await fetchJwks(http(), uri, options);
        keySets.set(uri, jwks);
        return jwks;
      };
      return validateIdToken(idToken, expected, {
        current: async () => keySets.get(uri) ?? fetchAndKeep(),
        refetch: fetchAndKeep,
      });
    },
  };
}
