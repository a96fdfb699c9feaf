// What the `authcodeflow` authentication provider needs from the rest of the extension, as narrow
// interfaces so it can be tested with fakes and wired to whichever app list and secret store the
// extension has. The store (reads only) lives in the startup shell; the actions (core/sessions/
// sessionBroker.ts: refresh, authorize, sign out) come from dist/commands.js, loaded only when a session
// is asked for, created or removed.
import type * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { TokenSet } from '../../core/tokens/tokenSet';

export type { SessionActions } from '../../core/sessions/sessionBroker';

/** package.json's `contributes.authentication` and `onAuthenticationRequest:` say the same (a unit test compares). */
export const AUTH_PROVIDER_ID = 'authcodeflow';
export const AUTH_PROVIDER_LABEL = 'Authorization Code Flow';

/** Reads only: the app list (settings) and each app's stored token set (one SecretStorage read). */
export interface SessionStore {
  apps(): readonly NamedApp[];
  /** The app's stored set, if it was issued to the app as configured now. */
  tokenSet(appId: string): Promise<TokenSet | undefined>;
  /**
   * Fire when an app's tokens change (a token set stored or deleted, in this window or another) or the
   * app list does (added, renamed, removed). The provider re-reads and reports what changed.
   */
  readonly changes: readonly vscode.Event<unknown>[];
}
