/**
 * Reads a JWT's header and claims so they can be shown, labelled "not verified": the signature is NOT
 * checked, so nothing decoded here may be used to decide anything. Opaque tokens (SKY API's access
 * tokens may be either) and encrypted JWE yield undefined.
 */
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Far above any real token; bounds the work on whatever a provider hands back. */
const MAX_TOKEN_LENGTH = 32 * 1024;
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  const [header, claims] = token.split('.', 2).map(decodeObject);
  // RFC 7515 §4.1.1: alg is the one header parameter every JWS has.
  return header && claims && typeof header.alg === 'string' ? { header, claims } : undefined;
}

function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
