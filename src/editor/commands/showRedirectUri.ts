import * as vscode from 'vscode';
import { presetById } from '../../core/providers/presets';
import { EXTENSION_ID } from '../extensionIdentity';
import { redirectModeNote } from '../redirect/redirectModeCheck';
import { describeRedirectUri } from '../redirect/redirectReceiver';
import { readConfiguration } from '../settings';

/**
 * Shows the redirect URI to register at the provider for the configured redirect mode, with a copy
 * action: the provider compares it character for character, so it should be pasted, not retyped.
 */
export async function showRedirectUri(log: vscode.LogOutputChannel): Promise<void> {
  const config = readConfiguration();
  const redirectUri = await describeRedirectUri(config);
  log.info(`Showed the ${config.redirectMode} redirect URI.`);
  const copy = 'Copy';
  const note = await redirectModeNote(vscode.extensions.getExtension(EXTENSION_ID), config, presetById(config.preset));
  const choice = await vscode.window.showInformationMessage(`Redirect URI for this editor: ${redirectUri}${note}`, copy);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(redirectUri);
  }
}
