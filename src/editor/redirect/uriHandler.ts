import * as vscode from 'vscode';
import { parseCallbackQuery } from '../../core/protocol/callbackQuery';
import { describeIgnoredCallback } from '../../core/protocol/ignoredCallback';
import type { PendingAuthorizations } from '../../core/protocol/pendingAuthorizations';
import { redactQuery } from '../../core/text/redact';
import type { ReceivedCallback } from '../../core/protocol/wirePreview';
import { CALLBACK_PATH, RETURN_PATH } from '../extensionIdentity';

/**
 * Receives `<scheme>://authcodeflow.auth-code-flow/callback?code=…&state=…` from the editor and hands
 * the query to the pending authorization requests. It decides nothing itself: the core validates the
 * callback, the waiting Authorize App reports success or the provider's error.
 */
export class CallbackUriHandler implements vscode.UriHandler {
  constructor(
    private readonly pending: PendingAuthorizations,
    private readonly log: vscode.LogOutputChannel,
    private readonly onAccepted: (callback: ReceivedCallback) => void,
  ) {}

  handleUri(uri: vscode.Uri): void {
    // The "Return to the editor" link of the loopback result page: opening it focused the editor already.
    if (uri.path === RETURN_PATH) return;
    if (uri.path !== CALLBACK_PATH) {
      this.log.warn(`Ignored a link to ${JSON.stringify(uri.path.slice(0, 100))}: only ${CALLBACK_PATH} is handled.`);
      void vscode.window.showErrorMessage(
        'Authorization Code Flow ignored a link it does not handle.');
      return;
    }
    // Desktop hands over uri.query decoded once already, the web callback page a form-encoded one.
    const query = parseCallbackQuery(uri.query, vscode.env.uiKind === vscode.UIKind.Web ? 'encoded' : 'decoded');
    if (!query.ok) {
      this.log.warn(`Callback refused: ${query.error.code}.`);
      void vscode.window.showErrorMessage(`Authorization Code Flow did not use the callback: ${query.error.message}`);
      return;
    }
    const outcome = this.pending.deliver(query.parameters);
    switch (outcome.kind) {
      case 'accepted':
        this.log.info('Authorization response received through the URI handler.');
        this.onAccepted({
          redactedUrl: `${uri.scheme}://${uri.authority}${uri.path}?${redactQuery(uri.query)}`, receivedAt: Date.now(), via: 'uriHandler',
        });
        return;
      case 'rejected':
        // The Authorize App that is waiting for this response reports the error to the user.
        this.log.warn(`Authorization response rejected: ${outcome.error.code}.`);
        return;
      case 'noPending':
        this.log.warn(`Callback with no matching authorization request: ${outcome.error.code}`
          + `${outcome.othersWaiting ? '; the authorization in progress goes on' : ''}.`);
        void vscode.window.showWarningMessage(describeIgnoredCallback(outcome).notification);
        return;
    }
  }
}
