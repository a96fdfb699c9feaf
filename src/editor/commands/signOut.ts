// "Auth Code Flow: Sign Out" — forgets the tokens; the app's own secret is kept unless the user asks.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

export async function signOut(services: ExtensionServices): Promise<void> {
  await services.secrets.deleteTokenSet();
  await services.stateChanged();
  services.log.info('Signed out: the stored token set was deleted.');
  const deleteSecrets = 'Also Delete App Secret and Key';
  const choice = await vscode.window.showInformationMessage(
    'Signed out: the tokens were deleted. The app secret and subscription key are kept for the next Authorize App.',
    deleteSecrets);
  if (choice === deleteSecrets) {
    await services.secrets.deleteAppSecrets();
    services.log.info('Deleted the app secret and subscription key.');
    void vscode.window.showInformationMessage('The application secret and subscription key were deleted from secret storage.');
  }
}
