// One receiver per redirect kind, behind one shape: the redirect URI to put in the request and a way to
// stop listening. Both hand the provider's response to the same PendingAuthorizations.
import * as vscode from 'vscode';
import type { PendingAuthorizations } from '../../core/protocol/pendingAuthorizations';
import { redactQuery } from '../../core/text/redact';
import type { ReceivedCallback } from '../../core/protocol/wirePreview';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { CALLBACK_PATH, EXTENSION_ID, RETURN_PATH } from '../extensionIdentity';
import { loopbackAnswer } from './loopbackPage';
import { startLoopbackServer } from './loopbackServer';
import { uriHandlerRedirectUri } from './uriHandlerRedirect';

export interface RedirectReceiver {
  redirectUri: string;
  close(): Promise<void>;
}

export async function openRedirectReceiver(
  config: AppConfiguration,
  pending: PendingAuthorizations,
  log: vscode.LogOutputChannel,
  onAccepted: (callback: ReceivedCallback) => void,
): Promise<RedirectReceiver> {
  if (config.redirectMode === 'uriHandler') {
    // The URI handler is registered for the extension's lifetime; nothing to open or close per request.
    return { redirectUri: await uriHandlerRedirectUri(), close: async () => undefined };
  }
  let redirectUri = '';
  const server = await startLoopbackServer({
    host: config.loopbackHost,
    port: config.loopbackPort,
    path: CALLBACK_PATH,
    returnToEditorUri: `${vscode.env.uriScheme}://${EXTENSION_ID}${RETURN_PATH}`,
    onCallback: (params) => {
      const outcome = pending.deliver(params);
      if (outcome.kind === 'accepted') {
        log.info('Authorization response received on the loopback redirect.');
        onAccepted({ redactedUrl: `${redirectUri}?${redactQuery(params.toString())}`, receivedAt: Date.now(), via: 'loopback' });
      } else if (outcome.kind === 'rejected') {
        log.warn(`Authorization response rejected: ${outcome.error.code}.`);
      } else {
        // A stray or forged request must not end the wait for the real response (loopbackAnswer keeps listening).
        log.warn(`Loopback request with no matching authorization request: ${outcome.error.code}`
          + `${outcome.othersWaiting ? '; the authorization in progress goes on' : ''}.`);
      }
      return loopbackAnswer(outcome);
    },
  });
  redirectUri = server.redirectUri;
  log.info(`Listening for the loopback redirect at ${server.redirectUri}.`);
  return {
    redirectUri: server.redirectUri,
    close: async () => {
      await server.close();
      log.info('Stopped listening for the loopback redirect.');
    },
  };
}

/** The redirect URI a configuration will use, for showing it before any request is made. */
export async function describeRedirectUri(config: AppConfiguration): Promise<string> {
  if (config.redirectMode === 'uriHandler') return uriHandlerRedirectUri();
  const port = config.loopbackPort === 0 ? '<any free port>' : String(config.loopbackPort);
  return `http://${config.loopbackHost}:${port}${CALLBACK_PATH}`;
}
