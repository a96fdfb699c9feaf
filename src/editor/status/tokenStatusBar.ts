// The status bar item and the two context keys, kept in step with the active app and its stored tokens
// (in this window and, through settings and SecretStorage.onDidChange, in the others): "$(key) Sandbox ·
// 43m". Lives in the startup shell: it reads one secret at activation and runs a timer only while tokens
// are stored. It auto-refreshes the active app only; the others are refreshed when used.
import * as vscode from 'vscode';
import { emptyConfiguration } from '../../core/apps/appList';
import type { NamedApp } from '../../core/apps/namedApp';
import { validateConfiguration } from '../../core/providers/presets';
import { refreshDueAt } from '../../core/tokens/expiry';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { tokenStatusView } from '../../core/tokens/tokenStatus';
import type { AppRegistry } from '../apps/appRegistry';
import { CONTEXT_KEYS, setContextKey } from '../contextKeys';
import type { SecretStore } from '../secretStore';
import { autoRefreshEnabled } from '../settings';

export const STATUS_BAR_ITEM_ID = 'authCodeFlow.tokenStatus';
const SWITCH_APP_COMMAND = 'authCodeFlow.switchApp';

/** setTimeout's limit; a longer wait is simply re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A provider that hands out tokens already expired must not get a refresh request in a tight loop. */
const MIN_AUTO_REFRESH_INTERVAL_MS = 10_000;
/** After a failed automatic refresh (usually no network), the next try. */
const RETRY_AFTER_FAILURE_MS = 120_000;

export class TokenStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private tokenSet: TokenSet | undefined;
  /** The app shown; the timers and the auto-refresh act on it even if another becomes active meanwhile. */
  private app: NamedApp | undefined;
  private refreshFailed = false;
  private repaintTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshDue = false;
  private lastAutoRefreshAt = 0;
  private updating: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly secrets: SecretStore,
    private readonly apps: AppRegistry,
    private readonly log: vscode.LogOutputChannel,
    private readonly autoRefresh: (appId: string) => Promise<void>,
  ) {
    this.item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Authorization Code Flow: Access Token';
    this.subscriptions.push(
      this.item,
      secrets.onDidChangeTokens(({ appId }) => {
        if (appId === this.app?.id) void this.update();
      }),
      apps.onDidChange(() => void this.update()),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && this.refreshDue) this.runAutoRefresh();
      }),
    );
  }

  /**
   * Re-reads settings and tokens; updates queue so a slow read never overwrites a newer one. Never
   * rejects: a secret storage that cannot be read (a locked keyring) shows as "no tokens" and is logged.
   */
  update(note: { refreshFailed?: boolean } = {}): Promise<void> {
    this.updating = this.updating.then(() => this.read(note)).catch((error: unknown) => {
      this.log.error(`Could not update the token status: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.updating;
  }

  private async read(note: { refreshFailed?: boolean }): Promise<void> {
    if (this.disposed) return;
    const app = this.apps.active();
    const config = app?.configuration ?? emptyConfiguration();
    const configured = validateConfiguration(config).length === 0;
    let tokenSet: TokenSet | undefined;
    try {
      tokenSet = app && await this.secrets.forApp(app.id).tokenSet(config);
    } catch (error) {
      this.log.error(`Could not read the stored tokens from secret storage: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.disposed) return;
    if (app?.id !== this.app?.id || tokenSet?.accessToken !== this.tokenSet?.accessToken) this.refreshFailed = false;
    this.app = app;
    if (note.refreshFailed !== undefined) this.refreshFailed = note.refreshFailed;
    this.tokenSet = tokenSet;
    await Promise.all([
      setContextKey(vscode.commands, CONTEXT_KEYS.configured, configured),
      setContextKey(vscode.commands, CONTEXT_KEYS.authorized, tokenSet !== undefined),
    ]);
    if (configured || tokenSet) {
      this.repaint();
      this.item.show();
    } else {
      this.clearTimers();
      this.item.hide();
    }
    this.scheduleAutoRefresh();
  }

  private repaint(): void {
    clearTimeout(this.repaintTimer);
    this.repaintTimer = undefined;
    const view = tokenStatusView(this.tokenSet, Date.now(), {
      refreshFailed: this.refreshFailed,
      formatTime: (ms) => new Date(ms).toLocaleString(),
    });
    const name = this.app?.name;
    // The name first, the time left after it: "$(key) Sandbox · 43m". Codicon syntax in a name is not expanded.
    this.item.text = name ? view.text.replace('$(key) ', `$(key) ${name.replace(/\$\(/g, '$\u200b(')} · `) : view.text;
    const lines = name ? [`App: ${name} (Switch App or Configure App to change it).`, ...view.tooltip] : view.tooltip;
    // The click refreshes or authorizes; with more than one app the tooltip also switches, so the status
    // bar is where a person moves between apps. appendText escapes the provider's and the user's text.
    const tooltip = new vscode.MarkdownString().appendText(lines.join('\n'));
    if (this.apps.list().length > 1) {
      tooltip.isTrusted = { enabledCommands: [SWITCH_APP_COMMAND] };
      tooltip.appendMarkdown(`\n\n[Switch App…](command:${SWITCH_APP_COMMAND} "Make another app the active one")`);
    }
    this.item.tooltip = tooltip;
    this.item.command = view.action === 'refresh' ? 'authCodeFlow.refresh' : 'authCodeFlow.authorize';
    this.item.backgroundColor = view.severity === 'normal' ? undefined
      : new vscode.ThemeColor(view.severity === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
    this.item.accessibilityInformation = { label: `${name ? `${name}: a` : 'A'}ccess token ${view.text.replace('$(key) ', '')}. ${view.tooltip.join(' ')}` };
    if (view.nextChangeInMs !== undefined) {
      this.repaintTimer = setTimeout(() => this.repaint(), Math.min(view.nextChangeInMs, MAX_TIMER_MS));
    }
  }

  /**
   * Only a focused window refreshes on its own: with refresh-token rotation, two windows refreshing at
   * once would have the provider refuse one of them and drop the set. The others see the new tokens
   * through SecretStorage.onDidChange. A failed refresh is retried every two minutes.
   */
  private scheduleAutoRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.refreshDue = false;
    const scheduled = this.tokenSet && autoRefreshEnabled() ? refreshDueAt(this.tokenSet) : undefined;
    if (scheduled === undefined || this.disposed) return;
    const pause = this.refreshFailed ? RETRY_AFTER_FAILURE_MS : MIN_AUTO_REFRESH_INTERVAL_MS;
    const dueAt = Math.max(scheduled, this.lastAutoRefreshAt + pause);
    const wait = dueAt - Date.now();
    const fire = (): void => {
      if (Date.now() < dueAt) {
        this.refreshTimer = setTimeout(fire, Math.min(dueAt - Date.now(), MAX_TIMER_MS));
        return;
      }
      this.refreshDue = true;
      if (vscode.window.state.focused) this.runAutoRefresh();
    };
    this.refreshTimer = setTimeout(fire, Math.max(0, Math.min(wait, MAX_TIMER_MS)));
  }

  private runAutoRefresh(): void {
    if (this.disposed) return;
    this.refreshDue = false;
    this.refreshIfStillDue().catch((error: unknown) => {
      this.log.error(`Automatic refresh failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /**
   * Re-reads the stored set first: another window may have renewed it a moment ago, before its change
   * event reached this one, and spending its rotated refresh token again would be refused.
   */
  private async refreshIfStillDue(): Promise<void> {
    const app = this.app;
    if (!app) return;
    const stored = await this.secrets.forApp(app.id).tokenSet(app.configuration);
    const dueAt = stored ? refreshDueAt(stored) : undefined;
    if (dueAt === undefined || dueAt > Date.now()) {
      await this.update();
      return;
    }
    this.lastAutoRefreshAt = Date.now();
    await this.autoRefresh(app.id);
  }

  private clearTimers(): void {
    clearTimeout(this.repaintTimer);
    clearTimeout(this.refreshTimer);
    this.repaintTimer = this.refreshTimer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
