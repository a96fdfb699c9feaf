// The seam between the two bundles. dist/extension.js (the shell, loaded at startup) owns what must exist
// before any command runs: the log, the secret store, the context keys and the status bar. dist/commands.js
// (loaded on first use) receives them through this interface and returns its command handlers.
import type * as vscode from 'vscode';
import type { AppRegistry } from './apps/appRegistry';
import type { AppTokens } from './apps/appTokens';
import type { RefreshFailures } from './apps/refreshFailures';
import type { SecretStore } from './secretStore';
import type { SessionActions } from './sessions/sessionSource';

/** Every command the extension contributes; package.json lists the same ids (a unit test compares). */
export const COMMAND_IDS = [
  'authCodeFlow.configure',
  'authCodeFlow.authorize',
  'authCodeFlow.showTokens',
  'authCodeFlow.revealTokens',
  'authCodeFlow.copyAccessToken',
  'authCodeFlow.callApi',
  'authCodeFlow.refresh',
  'authCodeFlow.insertSnippet',
  'authCodeFlow.showRequest',
  'authCodeFlow.signOut',
  'authCodeFlow.showRedirectUri',
  'authCodeFlow.switchApp',
  'authCodeFlow.removeApp',
  'authCodeFlow.runWithMyTokens',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export interface CommandShell {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly secrets: SecretStore;
  /** The apps (settings) and which one is active; the status bar and every command read it. */
  readonly apps: AppRegistry;
  /** What the Apps view, Switch App and Remove App read per app; built once by the shell. */
  readonly appsUi: AppsShell;
  /**
   * Re-reads the settings and the stored tokens into the context keys and the status bar. `refreshFailed`
   * marks the last refresh as failed (error colour) until the next successful one.
   */
  stateChanged(note?: { refreshFailed?: boolean }): Promise<void>;
}

/** What the startup shell keeps about the apps, shared with dist/commands.js. */
export interface AppsShell {
  readonly registry: AppRegistry;
  readonly tokens: AppTokens;
  /** Which apps' last refresh failed (the shell notes it from stateChanged). */
  readonly refreshFailures: RefreshFailures;
}

export interface RefreshRequest {
  /** A person asked (status bar, palette, Refresh and retry): report every outcome. */
  interactive: boolean;
  /** The app to refresh (the status bar's, pinned when it scheduled the refresh); the active app when absent. */
  appId?: string;
}

export interface LoadedCommands extends vscode.Disposable {
  run(command: CommandId, args: unknown[]): Promise<unknown>;
  handleUri(uri: vscode.Uri): void;
  /** The status bar's auto-refresh; resolves once the outcome is stored and reported. */
  refresh(request: RefreshRequest): Promise<void>;
  /** What the `authcodeflow` authentication provider does for getSessions, createSession and removeSession. */
  readonly sessions: SessionActions;
}
