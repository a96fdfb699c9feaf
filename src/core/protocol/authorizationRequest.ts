/**
 * Step 1 of the flow: the URL the browser is sent to (RFC 6749 §4.1.1, RFC 7636 §4.3), together with the
 * values the client must remember until the callback arrives (state, PKCE verifier, redirect URI).
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { ConfigurationError, type OAuthError } from '../errors/oauthError';
import {
  environmentIdProblems, environmentParameter, extraParameterProblems, requestsOpenId, RESERVED_AUTHORIZATION_PARAMETERS, scopeParameter,
} from './authorizationParameters';
import { offlineAccessParameters } from './offlineAccess';
import { createPkcePair, type PkcePair } from './pkce';
import { createNonce, createState } from './randomToken';

export interface AuthorizationRequest {
  /** The exact string to open in the browser. */
  url: string;
  state: string;
  /** Present when PKCE is on; goes to the token endpoint as `code_verifier`. */
  codeVerifier?: string;
  /** Must be sent again, unchanged, in the token request (RFC 6749 §4.1.3). */
  redirectUri: string;
  /**
   * Present when `openid` is requested: sent as `nonce` and expected back in the ID token's `nonce`
   * claim (OpenID Connect Core §3.1.3.7 step 11).
   */
  nonce?: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface AuthorizationRequestOptions {
  /** Parameters for this run only, on top of the configured ones (e.g. `prompt=login`). */
  extraParams?: Readonly<Record<string, string>>;
  now?: () => number;
  /** Fixed values for request previews and tests; normally fresh ones come from the CSPRNG. */
  state?: string;
  pkce?: PkcePair;
  nonce?: string;
}

export function buildAuthorizationRequest(
  config: AppConfiguration,
  redirectUri: string,
  options: AuthorizationRequestOptions = {},
): AuthorizationRequest {
  const endpoint = checkedAuthorizationEndpoint(config.authorizationEndpoint);
  checkRedirectUri(redirectUri);
  const clientId = config.clientId.trim();
  if (clientId === '') {
    throw configurationError('The application ID (client_id) is empty.');
  }
  const extras = { ...config.extraAuthorizationParams, ...options.extraParams };
  const problem = [
    ...extraParameterProblems(extras, endpointQueryNames(endpoint)),
    ...environmentIdProblems(config.environmentId, extras, endpointQueryNames(endpoint)),
  ][0];
  if (problem !== undefined) {
    throw configurationError(problem);
  }

  const state = options.state ?? createState();
  const pkce = config.usePkce ? (options.pkce ?? createPkcePair()) : undefined;
  const nonce = requestsOpenId(config.scopes) ? (options.nonce ?? createNonce()) : undefined;
  const parameters: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', clientId],
    ['redirect_uri', redirectUri],
  ];
  const scope = scopeParameter(config.scopes);
  if (scope !== '') {
    parameters.push(['scope', scope]);
  }
  parameters.push(['state', state]);
  if (pkce !== undefined) {
    parameters.push(['code_challenge', pkce.challenge], ['code_challenge_method', pkce.method]);
  }
  if (nonce !== undefined) {
    parameters.push(['nonce', nonce]);
  }
  // A value, never a name: encoded like every other value, it cannot add or replace a parameter.
  const environment = environmentParameter(config);
  if (environment !== undefined) {
    parameters.push(environment);
  }
  parameters.push(...Object.entries(extras));
  // OpenID Connect Core §11: an OpenID provider keeps offline_access only with prompt=consent.
  parameters.push(...Object.entries(offlineAccessParameters(config, extras, endpointQueryNames(endpoint))));

  const request: AuthorizationRequest = {
    url: appendQuery(endpoint, parameters),
    state,
    redirectUri,
    createdAt: (options.now ?? Date.now)(),
  };
  if (pkce !== undefined) {
    request.codeVerifier = pkce.verifier;
  }
  if (nonce !== undefined) {
    request.nonce = nonce;
  }
  return request;
}

function checkedAuthorizationEndpoint(raw: string): string {
  const endpoint = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    throw configurationError(`The authorization endpoint "${endpoint}" is not an absolute URL.`);
  }
  if (endpoint.includes('#') || parsed.hash !== '') {
    throw configurationError('The authorization endpoint must not contain a fragment ("#…") (RFC 6749 §3.1).');
  }
  for (const name of parsed.searchParams.keys()) {
    if (RESERVED_AUTHORIZATION_PARAMETERS.has(name)) {
      throw configurationError(`The authorization endpoint URL already contains "${name}" in its query; remove it, the flow sets it.`);
    }
  }
  return endpoint;
}

function checkRedirectUri(redirectUri: string): void {
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    throw configurationError(`The redirect URI "${redirectUri}" is not an absolute URI (RFC 6749 §3.1.2).`);
  }
  if (redirectUri.includes('#') || parsed.hash !== '') {
    throw configurationError('The redirect URI must not contain a fragment ("#…") (RFC 6749 §3.1.2).');
  }
}

function endpointQueryNames(endpoint: string): ReadonlySet<string> {
  return new Set(new URL(endpoint).searchParams.keys());
}

/**
 * Appends to the endpoint as written instead of going through URL.searchParams, which would re-serialise
 * (and possibly re-encode) a query the provider told us to keep as is (RFC 6749 §3.1).
 */
function appendQuery(endpoint: string, parameters: ReadonlyArray<readonly [string, string]>): string {
  const query = parameters.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  if (!endpoint.includes('?')) {
    return `${endpoint}?${query}`;
  }
  return endpoint.endsWith('?') || endpoint.endsWith('&') ? `${endpoint}${query}` : `${endpoint}&${query}`;
}

function configurationError(description: string): OAuthError {
  return new ConfigurationError({ code: 'invalid_configuration', description });
}
