/**
 * Refresh tokens from OpenID providers. OpenID Connect Core 1.0 §11 ("Offline Access"): when
 * `offline_access` is requested, "the prompt parameter MUST contain consent unless other conditions for
 * processing the request permitting offline access to the requested resources are in place", and a
 * provider that follows it to the letter (panva/node-oidc-provider, and so the local sandbox) silently
 * drops the scope from a request without it: the user gets tokens and no refresh token, and nothing says
 * why. Two pure rules: add `prompt=consent` where §11 needs it, and say so when a refresh token was asked
 * for and none came.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { PRESETS } from '../providers/presets';
import type { TokenSet } from '../tokens/tokenSet';

const OFFLINE_ACCESS = 'offline_access';

/** Whether OpenID Connect Core §11 governs this app's requests. */
export function isOpenIdProvider(config: Pick<AppConfiguration, 'openIdProvider' | 'scopes' | 'preset'>): boolean {
  return config.openIdProvider === true
    || requestsScope(config.scopes, 'openid')
    || PRESETS.find((preset) => preset.id === config.preset)?.openIdProvider === true;
}

/**
 * Whether §11's prompt=consent is needed for offline_access: an OpenID provider, unless its preset
 * documents that offline_access alone brings a refresh token (Entra, Okta, Auth0), where forcing the
 * consent screen on every authorization would only annoy.
 */
function consentNeededForOfflineAccess(config: Pick<AppConfiguration, 'openIdProvider' | 'scopes' | 'preset'>): boolean {
  return isOpenIdProvider(config)
    && PRESETS.find((preset) => preset.id === config.preset)?.offlineAccessWithoutConsent !== true;
}

/**
 * `{ prompt: 'consent' }` when `offline_access` is requested from an OpenID provider and the request does
 * not already carry a prompt (the user's own prompt, such as `login` or `select_account consent`, wins);
 * otherwise nothing. `extras` are the extra parameters the request already has.
 */
export function offlineAccessParameters(
  config: Pick<AppConfiguration, 'openIdProvider' | 'scopes' | 'preset'>,
  extras: Readonly<Record<string, string>>,
  endpointQueryNames: ReadonlySet<string> = new Set(),
): Record<string, string> {
  if (!requestsScope(config.scopes, OFFLINE_ACCESS) || !consentNeededForOfflineAccess(config)) return {};
  if (Object.hasOwn(extras, 'prompt') || endpointQueryNames.has('prompt')) return {};
  return { prompt: 'consent' };
}

/**
 * After a code exchange: a sentence saying that a refresh token was asked for and none was granted, why,
 * and what to change; undefined when one came or none was asked for. "Asked for" means `offline_access`
 * in the scopes, or a preset that documents what its provider needs for one (`refreshTokenRequirement`).
 */
export function missingRefreshTokenNotice(
  config: Pick<AppConfiguration, 'openIdProvider' | 'scopes' | 'preset' | 'extraAuthorizationParams'>,
  tokens: Pick<TokenSet, 'refreshToken' | 'scopes'>,
): string | undefined {
  if (tokens.refreshToken !== undefined) return undefined;
  const requirement = PRESETS.find((preset) => preset.id === config.preset)?.refreshTokenRequirement;
  if (!requestsScope(config.scopes, OFFLINE_ACCESS)) {
    return requirement === undefined ? undefined : `No refresh token was granted. ${requirement}`;
  }
  const dropped = tokens.scopes !== undefined && !tokens.scopes.includes(OFFLINE_ACCESS)
    ? ` The granted scopes (${tokens.scopes.join(' ') || 'none'}) leave offline_access out.` : '';
  const prompt = config.extraAuthorizationParams.prompt;
  const why = !consentNeededForOfflineAccess(config)
    ? 'The provider may not know offline_access, or may issue refresh tokens only to applications allowed to use the refresh_token grant: check the application\'s registration.'
    : prompt !== undefined && !prompt.split(' ').includes('consent')
      ? `OpenID providers keep offline_access only when the request has prompt=consent (OpenID Connect Core §11), and the extra parameter prompt=${prompt} replaced it: add consent to it (prompt=${prompt} consent) or remove it.`
      : 'The request had prompt=consent as OpenID Connect Core §11 requires, so the provider itself declined: allow the refresh_token grant (or offline access) in the application\'s registration at the provider.';
  return `A refresh token was asked for (offline_access) but none was granted, so you will need to authorize again when the access token expires.${dropped} ${why}${
    requirement === undefined ? '' : ` ${requirement}`}`;
}

function requestsScope(scopes: readonly string[], name: string): boolean {
  return scopes.some((scope) => scope.split(/\s+/).includes(name));
}
