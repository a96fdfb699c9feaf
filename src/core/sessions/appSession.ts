/**
 * One configured app as an account of the `authcodeflow` authentication provider, and its token set as
 * that account's one session. Plain data shaped like vscode.AuthenticationSession, so the editor layer
 * hands it over as is and the core stays free of `vscode`.
 */
import type { NamedApp } from '../apps/namedApp';
import { accessTokenState } from '../tokens/expiry';
import type { TokenSet } from '../tokens/tokenSet';
import { grantedScopes } from './sessionScopes';

export interface SessionAccount {
  /** The app's id: stable across renames, so VS Code's per-account consent survives them. */
  readonly id: string;
  /** The app's name, as the Accounts menu shows it. */
  readonly label: string;
}

export interface AppSession {
  readonly id: string;
  readonly accessToken: string;
  readonly account: SessionAccount;
  readonly scopes: readonly string[];
}

const SESSION_ID_PREFIX = 'authcodeflow-app-';

/** Each app holds one token set, so one session per app; the id stays the same across refreshes. */
export function sessionIdFor(appId: string): string {
  return `${SESSION_ID_PREFIX}${appId}`;
}

/** The app a session id belongs to, or undefined for an id this provider did not issue. */
export function appIdOfSession(sessionId: string): string | undefined {
  return sessionId.startsWith(SESSION_ID_PREFIX) && sessionId.length > SESSION_ID_PREFIX.length
    ? sessionId.slice(SESSION_ID_PREFIX.length)
    : undefined;
}

export function accountFor(app: NamedApp): SessionAccount {
  return { id: app.id, label: app.name };
}

/**
 * `requestedScopes`: what the authorization that issued the set asked for, when known (right after a
 * sign-in); otherwise the app's configured scopes stand in for a response without `scope`.
 */
export function sessionFor(app: NamedApp, tokenSet: TokenSet, requestedScopes: readonly string[] = app.configuration.scopes): AppSession {
  return {
    id: sessionIdFor(app.id),
    accessToken: tokenSet.accessToken,
    account: accountFor(app),
    scopes: grantedScopes(tokenSet, requestedScopes),
  };
}

/**
 * What getSessions does with a stored set before handing it out. A token that is expired or in its last
 * minutes (the status bar's warning window) is refreshed first, so a consumer that keeps it a while still
 * holds a working one; without a refresh token an expiring one is still handed out, an expired one not.
 * A token with no stated expiry is handed out as is: nothing says it is stale.
 */
export type SessionTokenPlan = 'use' | 'refresh' | 'unusable';

export function sessionTokenPlan(tokenSet: TokenSet, now: number): SessionTokenPlan {
  const { kind } = accessTokenState(tokenSet, now);
  if (kind === 'valid' || kind === 'unknown') return 'use';
  if (tokenSet.refreshToken) return 'refresh';
  return kind === 'expired' ? 'unusable' : 'use';
}

/** After a refresh that did not succeed: the old set may still be handed out if it has not expired. */
export function sessionTokenUsable(tokenSet: TokenSet, now: number): boolean {
  return accessTokenState(tokenSet, now).kind !== 'expired';
}
