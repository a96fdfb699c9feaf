// Where Call the API's last path is kept between sessions: the extension's globalState, one key per app
// (apps/appState.ts). Not settings (a path is not configuration, and settings sync and show in the UI),
// not SecretStorage (it is not a secret, and the status bar reads secrets at startup), and not
// workspaceState: apps are configured per machine (machine-scoped settings), not per folder, so a folder
// switch must not lose it. globalState is not synced unless the extension asks (setKeysForSync), and it
// never is.
import { apiPathToRemember, rememberedApiPath } from '../core/api/lastApiPath';
import type { AppConfiguration } from '../core/providers/appConfiguration';
import { appStateKey } from '../core/apps/appKeys';
import type { ExtensionServices } from './services';

type AppIdentity = Pick<AppConfiguration, 'apiBaseUrl' | 'clientId'>;

/**
 * Keeps the target Call the API is sending, if it is fit to keep (see core/api/lastApiPath); one that is
 * not replaces the previous record with nothing, so a snippet never makes an older call than the last.
 */
export async function rememberApiPath(services: ExtensionServices, appId: string, config: AppIdentity, target: string): Promise<void> {
  await services.context.globalState.update(appStateKey(appId, 'lastApiPath'), apiPathToRemember(config, target));
}

/** The last path called for the app, relative to its API base URL (still checked against its configuration). */
export function lastApiPathFor(services: ExtensionServices, appId: string, config: AppIdentity): string | undefined {
  return rememberedApiPath(services.context.globalState.get<unknown>(appStateKey(appId, 'lastApiPath')), config);
}
