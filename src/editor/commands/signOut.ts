// "Auth Code Flow: Sign Out" — forgets the tokens; the app's own secret is kept unless the user asks.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { stopAuthorization } from './authorize';

export async function signOut(services: ExtensionServices): Promise<void> {
  const app = services.pinApp();
  if (!app) {
    void vscode.window.showInformationMessage('Sign Out: there is no app, so no tokens are stored.');
    return;
  }
  // An authorization of this app still waiting for the browser would otherwise store new tokens right after.
  await stopAuthorization(app.id);
  await app.secrets.deleteTokenSet();
  await services.stateChanged();
  services.log.info(`Signed out of "${app.name}": its stored token set was deleted.`);
  const deleteSecrets = 'Also Delete App Secret and Key';
  const choice = await vscode.window.showInformationMessage(
    `Signed out of "${app.name}": the tokens were deleted from this editor. They stay valid at the provider until they expire `
    + `(remove the app's access there to end them sooner). The app secret and subscription key are kept for the next Authorize App.`,
    deleteSecrets);
  if (choice === deleteSecrets) {
    await app.secrets.deleteAppSecrets();
    services.log.info(`Deleted the app secret and subscription key of "${app.name}".`);
    void vscode.window.showInformationMessage('The application secret and subscription key were deleted from secret storage.');
  }
}
