// One receiver per redirect kind, behind one shape: the redirect URI to put in the request and a way to
// stop listening. Both hand the provider's response to the same PendingAuthorizations.
import * as vscode from 'vscode';
import type { PendingAuthorizations } from '../../core/protocol/pendingAuthorizations';
import { redactQuery } from '../../core/text/redact';
import type { ReceivedCallback } from '../../core/protocol/wirePreview';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { ConfigurationError } from '../../core/errors/oauthError';
import { forwardedRedirectProblem, plainLoopbackRedirectUri, registeredLoopbackRedirectUri } from '../../core/redirect/forwardedRedirect';
import { CALLBACK_PATH, EXTENSION_ID, RETURN_PATH } from '../extensionIdentity';
import { loopbackAnswer } from './loopbackPage';
import { startLoopbackServer } from './loopbackServer';
import { uriHandlerRedirectUri } from './uriHandlerRedirect';

export interface RedirectReceiver {
  redirectUri: string;
  close(): Promise<void>;
}

/**
 * `forwarding`: the browser cannot reach the extension host's loopback (a remote host, redirectModes.ts'
 * `forwarded` verdict), so the browser is sent to the URI the editor forwards the port to, and only when
 * that is the registered one; `anyLoopbackPort` when the provider lets a loopback URI's port vary.
 */
export async function openRedirectReceiver(
  config: AppConfiguration,
  pending: PendingAuthorizations,
  log: vscode.LogOutputChannel,
  onAccepted: (callback: ReceivedCallback) => void,
  forwarding?: { anyLoopbackPort: boolean },
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
  if (forwarding) {
    try {
      redirectUri = await forwardedUri(server.redirectUri);
      // Checked again here, after listening: with port 0 the forwarded URI is known only now.
      const problem = forwardedRedirectProblem(redirectUri, registeredLoopbackRedirectUri(config, CALLBACK_PATH), forwarding);
      if (problem) throw new ConfigurationError({ code: 'redirect_uri_mismatch', description: problem, hint: 'Nothing was sent to the provider.' });
      server.acceptHost(new URL(redirectUri).host);
      log.info(`The browser reaches it through the forwarded ${redirectUri}, the registered redirect URI.`);
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  return {
    redirectUri,
    close: async () => {
      await server.close();
      log.info('Stopped listening for the loopback redirect.');
    },
  };
}

/**
 * Where the editor forwards a loopback URI for a browser that cannot reach the extension host: desktop
 * remotes forward the port to the user's machine (http://localhost:LOCALPORT/…), code-server gives its
 * proxy (http://HOST:PORT/proxy/LOOPBACKPORT/…), Codespaces https://NAME-LOOPBACKPORT.app.github.dev/….
 * Sources: env.asExternalUri in microsoft/vscode src/vscode-dts/vscode.d.ts ("establishes a port forwarding
 * tunnel from the local machine to target on the remote and returns a local uri to the tunnel"); code-server's
 * /proxy/:port route, coder/code-server src/node/routes/pathProxy.ts (strips /proxy/PORT, keeps the Host header).
 */
export async function forwardedUri(loopbackUri: string): Promise<string> {
  return (await vscode.env.asExternalUri(vscode.Uri.parse(loopbackUri))).toString(true);
}

/**
 * The redirect URI a configuration will use, for showing it before any request is made; with `forwarded`
 * (the browser cannot reach the extension host's loopback) the forwarded URI of a fixed loopback port.
 */
export async function describeRedirectUri(config: AppConfiguration, options: { forwarded?: boolean } = {}): Promise<string> {
  if (config.redirectMode === 'uriHandler') return uriHandlerRedirectUri();
  if (config.loopbackPort === 0) return `http://${config.loopbackHost}:<any free port>${CALLBACK_PATH}`;
  const loopback = plainLoopbackRedirectUri(config, CALLBACK_PATH);
  return options.forwarded ? forwardedUri(loopback) : loopback;
}
