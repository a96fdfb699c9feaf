// Turns a failure into one message with the action that fixes it. The core's OAuthError already words the
// message (a provider's RFC code named as the provider's, the extension's own failures in plain words, with
// provider text sanitized) and carries the hint; this only picks the button from the internal code.
import * as vscode from 'vscode';
import { isOAuthError } from '../core/errors/oauthError';

const CONFIGURE_CODES = new Set(['invalid_client', 'unauthorized_client', 'missing_client_secret', 'invalid_configuration',
  'invalid_scope', 'redirect_uri_mismatch', 'invalid_redirect_uri', 'invalid_request', 'unsupported_response_type', 'loopback_unavailable',
  'issuer_missing', 'invalid_jwks']);
const AUTHORIZE_AGAIN_CODES = new Set(['invalid_grant', 'access_denied', 'authorization_expired', 'state_mismatch',
  'callback_replayed', 'issuer_mismatch', 'invalid_callback', 'login_required', 'consent_required', 'invalid_id_token']);

export async function reportError(action: string, error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  if (isOAuthError(error) && error.code === 'cancelled') {
    log.info(`${action} was cancelled.`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${action} failed: ${message}`);
  const buttons: string[] = [];
  if (isOAuthError(error) && CONFIGURE_CODES.has(error.code)) buttons.push('Configure App');
  if (isOAuthError(error) && AUTHORIZE_AGAIN_CODES.has(error.code)) buttons.push('Authorize Again');
  buttons.push('Show Log');
  const choice = await vscode.window.showErrorMessage(`${action} failed: ${message}`, ...buttons);
  if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
  if (choice === 'Authorize Again') await vscode.commands.executeCommand('authCodeFlow.authorize');
  if (choice === 'Show Log') log.show(true);
}
