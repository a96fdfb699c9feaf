/**
 * Reading an authorization server's metadata document (RFC 8414 §2 and §3.2; OpenID Connect Discovery 1.0
 * §3 and §4.2) into typed fields, and refusing one that is not usable with an error naming the field.
 *
 * As strict as panva/oauth4webapi's processDiscoveryResponse (src/index.ts): HTTP 200, a JSON object, an
 * `issuer` that is a non-empty string and equals the issuer asked for. Unlike there, every field this
 * extension goes on to use is type-checked too, because each of them ends up in a setting or a request:
 * endpoints must be https URLs (http only on loopback), lists must be arrays of strings.
 */
import { ProviderError, type OAuthError } from '../errors/oauthError';
import type { HttpResponse } from '../http/httpClient';
import { isLoopbackHost } from '../providers/presets';
import { bodyExcerpt, sanitizeForDisplay } from '../text/displayText';

/** The metadata fields this extension reads; everything else in the document is ignored. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri?: string;
  revocation_endpoint?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  /** RFC 9207 §3: the provider puts `iss` in every authorization response. */
  authorization_response_iss_parameter_supported?: boolean;
}

type MetadataResponse = Pick<HttpResponse, 'status' | 'headers' | 'body'>;

const URL_FIELDS = ['jwks_uri', 'revocation_endpoint'] as const;
const LIST_FIELDS = [
  'scopes_supported',
  'response_types_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'code_challenge_methods_supported',
] as const;

/** Generous for a metadata document (Entra's and Google's are a few KB), and a bound on what a list may hold. */
const MAX_LIST_ENTRIES = 500;

/**
 * Parses a 200 response from a well-known metadata URL. `expectedIssuer` is the issuer the user entered: RFC
 * 8414 §3.3 and OpenID Connect Discovery §4.3 require the document's `issuer` to be identical to it, so a
 * document published for another issuer (a mix-up, or a typo that happens to reach a real document) is
 * refused rather than trusted.
 */
export function parseMetadataDocument(response: MetadataResponse, metadataUrl: string, expectedIssuer: string): AuthorizationServerMetadata {
  const document = parseJsonObject(response, metadataUrl);
  const issuer = document.issuer;
  if (typeof issuer !== 'string' || issuer === '') {
    throw malformedField(metadataUrl, 'issuer', 'a non-empty string', issuer);
  }
  if (issuer !== expectedIssuer) {
    throw issuerMismatch(issuer, expectedIssuer, metadataUrl);
  }
  const metadata: AuthorizationServerMetadata = {
    issuer,
    // Both are REQUIRED for the authorization code grant (RFC 8414 §2: "unless no grant types are supported
    // that use the authorization/token endpoint").
    authorization_endpoint: endpointField(document, 'authorization_endpoint', metadataUrl, true) as string,
    token_endpoint: endpointField(document, 'token_endpoint', metadataUrl, true) as string,
  };
  for (const name of URL_FIELDS) {
    const value = endpointField(document, name, metadataUrl, false);
    if (value !== undefined) metadata[name] = value;
  }
  for (const name of LIST_FIELDS) {
    const value = stringListField(document, name, metadataUrl);
    if (value !== undefined) metadata[name] = value;
  }
  const issParameter = document.authorization_response_iss_parameter_supported;
  if (issParameter !== undefined) {
    if (typeof issParameter !== 'boolean') {
      throw malformedField(metadataUrl, 'authorization_response_iss_parameter_supported', 'a boolean (RFC 9207 §3)', issParameter);
    }
    metadata.authorization_response_iss_parameter_supported = issParameter;
  }
  return metadata;
}

/**
 * An absolute https URL, or http on a loopback host (RFC 8414 §2 requires TLS; loopback is where the local
 * sandbox lives and nothing leaves the machine). No fragment, as RFC 6749 §3.1 and §3.2 require of endpoints.
 */
function endpointField(document: Record<string, unknown>, name: string, metadataUrl: string, required: boolean): string | undefined {
  const value = document[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw malformedField(metadataUrl, name, 'a non-empty URL string', value);
  }
  const problem = urlProblem(value);
  if (problem !== undefined) {
    throw malformedField(metadataUrl, name, `an absolute https URL without a fragment (${problem})`, value);
  }
  return value;
}

/** Why `value` is not an https (or loopback http) URL without a fragment; undefined when it is one. */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'http:// is accepted only for localhost, 127.0.0.1 or [::1]';
  }
  if (value.includes('#')) {
    return 'it has a fragment';
  }
  return undefined;
}

function stringListField(document: Record<string, unknown>, name: string, metadataUrl: string): string[] | undefined {
  const value = document[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_LIST_ENTRIES || !value.every((entry) => typeof entry === 'string')) {
    throw malformedField(metadataUrl, name, 'a JSON array of strings', value);
  }
  return [...(value as string[])];
}

function parseJsonObject(response: MetadataResponse, metadataUrl: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    const excerpt = bodyExcerpt(response.body);
    throw invalidMetadata(`The metadata at ${sanitizeForDisplay(metadataUrl, 200)} is not JSON${excerpt === '' ? '' : `: "${excerpt}"`}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidMetadata(`The metadata at ${sanitizeForDisplay(metadataUrl, 200)} is JSON but not an object.`);
  }
  return parsed as Record<string, unknown>;
}

function malformedField(metadataUrl: string, name: string, requirement: string, value: unknown): OAuthError {
  return invalidMetadata(
    `The metadata's ${name} must be ${requirement}, but it is ${describeValue(value)} (${sanitizeForDisplay(metadataUrl, 200)}).`);
}

function issuerMismatch(actual: string, expected: string, metadataUrl: string): OAuthError {
  const shown = sanitizeForDisplay(actual, 200);
  return new ProviderError({
    code: 'issuer_mismatch',
    description: `The metadata at ${sanitizeForDisplay(metadataUrl, 200)} names the issuer "${shown}", but the issuer asked for is `
      + `"${sanitizeForDisplay(expected, 200)}"; RFC 8414 §3.3 requires them to be identical, so nothing was taken from it.`,
    hint: `If "${shown}" is the provider you meant, enter exactly that as the issuer (trailing slash and case included) and run `
      + 'discovery again; otherwise check the issuer URL, because this document belongs to another issuer.',
  });
}

function invalidMetadata(description: string): OAuthError {
  return new ProviderError({ code: 'invalid_metadata', description });
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length > MAX_LIST_ENTRIES ? `an array of ${value.length} entries` : 'an array that holds something other than strings';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : `"${sanitizeForDisplay(value, 80)}"`;
    case 'number':
    case 'boolean':
      return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
    default:
      return 'an object';
  }
}
