/**
 * Discovery: from an issuer URL to the provider's metadata, through the project's HttpClient (so its
 * timeout, body limit, transport errors and logging apply).
 *
 * Two well-known locations exist for the same document, and providers publish one or both:
 * - OpenID Connect Discovery 1.0 §4: `<issuer>/.well-known/openid-configuration`, APPENDED to the issuer's
 *   path (any trailing `/` removed first);
 * - RFC 8414 §3: `/.well-known/oauth-authorization-server` INSERTED between the host and the issuer's path,
 *   so `https://as.example/tenant` is described at `https://as.example/.well-known/oauth-authorization-server/tenant`.
 * Both are tried in that order (panva/oauth4webapi's discoveryRequest builds the same two URLs for its
 * 'oidc' and 'oauth2' algorithms). A location that answers anything but 200 moves on to the next; a
 * document that answers 200 but is malformed or names another issuer is refused on the spot, because the
 * provider did answer, wrongly. A transport failure (timeout, refused, DNS) ends discovery at once: the
 * other location is on the same host.
 */
import { ConfigurationError, ProviderError } from '../errors/oauthError';
import type { HttpClient } from '../http/httpClient';
import { sanitizeForDisplay } from '../text/displayText';
import { parseMetadataDocument, urlProblem, type AuthorizationServerMetadata } from './discoveryMetadata';

export type MetadataKind = 'openid-configuration' | 'oauth-authorization-server';

export interface MetadataLocation {
  kind: MetadataKind;
  url: string;
}

export interface DiscoveryResult {
  metadata: AuthorizationServerMetadata;
  /** Where the document was found (stored as the app's `discoveredFrom`). */
  metadataUrl: string;
  kind: MetadataKind;
}

export interface DiscoveryOptions {
  http: HttpClient;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A metadata document is a few KB; anything near this is not one. */
export const MAX_METADATA_BYTES = 512 * 1024;

/**
 * The URLs to try for `issuer`, OpenID's first. Throws a ConfigurationError when the issuer itself is not
 * an issuer identifier: RFC 8414 §2 makes it an https URL with no query or fragment.
 */
export function metadataLocations(issuer: string): MetadataLocation[] {
  const problem = issuerProblem(issuer);
  if (problem !== undefined) {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: `The issuer "${sanitizeForDisplay(issuer, 200)}" ${problem}.`,
      hint: 'Enter the issuer URL as the provider documents it, e.g. https://login.example.com or https://example.okta.com/oauth2/default.',
    });
  }
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    { kind: 'openid-configuration', url: `${url.origin}${path}/.well-known/openid-configuration` },
    { kind: 'oauth-authorization-server', url: `${url.origin}/.well-known/oauth-authorization-server${path}` },
  ];
}

/** Why `issuer` is not an RFC 8414 §2 issuer identifier; undefined when it is one. */
export function issuerProblem(issuer: string): string | undefined {
  if (issuer.trim() !== issuer || issuer === '') return 'is empty or has spaces around it';
  const problem = urlProblem(issuer);
  if (problem !== undefined) return `is not usable: ${problem}`;
  const url = new URL(issuer);
  if (url.search !== '' || issuer.includes('?')) return 'has a query ("?…"), which an issuer identifier must not have (RFC 8414 §2)';
  if (url.username !== '' || url.password !== '') return 'has a user name or password in it';
  return undefined;
}

/**
 * Fetches and checks the metadata of `issuer`. Throws a TransportError when the host cannot be reached
 * (with the HttpClient's message naming host and cause), a ProviderError `invalid_metadata` /
 * `issuer_mismatch` for a document that cannot be used, and `discovery_failed` when no location has one.
 */
export async function discover(issuer: string, options: DiscoveryOptions): Promise<DiscoveryResult> {
  const locations = metadataLocations(issuer);
  const misses: string[] = [];
  for (const location of locations) {
    const response = await options.http.get(location.url, { Accept: 'application/json' }, {
      label: 'The provider\'s metadata endpoint',
      maxBodyBytes: MAX_METADATA_BYTES,
      // panva/oauth4webapi's discoveryRequest uses redirect: 'manual' too: the document must come from
      // the issuer's own well-known URL, not from wherever a redirect points.
      followRedirects: false,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    if (response.status === 200) {
      return { metadata: parseMetadataDocument(response, location.url, issuer), metadataUrl: location.url, kind: location.kind };
    }
    misses.push(`${location.url} answered HTTP ${response.status}`);
  }
  throw new ProviderError({
    code: 'discovery_failed',
    description: `No metadata was found for the issuer "${sanitizeForDisplay(issuer, 200)}": ${misses.map((miss) => sanitizeForDisplay(miss, 300)).join('; ')}.`,
  });
}
