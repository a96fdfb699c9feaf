// Today's one app (the `authCodeFlow.*` settings and the one stored token set) as the provider's only
// account, so the provider works before named apps exist. When the app list arrives (issue 11), this
// file is replaced by a SessionStore over AppRegistry and SecretStore.forApp(id) (see the wiring note in
// appAuthenticationProvider.ts); nothing else in the provider changes.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import { presetById, validateConfiguration } from '../../core/providers/presets';
import type { SecretStore } from '../secretStore';
import { readConfiguration, SETTINGS_SECTION } from '../settings';
import type { SessionStore } from './sessionSource';

/** The account id of the one app; stable, so VS Code's record of which extensions may use it survives. */
export const CURRENT_APP_ID = 'app';

export function currentApp(): NamedApp | undefined {
  const configuration = readConfiguration();
  if (validateConfiguration(configuration).length > 0) return undefined;
  return { id: CURRENT_APP_ID, name: presetById(configuration.preset).label, configuration };
}

export function currentAppSessionStore(secrets: SecretStore): SessionStore {
  const settingsChanged: vscode.Event<unknown> = (listener, thisArgs, disposables) =>
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) listener.call(thisArgs, event);
    }, undefined, disposables);
  return {
    apps: () => {
      const app = currentApp();
      return app ? [app] : [];
    },
    tokenSet: async (appId) => {
      const app = currentApp();
      return app && app.id === appId ? secrets.tokenSet(app.configuration) : undefined;
    },
    changes: [secrets.onDidChangeTokens, settingsChanged],
  };
}
