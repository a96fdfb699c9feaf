/**
 * What a provider's metadata (RFC 8414 §2, OpenID Connect Discovery §3) means for an app's configuration,
 * as a pure function: the settings it fills, and one human-readable line per thing found or chosen, which
 * Configure App shows before the user goes on ("Found …", "Chose …, because …", "Warning: …").
 */
import type { AuthorizationServerMetadata } from '../protocol/discoveryMetadata';
import type { DiscoveryResult } from '../protocol/discovery';
import { sanitizeForDisplay } from '../text/displayText';
import type { AppConfiguration, ClientAuthMethod } from './appConfiguration';

export interface DiscoveryInputs {
  /** Whether the application has a client secret (a confidential client) or not (a public client). */
  hasClientSecret: boolean;
  /** The scopes configured so far (the preset's or the user's); discovery only adds to them. */
  scopes: readonly string[];
}

export interface DiscoveredConfiguration {
  /** Fields to put over the preset's configuration. */
  configuration: Pick<AppConfiguration, 'issuer' | 'authorizationEndpoint' | 'tokenEndpoint' | 'clientAuthMethod' | 'scopes' | 'discoveredFrom'>
    & Partial<Pick<AppConfiguration, 'jwksUri' | 'revocationEndpoint' | 'requireIssuerParameter' | 'openIdProvider'>>;
  findings: string[];
}

/** RFC 8414 §2: "If omitted, the default is client_secret_basic". */
const DEFAULT_AUTH_METHODS: readonly string[] = ['client_secret_basic'];

export function configurationFromMetadata(discovery: DiscoveryResult, inputs: DiscoveryInputs): DiscoveredConfiguration {
  const { metadata } = discovery;
  const show = (text: string): string => sanitizeForDisplay(text, 200);
  const findings: string[] = [`Found the ${discovery.kind === 'openid-configuration' ? 'OpenID Connect' : 'RFC 8414'} metadata at ${show(discovery.metadataUrl)}.`];
  findings.push(`Found the authorization endpoint ${show(metadata.authorization_endpoint)} and the token endpoint ${show(metadata.token_endpoint)}.`);

  const openIdProvider = discovery.kind === 'openid-configuration' || (metadata.scopes_supported?.includes('openid') ?? false);
  const authentication = chooseClientAuthMethod(metadata.token_endpoint_auth_methods_supported, inputs.hasClientSecret);
  const scopes = suggestScopes(metadata, inputs.scopes, openIdProvider);
  const configuration: DiscoveredConfiguration['configuration'] = {
    issuer: metadata.issuer,
    authorizationEndpoint: metadata.authorization_endpoint,
    tokenEndpoint: metadata.token_endpoint,
    clientAuthMethod: authentication.method,
    scopes: scopes.scopes,
    discoveredFrom: discovery.metadataUrl,
  };
  if (openIdProvider) configuration.openIdProvider = true;

  findings.push(...responseTypeWarnings(metadata));
  findings.push(authentication.finding);
  findings.push(pkceFinding(metadata.code_challenge_methods_supported));
  if (metadata.authorization_response_iss_parameter_supported === true) {
    configuration.requireIssuerParameter = true;
    findings.push('Chose to require iss in every authorization response, because the provider announces '
      + 'authorization_response_iss_parameter_supported (RFC 9207 mix-up protection).');
  }
  if (metadata.jwks_uri !== undefined) {
    configuration.jwksUri = metadata.jwks_uri;
    findings.push(`Found the signing keys (jwks_uri) at ${show(metadata.jwks_uri)}.`);
  }
  if (metadata.revocation_endpoint !== undefined) {
    configuration.revocationEndpoint = metadata.revocation_endpoint;
    findings.push(`Found the revocation endpoint ${show(metadata.revocation_endpoint)}: Sign Out can revoke the refresh token (RFC 7009).`);
  } else {
    findings.push('Found no revocation_endpoint: Sign Out can only forget the tokens here, not revoke them at the provider.');
  }
  findings.push(...scopes.findings);
  return { configuration, findings };
}

/**
 * The client authentication to use at the token endpoint, from what the provider lists (RFC 8414 §2
 * token_endpoint_auth_methods_supported, client_secret_basic when absent) and whether there is a secret.
 */
export function chooseClientAuthMethod(supported: readonly string[] | undefined, hasClientSecret: boolean): { method: ClientAuthMethod; finding: string } {
  const listed = supported ?? DEFAULT_AUTH_METHODS;
  const said = supported === undefined
    ? 'the provider lists no token_endpoint_auth_methods_supported, and RFC 8414 makes client_secret_basic the default'
    : `the provider lists ${listed.map((name) => sanitizeForDisplay(name, 40)).join(', ') || 'no method'}`;
  if (!hasClientSecret) {
    return listed.includes('none')
      ? { method: 'none', finding: `Chose client authentication none (a public client with PKCE), because the app has no secret and ${said}.` }
      : {
        method: 'none',
        finding: `Warning: the app has no secret, but ${said} and not none: the provider may refuse a public client. `
          + 'Enter the application secret if it has one.',
      };
  }
  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    if (listed.includes(method)) {
      return { method, finding: `Chose client authentication ${method}, because the app has a secret and ${said}.` };
    }
  }
  if (listed.includes('none')) {
    return { method: 'none', finding: `Warning: ${said}, so the secret will not be sent; the app is used as a public client with PKCE.` };
  }
  return {
    method: 'client_secret_basic',
    finding: `Warning: ${said}, none of which this extension supports (client_secret_basic, client_secret_post, none); `
      + 'client_secret_basic is tried, and the provider may refuse it.',
  };
}

/** RFC 7636 §4.3 / RFC 8414 §2 code_challenge_methods_supported. PKCE stays on whatever is said. */
function pkceFinding(methods: readonly string[] | undefined): string {
  if (methods === undefined) {
    return 'Found no code_challenge_methods_supported; PKCE S256 stays on, as most providers accept it (set the app\'s "usePkce" to false only if the provider refuses it).';
  }
  if (methods.includes('S256')) {
    return 'Found PKCE S256 support (code_challenge_methods_supported); PKCE S256 is used.';
  }
  return `Warning: code_challenge_methods_supported lists ${methods.map((name) => sanitizeForDisplay(name, 20)).join(', ') || 'nothing'} but not S256. `
    + 'PKCE S256 stays on (the app\'s "usePkce") because it protects the code; turn it off only if the provider refuses the request.';
}

function responseTypeWarnings(metadata: AuthorizationServerMetadata): string[] {
  const warnings: string[] = [];
  if (metadata.response_types_supported !== undefined && !metadata.response_types_supported.includes('code')) {
    warnings.push('Warning: response_types_supported does not list code; the provider may not offer the authorization code flow.');
  }
  if (metadata.grant_types_supported !== undefined && !metadata.grant_types_supported.includes('authorization_code')) {
    warnings.push('Warning: grant_types_supported does not list authorization_code; the provider may refuse the code exchange.');
  }
  return warnings;
}

/**
 * The configured scopes plus `openid` (OpenID Connect Core §3.1.2.1: it makes the request an OpenID one,
 * with an ID token) and `offline_access` (Core §11: a refresh token) when the provider offers them.
 */
function suggestScopes(metadata: AuthorizationServerMetadata, configured: readonly string[], openIdProvider: boolean): { scopes: string[]; findings: string[] } {
  const scopes = [...configured];
  const findings: string[] = [];
  const supported = metadata.scopes_supported ?? [];
  if (supported.includes('openid') && !scopes.includes('openid')) {
    scopes.push('openid');
    findings.push('Chose scope openid, because the provider lists it in scopes_supported: the tokens then include an ID token.');
  }
  if (supported.includes('offline_access') && !scopes.includes('offline_access')) {
    scopes.push('offline_access');
    findings.push(`Chose scope offline_access, because the provider lists it: it asks for a refresh token${
      openIdProvider ? '; the authorization request then carries prompt=consent, which OpenID Connect Core §11 requires for it' : ''}.`);
  }
  if (metadata.scopes_supported !== undefined) {
    const others = supported.filter((scope) => scope !== 'openid' && scope !== 'offline_access').slice(0, 12);
    if (others.length > 0) findings.push(`Found these other scopes: ${others.map((scope) => sanitizeForDisplay(scope, 60)).join(' ')} (add what your API needs in the Scopes step).`);
  }
  return { scopes, findings };
}
