// Each app's remembered, non-secret state in the extension's globalState: which Basic credential spelling
// its token endpoint accepted (editor/basicEncodingMemory.ts) and Call the API's last path
// (editor/lastApiPath.ts). Per app, so switching apps never offers one app's path or encoding to another,
// and removing an app forgets its state with it.
import type * as vscode from 'vscode';
import { APP_STATE_NAMES, appStateKey } from '../../core/apps/appKeys';

/** Forgets everything remembered for the app (Remove App; its secrets go through SecretStore.forApp(id).deleteAll()). */
export async function forgetAppState(globalState: vscode.Memento, appId: string): Promise<void> {
  for (const name of APP_STATE_NAMES) await globalState.update(appStateKey(appId, name), undefined);
}
