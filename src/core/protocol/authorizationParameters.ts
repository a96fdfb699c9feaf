/**
 * The authorization request's parameters as data: which names the protocol owns, how scopes and SKY's
 * environment_id are spelled, and the problems an extra parameter can cause. A leaf of protocol/, so that
 * configuration checks (providers/presets.ts) and the ID-token check (tokens/) can use it without
 * depending on the request builder.
 */
import type { AppConfiguration } from '../providers/appConfiguration';

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
