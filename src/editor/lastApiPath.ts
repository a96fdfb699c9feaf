// Where Call the API's last path is kept between sessions: the extension's globalState, under one key.
// Not settings (a path is not configuration, and settings sync and show in the UI), not SecretStorage (it
// is not a secret, and the status bar reads secrets at startup), and not workspaceState: the app it was
// called with is configured per machine (machine-scoped settings), not per folder, so a folder switch must
// not lose it. globalState is not synced unless the extension asks (setKeysForSync), and it never is.
import { apiPathToRemember, rememberedApiPath } from '../core/api/lastApiPath';
import type { AppConfiguration } from '../core/providers/appConfiguration';
import type { ExtensionServices } from './services';

const LAST_API_PATH_KEY = 'authCodeFlow.lastApiPath';

type AppIdentity = Pick<AppConfiguration, 'apiBaseUrl' | 'clientId'>;

/**
 * Keeps the target Call the API is sending, if it is fit to keep (see core/api/lastApiPath); one that is
 * not replaces the previous record with nothing, so a snippet never makes an older call than the last.
 */
export async function rememberApiPath(services: ExtensionServices, config: AppIdentity, target: string): Promise<void> {
  await services.context.globalState.update(LAST_API_PATH_KEY, apiPathToRemember(config, target));
}

/** The last path called for the app configured now, relative to its API base URL. */
export function lastApiPathFor(services: ExtensionServices, config: AppIdentity): string | undefined {
  return rememberedApiPath(services.context.globalState.get<unknown>(LAST_API_PATH_KEY), config);
}
