/**
 * Step 1 of the flow: the URL the browser is sent to (RFC 6749 §4.1.1, RFC 7636 §4.3), together with the
 * values the client must remember until the callback arrives (state, PKCE verifier, redirect URI).
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { ConfigurationError, type OAuthError } from '../errors/oauthError';
import { offlineAccessParameters } from './offlineAccess';
import { createPkcePair, type PkcePair } from './pkce';
import { createNonce, createState } from './randomToken';

/**
 * Parameters the protocol itself owns. An "extra" parameter with one of these names would either
 * duplicate it (RFC 6749 §3.1: parameters MUST NOT be included more than once) or silently change the
 * flow, e.g. `response_type=token` or a state the client does not check. `response_mode` (form_post,
 * fragment) and JAR's `request`/`request_uri` would carry the response where neither redirect mode
 * can receive it, or carry parameters the extension did not check. `nonce` is generated for every
 * OpenID request and checked in the ID token; a fixed one would defeat that check.
 */
export const RESERVED_AUTHORIZATION_PARAMETERS: ReadonlySet<string> = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'response_mode',
  'request',
  'request_uri',
]);

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

/** Whether the scopes make this an OpenID Connect request (OpenID Connect Core §3.1.2.1: `openid` MUST be present). */
export function requestsOpenId(scopes: readonly string[]): boolean {
  return scopeParameter(scopes).split(' ').includes('openid');
}

/**
 * Human-readable problems with extra authorization parameters: empty names, protocol-owned names, and
 * names the endpoint URL already carries in its query. Shared with configuration validation so that
 * Configure App reports the same thing Authorize App would refuse.
 */
export function extraParameterProblems(
  extras: Readonly<Record<string, string>>,
  endpointQueryParameterNames: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(extras)) {
    if (name.trim() === '') {
      problems.push('An extra authorization parameter has an empty name.');
    } else if (RESERVED_AUTHORIZATION_PARAMETERS.has(name)) {
      problems.push(
        `The extra authorization parameter "${name}" would override a parameter the flow sets itself; remove it (${describeOwnedParameter(name)}).`,
      );
    } else if (endpointQueryParameterNames.has(name)) {
      problems.push(`The extra authorization parameter "${name}" is already in the authorization endpoint URL's query; keep only one.`);
    }
  }
  return problems;
}

/** SKY API's authorization parameter that filters the environments offered (sky-api-docs step1.md). */
const SKY_ENVIRONMENT_PARAMETER = 'environment_id';

/** The app's environment ID and an extra parameter (or the endpoint's query) must not both send environment_id. */
export function environmentIdProblems(
  environmentId: string | undefined,
  extras: Readonly<Record<string, string>>,
  endpointQueryParameterNames: ReadonlySet<string> = new Set(),
): string[] {
  if ((environmentId?.trim() ?? '') === '') return [];
  if (!Object.hasOwn(extras, SKY_ENVIRONMENT_PARAMETER) && !endpointQueryParameterNames.has(SKY_ENVIRONMENT_PARAMETER)) return [];
  return ['environment_id is set by the app\'s "environmentId" and also by an extra authorization parameter or the '
    + 'authorization endpoint\'s query; keep only "environmentId" (Configure App asks for it) and remove the other in settings.json.'];
}

/** SKY's `environment_id` as a parameter, when the environment ID setting holds one. */
export function environmentParameter(config: Pick<AppConfiguration, 'environmentId'>): [string, string] | undefined {
  const environmentId = config.environmentId?.trim() ?? '';
  return environmentId === '' ? undefined : [SKY_ENVIRONMENT_PARAMETER, environmentId];
}

/** Scopes as one space-delimited `scope` value (RFC 6749 §3.3); entries that themselves contain spaces are split. */
export function scopeParameter(scopes: readonly string[]): string {
  const unique = new Set(scopes.flatMap((scope) => scope.split(/\s+/)).filter((scope) => scope !== ''));
  return [...unique].join(' ');
}

function describeOwnedParameter(name: string): string {
  switch (name) {
    case 'scope':
      return 'set the scopes in Configure App instead';
    case 'client_id':
      return 'set it as the application ID instead';
    case 'redirect_uri':
      return 'the redirect URI follows from the redirect mode';
    case 'code_challenge':
    case 'code_challenge_method':
      return 'PKCE is controlled by the app\'s "usePkce"';
    default:
      return 'the extension generates it for every request';
  }
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
