// Every context key the extension sets, in one place: package.json's `when`, `enablement` and the
// walkthrough's `completionEvents` name these strings, and a unit test checks that package.json names no
// `authCodeFlow.*` key missing here. No runtime `vscode` import, so the unit test can read the list.
import type * as vscode from 'vscode';

export const CONTEXT_KEYS = {
  /** An app is configured well enough to authorize (walkthrough setup step). */
  configured: 'authCodeFlow.configured',
  /** Tokens are stored for the active app (Show Tokens, Refresh, Sign Out enablement; steps 1–5). */
  authorized: 'authCodeFlow.authorized',
  /** Call the API got a 2xx in this window (walkthrough step 6). */
  apiCalled: 'authCodeFlow.apiCalled',
  /** A refresh succeeded in this window (walkthrough step 7). */
  refreshed: 'authCodeFlow.refreshed',
  /** A snippet was inserted in this window (walkthrough step 8). */
  snippetInserted: 'authCodeFlow.snippetInserted',
  /** At least one app exists (Switch App and Remove App in the palette). */
  hasApps: 'authCodeFlow.hasApps',
  /** More than one app exists (Switch App has something to switch to). */
  hasManyApps: 'authCodeFlow.hasManyApps',
} as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

/** The one way to set a key: the typed name keeps a misspelt key from silently never matching. */
export function setContextKey(commands: Pick<typeof vscode.commands, 'executeCommand'>, key: ContextKey, value: boolean): Thenable<unknown> {
  return commands.executeCommand('setContext', key, value);
}
