// "Auth Code Flow: Show Tokens" (tutorial step 5), "Reveal Token Values" and "Copy Access Token": the stored
// token set in a read-only view, masked unless the user asks. The text comes from core/tokens/tokenReport.
import * as vscode from 'vscode';
import { presetById } from '../../core/providers/presets';
import { accessTokenExpiryWords, accessTokenState } from '../../core/tokens/expiry';
import { tokenReport } from '../../core/tokens/tokenReport';
import type { TokenSet } from '../../core/tokens/tokenSet';
import type { ExtensionServices, PinnedApp } from '../services';

/** The view's name; package.json shows Reveal and Copy in its title bar by this path (/Tokens.md). */
export const TOKENS_VIEW = 'Tokens.md';

export async function showTokens(services: ExtensionServices, options: { reveal: boolean }): Promise<void> {
  const app = services.pinApp();
  const tokenSet = await storedTokensOrOfferAuthorize(services, options.reveal ? 'Reveal Token Values' : 'Show Tokens', app);
  if (!app || !tokenSet) return;
  const text = tokenReport(tokenSet, Date.now(), { reveal: options.reveal, formatTime: localTime });
  await services.documents.show(TOKENS_VIEW, text, 'markdown');
  if (options.reveal) services.log.info('Token values revealed in the Tokens view at the user\'s request (not logged).');
}

/**
 * Copies only after a modal confirmation, every time. The title button and the palette cannot be told
 * apart from executeCommand (enablement does not apply to it, and the menu's argument can be forged),
 * and any extension or a task's ${command:authCodeFlow.copyAccessToken} could otherwise take the token.
 */
export async function copyAccessToken(services: ExtensionServices): Promise<void> {
  const app = services.pinApp();
  const tokenSet = await storedTokensOrOfferAuthorize(services, 'Copy Access Token', app);
  if (!app || !tokenSet) return;
  // The same reading as the status bar and the messages (accessTokenState), said in the same words.
  const state = accessTokenState(tokenSet, Date.now());
  const expiry = `it ${accessTokenExpiryWords(state)}${state.kind === 'expired' ? '; refresh it first' : ''}`;
  const config = app.configuration;
  const copy = 'Copy Access Token';
  const choice = await vscode.window.showWarningMessage(
    `Copy the access token of the app "${app.name}" (${presetById(config.preset).label}, client ID "${config.clientId}") to the clipboard?`,
    {
      modal: true,
      detail: `The ${tokenSet.tokenType} access token (${expiry}) grants access to your data to anything that reads the clipboard. `
        + 'If you did not just ask for this, cancel: another extension or a task may have run the command.',
    },
    copy);
  if (choice !== copy) {
    services.log.info('Copy Access Token: not confirmed, nothing was copied.');
    return;
  }
  await vscode.env.clipboard.writeText(tokenSet.accessToken);
  services.log.info('Copied the access token to the clipboard (value not logged).');
  void vscode.window.showInformationMessage(
    `Access token copied to the clipboard (${expiry}). It grants access to your data: paste it only where it is needed.`);
}

/**
 * The stored set for the pinned app, or undefined after telling the user there is none (or no app) and
 * offering Authorize App. Shared with Call the API.
 */
export async function storedTokensOrOfferAuthorize(services: ExtensionServices, action: string, app: PinnedApp | undefined): Promise<TokenSet | undefined> {
  const tokenSet = app && await app.secrets.tokenSet(app.configuration);
  if (tokenSet) return tokenSet;
  const which = app ? `the app "${app.name}"` : 'any app (there is none yet)';
  services.log.info(`${action}: no tokens are stored for ${which}.`);
  const choice = await vscode.window.showInformationMessage(
    `${action}: no tokens are stored for ${which}. Run Authorize App to get them.`, 'Authorize App');
  if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
  return undefined;
}

/** Absolute times in the user's locale, with the time zone, since tokens expire at an instant. */
export function localTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
}
