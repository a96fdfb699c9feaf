// The in-host tests' way to set up apps: write `authCodeFlow.apps` and `authCodeFlow.activeApp` as Configure
// App does (user level), and remove them afterwards.
import * as vscode from 'vscode';
import { appEntry } from '../../src/core/apps/appList';
import type { NamedApp } from '../../src/core/apps/namedApp';
import type { AppConfiguration } from '../../src/core/providers/appConfiguration';
import { ACTIVE_APP_KEY, APPS_KEY, SETTINGS_SECTION } from '../../src/editor/settings';

/** One app, active: what the single-app settings used to be. */
export async function useSingleApp(configuration: AppConfiguration, name = 'In-host app', id = 'in-host-app'): Promise<NamedApp> {
  const app: NamedApp = { id, name, configuration };
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await settings.update(APPS_KEY, [appEntry(app)], vscode.ConfigurationTarget.Global);
  await settings.update(ACTIVE_APP_KEY, id, vscode.ConfigurationTarget.Global);
  return app;
}

export async function clearApps(): Promise<void> {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await settings.update(APPS_KEY, undefined, vscode.ConfigurationTarget.Global);
  await settings.update(ACTIVE_APP_KEY, undefined, vscode.ConfigurationTarget.Global);
}
