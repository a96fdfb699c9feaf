/**
 * What the `authcodeflow` authentication provider does, without VS Code: which sessions to hand out for
 * a request (refreshing a token first when it is expired or about to be), what a sign-in must yield,
 * which app a session id signs out of, and what changed since the sessions were last reported. The
 * editor's provider (editor/sessions/appAuthenticationProvider.ts) adds the events, pickers and messages.
 */
import type { NamedApp } from '../apps/namedApp';
import type { RefreshOutcome } from '../tokens/refreshCoordinator';
import type { TokenSet } from '../tokens/tokenSet';
import { appIdOfSession, sessionFor, sessionTokenPlan, sessionTokenUsable, type AppSession } from './appSession';
import { hasChanges, sessionChanges, type SessionChanges } from './sessionChanges';
import { scopesCover } from './sessionScopes';

/** What acts on an app; loaded lazily (dist/commands.js), each call names the app it acts on. */
export interface SessionActions {
  /** The app's one single-flight refresh (the same one the status bar and Refresh Access Token use). */
  refresh(appId: string): Promise<RefreshOutcome>;
  /**
   * Authorize App for that app with `scopes` (the app's own scopes plus the caller's extra ones), through
   * the same flow and checks as the command. True when a new token set was stored.
   */
  authorize(appId: string, scopes: readonly string[]): Promise<boolean>;
  /** Sign Out for that app. */
  signOut(appId: string): Promise<void>;
}

export interface SessionBrokerDependencies {
  apps(): readonly NamedApp[];
  /** The app's stored set, if it was issued to the app as configured now. */
  tokenSet(appId: string): Promise<TokenSet | undefined>;
  actions(): Promise<SessionActions>;
  now(): number;
  warn(message: string): void;
}

export class SessionBroker {
  /** The sessions last reported, by session id: what a change is compared against. */
  private known = new Map<string, AppSession>();
  /** Re-reads run one after another, so two quick changes cannot be reported out of order. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SessionBrokerDependencies) {}

  /** The sessions whose granted scopes cover `scopes`, of one account (app id) or all, each token usable. */
  async sessions(scopes: readonly string[] | undefined, accountId?: string): Promise<AppSession[]> {
    const apps = this.deps.apps().filter((app) => accountId === undefined || app.id === accountId);
    const sessions: AppSession[] = [];
    for (const app of apps) {
      const tokenSet = await this.usableTokenSet(app);
      if (!tokenSet) continue;
      const session = sessionFor(app, tokenSet);
      if (scopesCover(session.scopes, scopes)) sessions.push(session);
    }
    return sessions;
  }

  /**
   * Authorize App for `app` with `requested` scopes; the session it stored, or an error saying why there
   * is none or why it does not cover `asked` (the provider granted less).
   */
  async create(app: NamedApp, requested: readonly string[], asked: readonly string[]): Promise<AppSession> {
    const authorized = await (await this.deps.actions()).authorize(app.id, requested);
    if (!authorized) throw new Error(`Signing in to "${app.name}" did not complete; Authorize App said why.`);
    const tokenSet = await this.deps.tokenSet(app.id);
    if (!tokenSet) throw new Error(`Signing in to "${app.name}" stored no tokens. Run Authorize App again.`);
    // A response without `scope` granted exactly what was asked (RFC 6749 §5.1), extra scopes included.
    const session = sessionFor(app, tokenSet, requested);
    const missing = asked.filter((scope) => !session.scopes.includes(scope));
    if (missing.length > 0) {
      throw new Error(`"${app.name}" was authorized, but the provider did not grant ${missing.join(' ')}. `
        + 'Check that the app may ask for these scopes at the provider.');
    }
    return session;
  }

  /** Sign Out for the session's app; false when no configured app has that session. */
  async remove(sessionId: string): Promise<boolean> {
    const appId = appIdOfSession(sessionId);
    if (!appId || !this.deps.apps().some((app) => app.id === appId)) return false;
    await (await this.deps.actions()).signOut(appId);
    return true;
  }

  /**
   * Reads every app's stored set again (one SecretStorage read each, no request) and returns what was
   * added, removed or changed since the last read, or undefined when nothing was.
   */
  changes(): Promise<SessionChanges | undefined> {
    const next = this.reading.then(async () => {
      const current = await this.snapshot();
      const changes = sessionChanges(this.known, current);
      this.known = current;
      return hasChanges(changes) ? changes : undefined;
    });
    this.reading = next.catch(() => undefined);
    return next;
  }

  /** The stored set, refreshed first when its access token is expired or about to be. */
  private async usableTokenSet(app: NamedApp): Promise<TokenSet | undefined> {
    const stored = await this.deps.tokenSet(app.id);
    if (!stored) return undefined;
    switch (sessionTokenPlan(stored, this.deps.now())) {
      case 'use': return stored;
      case 'unusable': return undefined;
      case 'refresh': {
        const outcome = await (await this.deps.actions()).refresh(app.id);
        if (outcome.kind === 'refreshed') return outcome.tokenSet;
        this.deps.warn(`Refreshing "${app.name}" before handing out its session failed: ${outcome.error.message}`);
        return sessionTokenUsable(stored, this.deps.now()) ? stored : undefined;
      }
    }
  }

  private async snapshot(): Promise<Map<string, AppSession>> {
    const apps = this.deps.apps();
    const sets = await Promise.all(apps.map((app) => this.deps.tokenSet(app.id)));
    const sessions = new Map<string, AppSession>();
    apps.forEach((app, index) => {
      const tokenSet = sets[index];
      if (tokenSet) sessions.set(sessionFor(app, tokenSet).id, sessionFor(app, tokenSet));
    });
    return sessions;
  }
}
