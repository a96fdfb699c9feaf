// What the Apps UI needs from per-app secret storage, and nothing more, so the view and the two commands
// take only what they use and are tested with fakes. `appTokensFrom` adapts the SecretStore of the issue-11
// contract (SecretStore.forApp(id) → AppSecretStore; onDidChangeTokens fires with { appId }).
import type * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import type { TokenSet } from '../../core/tokens/tokenSet';

export interface AppTokens {
  /** The token set stored for this app, if it was issued to the app's configuration as it is now. */
  tokenSet(app: NamedApp): Promise<TokenSet | undefined>;
  /** Deletes every secret the app owns: application secret, subscription key, tokens, refresh lease. */
  deleteAll(appId: string): Promise<void>;
  /** Fires when an app's token set changes, in this window or another one. */
  readonly onDidChangeTokens: vscode.Event<{ appId: string }>;
}

/** The part of the contract's SecretStore that AppTokens is built from. */
export interface PerAppSecretStore {
  forApp(appId: string): {
    tokenSet(config: Pick<AppConfiguration, 'tokenEndpoint' | 'clientId'>): Promise<TokenSet | undefined>;
    deleteAll(): Promise<void>;
  };
  readonly onDidChangeTokens: vscode.Event<{ appId: string }>;
}

export function appTokensFrom(store: PerAppSecretStore): AppTokens {
  return {
    tokenSet: (app) => store.forApp(app.id).tokenSet(app.configuration),
    deleteAll: (appId) => store.forApp(appId).deleteAll(),
    onDidChangeTokens: store.onDidChangeTokens,
  };
}
