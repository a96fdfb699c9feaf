import * as vscode from 'vscode';
import { presetById } from '../../core/providers/presets';
import { EXTENSION_ID } from '../extensionIdentity';
import { compareRedirectUris, registeredLoopbackRedirectUri } from '../../core/redirect/forwardedRedirect';
import { CALLBACK_PATH } from '../extensionIdentity';
import { redirectUriHere } from '../redirect/redirectModeCheck';
import { readConfiguration } from '../settings';

/**
 * Shows the redirect URI to register at the provider for the configured redirect mode, with a copy
 * action: the provider compares it character for character, so it should be pasted, not retyped.
 */
export async function showRedirectUri(log: vscode.LogOutputChannel): Promise<void> {
  const config = readConfiguration();
  const { redirectUri, note, forwarded } = await redirectUriHere(vscode.extensions.getExtension(EXTENSION_ID), config, presetById(config.preset));
  log.info(`Showed the ${config.redirectMode} redirect URI${forwarded ? ' (forwarded)' : ''}.`);
  const copy = 'Copy';
  const registered = registeredLoopbackRedirectUri(config, CALLBACK_PATH);
  // The forwarded URI is not what this app has registered yet: say which one it has.
  const mismatch = forwarded && !compareRedirectUris(redirectUri, registered, { anyLoopbackPort: false }).same
    ? ` The app's registered redirect URI is ${registered}: register this one and save it with Configure App.` : '';
  const choice = await vscode.window.showInformationMessage(`Redirect URI for this editor: ${redirectUri}${note}${mismatch}`, copy);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(redirectUri);
  }
}
