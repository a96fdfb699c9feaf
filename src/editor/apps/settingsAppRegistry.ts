// The AppRegistry kept in machine-scoped user settings: `authCodeFlow.apps` (the list) and
// `authCodeFlow.activeApp` (the active app's id). Reads parse the setting each time (cheap, and always what
// settings.json says now); writes go back through the raw array, so an entry the parser skipped is kept
// for the user to fix rather than deleted. Settings reach every window, so onDidChange fires in all.
import * as vscode from 'vscode';
import { activeApp } from '../../core/apps/activeApp';
import { newAppId } from '../../core/apps/appId';
import { withEntry, withoutEntry } from '../../core/apps/appList';
import { appNameProblem } from '../../core/apps/appName';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { ACTIVE_APP_KEY, APPS_KEY, readApps, SETTINGS_SECTION } from '../settings';
import type { AppRegistry } from './appRegistry';

/**
 * Machine-scoped settings are written at the user level (there is no machine target to write to). Read
 * when writing, not at load: the startup bundle touches no editor API before activation.
 */
const target = (): vscode.ConfigurationTarget => vscode.ConfigurationTarget.Global;

export class SettingsAppRegistry implements AppRegistry, vscode.Disposable {
  readonly onDidChange: vscode.Event<void>;
  private readonly changes = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Writes in this window, one after the other, so two of them never read the same old list. */
  private writes: Promise<unknown> = Promise.resolve();
  private reportedProblems = '';

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.onDidChange = this.changes.event;
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.${APPS_KEY}`) || event.affectsConfiguration(`${SETTINGS_SECTION}.${ACTIVE_APP_KEY}`)) {
        this.reportProblems();
        this.changes.fire();
      }
    });
    this.reportProblems();
  }

  list(): readonly NamedApp[] {
    return readApps().apps;
  }

  active(): NamedApp | undefined {
    return activeApp(this.list(), settings().get<unknown>(ACTIVE_APP_KEY));
  }

  byId(id: string): NamedApp | undefined {
    return this.list().find((app) => app.id === id);
  }

  setActive(id: string): Promise<void> {
    return this.write(async () => {
      if (!this.byId(id)) throw new Error(`There is no app with the id "${id}"; it may have been removed in another window.`);
      await settings().update(ACTIVE_APP_KEY, id, target());
    });
  }

  add(name: string, configuration: AppConfiguration): Promise<NamedApp> {
    return this.write(async () => {
      const problem = appNameProblem(name, this.list());
      if (problem) throw new Error(problem);
      const app: NamedApp = { id: newAppId(), name: name.trim(), configuration };
      await settings().update(APPS_KEY, withEntry(rawApps(), app), target());
      await settings().update(ACTIVE_APP_KEY, app.id, target());
      this.log.info(`Added the app "${app.name}".`);
      return app;
    });
  }

  update(id: string, configuration: AppConfiguration): Promise<void> {
    return this.write(async () => {
      const app = this.byId(id);
      if (!app) throw new Error('The app was removed (perhaps in another window) before its configuration could be saved.');
      await settings().update(APPS_KEY, withEntry(rawApps(), { ...app, configuration }), target());
    });
  }

  remove(id: string): Promise<void> {
    return this.write(async () => {
      const wasActive = this.active()?.id === id;
      await settings().update(APPS_KEY, withoutEntry(rawApps(), id), target());
      // The next app becomes active explicitly, so every window agrees on it.
      if (wasActive) await settings().update(ACTIVE_APP_KEY, this.list()[0]?.id, target());
    });
  }

  private write<T>(action: () => Promise<T>): Promise<T> {
    const result = this.writes.then(action, action);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Tells the user once per distinct problem which entry of settings.json was skipped and why. */
  private reportProblems(): void {
    const { problems } = readApps();
    const text = problems.join('\n');
    if (text === this.reportedProblems) return;
    this.reportedProblems = text;
    if (problems.length === 0) return;
    for (const problem of problems) this.log.warn(problem);
    const open = 'Open Settings (JSON)';
    void vscode.window.showWarningMessage(`Authorization Code Flow: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more; see Show Log)` : ''}`, open)
      .then((choice) => choice === open ? vscode.commands.executeCommand('workbench.action.openSettingsJson') : undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

/** The user-level value as written, malformed entries included (what withEntry/withoutEntry start from). */
function rawApps(): unknown {
  return settings().inspect<unknown>(APPS_KEY)?.globalValue;
}
