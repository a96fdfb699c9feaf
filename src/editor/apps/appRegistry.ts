// The contract between the app list (settings) and everything that acts on "the active app": commands,
// the status bar, the Apps view. The implementation keeps the list in machine-scoped settings (no
// secrets there); each app's secrets and tokens live in SecretStorage under keys built from its id.
import type * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppConfiguration } from '../../core/providers/appConfiguration';

export interface AppRegistry {
  /** Every app, in the order the user added them. Read from settings each time (cheap, synchronous). */
  list(): readonly NamedApp[];
  /** The app the walkthrough, commands, status bar and snippets act on; undefined when there is none. */
  active(): NamedApp | undefined;
  byId(id: string): NamedApp | undefined;
  setActive(id: string): Promise<void>;
  /** Adds an app (the name must be unique, compared case-insensitively) and makes it active. */
  add(name: string, configuration: AppConfiguration): Promise<NamedApp>;
  update(id: string, configuration: AppConfiguration): Promise<void>;
  /** Removes the app from settings. Its secrets are deleted separately (SecretStore.forApp(id).deleteAll()). */
  remove(id: string): Promise<void>;
  /** Fires when the list or the active app changes, in this window or (through settings) another one. */
  readonly onDidChange: vscode.Event<void>;
}
