// The `authcodeflow` authentication provider: every configured app is an account, its stored token set
// that account's one session (core/sessions/sessionBroker.ts decides which, and refreshes first).
// Registered by the startup shell, so VS Code's Accounts menu and other extensions
// (vscode.authentication.getSession) see it; everything that sends a request or opens the browser is
// loaded from dist/commands.js only when a session is asked for, created or removed. VS Code itself asks
// the user before another extension may read a session.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppSession } from '../../core/sessions/appSession';
import { SessionBroker, type SessionActions } from '../../core/sessions/sessionBroker';
import { extraScopes, scopesToRequest } from '../../core/sessions/sessionScopes';
import type { SessionStore } from './sessionSource';

export interface ProviderDependencies {
  store: SessionStore;
  /** Loads dist/commands.js on first use. */
  actions(): Promise<SessionActions>;
  log: vscode.LogOutputChannel;
}

export class AppAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changeEmitter.event;
  private readonly broker: SessionBroker;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: ProviderDependencies) {
    const { store, log } = deps;
    this.broker = new SessionBroker({
      apps: () => store.apps(),
      tokenSet: (appId) => store.tokenSet(appId),
      actions: () => deps.actions(),
      now: () => Date.now(),
      warn: (text) => log.warn(`Authentication provider: ${text}`),
    });
    this.subscriptions = store.changes.map((event) => event(() => void this.reportChanges()));
  }

  /**
   * The stored sessions that later changes are compared to, read on first use rather than at activation
   * (startup reads one secret, the status bar's). Until something asked this window's provider for a
   * session, no one here holds one, so there is no change to report yet.
   */
  private baseline: Promise<unknown> | undefined;

  private ensureBaseline(): Promise<unknown> {
    this.baseline ??= this.broker.changes().catch((error: unknown) => {
      this.deps.log.warn(`Authentication provider: could not read the stored sessions: ${message(error)}`);
    });
    return this.baseline;
  }

  async getSessions(scopes: readonly string[] | undefined, options: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    await this.ensureBaseline();
    return (await this.broker.sessions(scopes, options.account?.id)).map(toVscodeSession);
  }

  async createSession(scopes: readonly string[], options: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    await this.ensureBaseline();
    const app = await this.appToSignInWith(options.account, scopes);
    const extra = extraScopes(app.configuration.scopes, scopes);
    this.deps.log.info(`Authentication provider: a sign-in to "${app.name}" was asked for`
      + `${extra.length > 0 ? ` with the extra scopes ${extra.join(' ')}` : ''}; running Authorize App.`);
    const session = await this.broker.create(app, scopesToRequest(app.configuration.scopes, scopes), scopes);
    await this.reportChanges();
    return toVscodeSession(session);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.ensureBaseline();
    if (!(await this.broker.remove(sessionId))) {
      this.deps.log.warn(`Authentication provider: no configured app has the session ${sessionId}; nothing to sign out of.`);
      return;
    }
    await this.reportChanges();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** Fires onDidChangeSessions with what changed since the last report, if anything did. */
  private async reportChanges(): Promise<void> {
    if (this.baseline === undefined) return;
    try {
      const changes = await this.broker.changes();
      if (!changes) return;
      this.deps.log.info(`Authentication provider: sessions changed (${changes.added.length} added, `
        + `${changes.removed.length} removed, ${changes.changed.length} changed).`);
      this.changeEmitter.fire({
        added: changes.added.map(toVscodeSession),
        removed: changes.removed.map(toVscodeSession),
        changed: changes.changed.map(toVscodeSession),
      });
    } catch (error) {
      this.deps.log.warn(`Authentication provider: could not read the stored sessions: ${message(error)}`);
    }
  }

  private async appToSignInWith(account: vscode.AuthenticationSessionAccountInformation | undefined, scopes: readonly string[]): Promise<NamedApp> {
    const apps = this.deps.store.apps();
    if (account) {
      const app = apps.find((candidate) => candidate.id === account.id);
      if (!app) throw new Error(`No app "${account.label}" is configured in Authorization Code Flow any more. Run Configure App.`);
      return app;
    }
    if (apps.length === 0) {
      void vscode.window.showWarningMessage('Authorization Code Flow: an extension asked to sign in, but no app is configured yet.', 'Configure App')
        .then((choice) => choice === 'Configure App' ? vscode.commands.executeCommand('authCodeFlow.configure') : undefined);
      throw new Error('No app is configured in Authorization Code Flow. Run Configure App, then sign in again.');
    }
    if (apps.length === 1) return apps[0] as NamedApp;
    const picked = await vscode.window.showQuickPick(apps.map((app) => ({ label: app.name, app })), {
      title: 'Sign in with which app?',
      placeHolder: scopes.length > 0 ? `Scopes asked for: ${scopes.join(' ')}` : 'Each configured app is an account',
      ignoreFocusOut: true,
    });
    if (!picked) throw new Error('Sign-in cancelled: no app was chosen.');
    return picked.app;
  }
}

function toVscodeSession(session: AppSession): vscode.AuthenticationSession {
  return { id: session.id, accessToken: session.accessToken, account: { ...session.account }, scopes: [...session.scopes] };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
