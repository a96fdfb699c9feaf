/**
 * Which scopes a stored token set was granted, and whether they cover what another extension asks for
 * through vscode.authentication. Scope tokens are compared exactly (RFC 6749 §3.3: case-sensitive,
 * space-delimited, order-free).
 */
import type { TokenSet } from '../tokens/tokenSet';

/**
 * The scopes the set was granted. A token response may leave `scope` out only when it equals the
 * request (RFC 6749 §5.1), so without it the app's configured scopes are what was granted. Scopes
 * added for one createSession are therefore known only when the provider reports `scope`.
 */
export function grantedScopes(tokenSet: TokenSet, configuredScopes: readonly string[]): readonly string[] {
  return distinctScopes(tokenSet.scopes ?? configuredScopes);
}

/** True when every requested scope was granted; an empty or absent request is covered by any set. */
export function scopesCover(granted: readonly string[], requested: readonly string[] | undefined): boolean {
  const have = new Set(granted);
  return (requested ?? []).every((scope) => have.has(scope));
}

/** The app's own scopes followed by the extra ones a caller asked for, each once, in that order. */
export function scopesToRequest(configuredScopes: readonly string[], requested: readonly string[]): string[] {
  return distinctScopes([...configuredScopes, ...requested]);
}

/** The requested scopes the app does not ask for itself (what createSession adds), for messages. */
export function extraScopes(configuredScopes: readonly string[], requested: readonly string[]): string[] {
  const own = new Set(configuredScopes);
  return distinctScopes(requested).filter((scope) => !own.has(scope));
}

function distinctScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((scope) => scope.trim()).filter((scope) => scope.length > 0))];
}
