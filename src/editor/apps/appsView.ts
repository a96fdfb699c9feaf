// The Apps view (activity bar → Auth Code Flow → Apps): one item per app with its state, the active one
// marked, and the actions of package.json's view/item/context menus.
//
// Where it lives: in the startup shell (dist/extension.js), not in dist/commands.js. Registering a tree
// data provider costs nothing until the view is shown: VS Code asks for children only while it is
// visible, and then this reads the app list from settings (synchronous) and each app's token set from
// SecretStorage — the same reads the status bar already does at startup, with no protocol code, axios or
// views. An `onView:` activation that loaded dist/commands.js for the view would load ~130 KB to draw a
// list, and the status bar makes the shell active at startup anyway. So the view is drawn by the shell,
// and its buttons load the commands only when clicked.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { CONTEXT_KEYS, setContextKey } from '../contextKeys';
import { SETTINGS_SECTION } from '../settings';
import { appItem, type AppItem } from './appItemArgument';
import type { AppRegistry } from './appRegistry';
import { readTokenSet, stateOf } from './appStates';
import type { AppTokens } from './appTokens';
import { APPS_VIEW_ID, appTreeItemModel } from './appTreeItem';
import type { RefreshFailures } from './refreshFailures';

/** setTimeout's limit; a later change is simply re-armed by the repaint. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AppsViewDependencies {
  registry: AppRegistry;
  tokens: Pick<AppTokens, 'tokenSet' | 'onDidChangeTokens'>;
  refreshFailures: RefreshFailures;
  log: Pick<vscode.LogOutputChannel, 'error'>;
}

export class AppsTreeProvider implements vscode.TreeDataProvider<AppItem>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<AppItem | undefined>();
  readonly onDidChangeTreeData = this.changes.event;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** After each item is drawn: the repaint timer is set from what was actually shown. */
  readonly onDidRender = this.rendered.event;
  /** One element object per app: VS Code finds an element to update by identity. */
  private readonly elements = new Map<string, AppItem>();
  /** Token sets read since the last change event for the app; the periodic repaint reads none. */
  private readonly tokenSets = new Map<string, Promise<TokenSet | undefined>>();
  /** The earliest moment a shown description changes by itself. */
  private nextChangeAt = Number.POSITIVE_INFINITY;

  constructor(private readonly deps: AppsViewDependencies) {}

  getChildren(element?: AppItem): AppItem[] {
    if (element) return [];
    this.nextChangeAt = Number.POSITIVE_INFINITY;
    const apps = this.deps.registry.list();
    const ids = new Set(apps.map((app) => app.id));
    for (const id of [...this.elements.keys()]) {
      if (!ids.has(id)) {
        this.elements.delete(id);
        this.tokenSets.delete(id);
      }
    }
    return apps.map((app) => this.elementFor(app.id));
  }

  async getTreeItem(element: AppItem): Promise<vscode.TreeItem> {
    const app = this.deps.registry.byId(element.appId);
    if (!app) return new vscode.TreeItem('(removed)');
    const tokenSet = await this.tokenSetOf(app);
    const now = Date.now();
    const state = stateOf(app, tokenSet, this.deps.refreshFailures.has(app.id), now);
    if (state.nextChangeInMs !== undefined) this.nextChangeAt = Math.min(this.nextChangeAt, now + state.nextChangeInMs);
    const model = appTreeItemModel(app, state, this.deps.registry.active()?.id === app.id);
    const item = new vscode.TreeItem(model.label, vscode.TreeItemCollapsibleState.None);
    item.id = model.id;
    item.description = model.description;
    item.tooltip = model.tooltip.join('\n');
    item.contextValue = model.contextValue;
    item.iconPath = new vscode.ThemeIcon(model.icon, model.iconColor ? new vscode.ThemeColor(model.iconColor) : undefined);
    item.accessibilityInformation = { label: model.accessibilityLabel };
    this.rendered.fire();
    return item;
  }

  /** Everything changed (the app list, the active app, a setting). */
  refreshAll(): void {
    this.tokenSets.clear();
    this.changes.fire(undefined);
  }

  /** One app's tokens changed, here or in another window. */
  tokensChanged(appId: string): void {
    this.tokenSets.delete(appId);
    const element = this.elements.get(appId);
    // An id not shown yet (an app added a moment ago) arrives with the list's own change.
    if (element) this.changes.fire(element);
  }

  /** Redraws the descriptions from the token sets already read (the countdown moved on). */
  repaint(): void {
    this.changes.fire(undefined);
  }

  /** When the next description changes by itself, as of the last render; undefined when none will. */
  msToNextChange(now: number): number | undefined {
    return Number.isFinite(this.nextChangeAt) ? Math.max(0, this.nextChangeAt - now) : undefined;
  }

  private elementFor(appId: string): AppItem {
    let element = this.elements.get(appId);
    if (!element) {
      element = appItem(appId);
      this.elements.set(appId, element);
    }
    return element;
  }

  private tokenSetOf(app: NamedApp): Promise<TokenSet | undefined> {
    let pending = this.tokenSets.get(app.id);
    if (!pending) {
      pending = readTokenSet(this.deps.tokens, app, (message) => this.deps.log.error(message));
      this.tokenSets.set(app.id, pending);
    }
    return pending;
  }

  dispose(): void {
    this.changes.dispose();
    this.rendered.dispose();
  }
}

export interface AppsViewHandle extends vscode.Disposable {
  /** The shell's stateChanged(note): a refresh outcome belongs to the active app. */
  noteStateChanged(note?: { refreshFailed?: boolean }): void;
}

/**
 * Registers the view, keeps it and the hasApps context keys in step with the registry, the token sets and
 * the refresh outcomes, and repaints the countdowns only while the view is visible.
 */
export function registerAppsView(deps: AppsViewDependencies): AppsViewHandle {
  const provider = new AppsTreeProvider(deps);
  const view = vscode.window.createTreeView(APPS_VIEW_ID, { treeDataProvider: provider });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Event-driven: every render (a change, a repaint, the view shown) sets the timer to the next instant a
  // shown description changes by itself ("43 min" → "42 min", or expiry). No countdown shown, or the view
  // hidden: no timer at all.
  const schedule = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const wait = view.visible ? provider.msToNextChange(Date.now()) : undefined;
    if (wait === undefined) return;
    timer = setTimeout(() => provider.repaint(), Math.min(wait, MAX_TIMER_MS));
  };
  const updateContextKeys = (): void => {
    const count = deps.registry.list().length;
    void setContextKey(vscode.commands, CONTEXT_KEYS.hasApps, count > 0);
    void setContextKey(vscode.commands, CONTEXT_KEYS.hasManyApps, count > 1);
  };
  updateContextKeys();
  const subscriptions: { dispose(): void }[] = [
    provider,
    view,
    provider.onDidRender(schedule),
    deps.registry.onDidChange(() => {
      updateContextKeys();
      provider.refreshAll();
    }),
    // An app's configuration decides which stored tokens are its own (and whether it is configured),
    // whether or not the registry reports the edit as a change of the list.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) provider.refreshAll();
    }),
    deps.tokens.onDidChangeTokens(({ appId }) => {
      // New tokens (a refresh in another window, a new authorization) end "refresh failed", as in the status bar.
      deps.refreshFailures.note(appId, false);
      provider.tokensChanged(appId);
    }),
    deps.refreshFailures.onDidChange((appId) => provider.tokensChanged(appId)),
    view.onDidChangeVisibility(({ visible }) => {
      // Hidden: no timer at all. Shown again: redraw now, since the countdowns went on meanwhile.
      if (visible) provider.repaint();
      else schedule();
    }),
  ];
  return {
    noteStateChanged: (note) => {
      const activeId = deps.registry.active()?.id;
      if (activeId !== undefined && note?.refreshFailed !== undefined) deps.refreshFailures.note(activeId, note.refreshFailed);
    },
    dispose: () => {
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
