// RFC 8252 §7.3 loopback redirect: a one-shot HTTP server on the loopback interface that receives the
// authorization response. It imports no `vscode` so it can be tested with plain HTTP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../../core/errors/oauthError';
import { renderLoopbackPage, type LoopbackPageResult } from './loopbackPage';

export interface LoopbackCallbackResult {
  /** What the browser tab shows; `done` closes the server once the page is sent. */
  page: LoopbackPageResult;
  done: boolean;
}

export interface LoopbackServerOptions {
  /** The host name that goes into the redirect URI: `localhost` (SKY API's documented form) or `127.0.0.1`. */
  host: 'localhost' | '127.0.0.1';
  /** 0 asks the OS for a free port (only for providers that accept any loopback port, RFC 8252 §7.3). */
  port: number;
  path: string;
  /** Link on the result page that brings the user back to the editor. */
  returnToEditorUri?: string;
  onCallback(params: URLSearchParams): LoopbackCallbackResult;
}

export interface LoopbackServer {
  redirectUri: string;
  port: number;
  /**
   * Also answers requests with this Host header: the forwarded URI's `host:port` on a remote host, which
   * code-server's /proxy/PORT/ passes on unchanged (http-proxy without changeOrigin), as a desktop
   * editor's port forward passes on the user's own `localhost:LOCALPORT`.
   */
  acceptHost(host: string): void;
  close(): Promise<void>;
}

/**
 * Starts listening; rejects with a sentence the user can act on when the port is taken. Always bound to
 * loopback addresses only: with `localhost` on 127.0.0.1 and, when available, [::1], because browsers
 * may resolve `localhost` to either.
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const servers: Server[] = [];
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
  };

  let allowedHosts: Set<string> = new Set();
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches this port with
    // Host: evil.example. The browser following the redirect URI sends exactly its host and port.
    if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      respond(response, 400, renderLoopbackPage({
        kind: 'error', title: 'Wrong host name', detail: `This server only answers requests for the redirect URI's own Host, ${options.host}.`,
      }, options.returnToEditorUri));
      return;
    }
    // The request target is matched as text: parsed as a URL, `//host/callback` would pass as the path.
    const target = request.url ?? '';
    const queryStart = target.indexOf('?');
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    if (request.method !== 'GET' || path !== options.path) {
      respond(response, 404, renderLoopbackPage({ kind: 'notFound' }, options.returnToEditorUri));
      return;
    }
    const result = options.onCallback(new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1)));
    respond(response, result.page.kind === 'success' ? 200 : 400, renderLoopbackPage(result.page, options.returnToEditorUri));
    if (result.done) void close();
  };

  // A ConfigurationError with a code errorReporting knows, so the message comes with a Configure App button.
  const listenError = (host: string, port: number) => (error: NodeJS.ErrnoException): never => {
    throw new ConfigurationError({
      code: 'loopback_unavailable',
      description: error.code === 'EADDRINUSE'
        ? `Port ${port} on ${host} is in use, so the loopback redirect cannot listen.`
        : `The loopback redirect cannot listen on ${host}:${port}: ${error.message}`,
      hint: 'Stop the program using it, or choose (and register) another port in Configure App.',
      cause: error,
    });
  };
  const primary = createServer(handler);
  servers.push(primary);
  const port = await listen(primary, '127.0.0.1', options.port).catch(listenError('127.0.0.1', options.port));
  allowedHosts = loopbackHostHeaders(options.host, port);
  if (options.host === 'localhost') {
    // Browsers may send `localhost` to [::1] first, so another program there would receive the code:
    // that is an error. Only a machine without IPv6 is fine with the IPv4 listener alone.
    const secondary = createServer(handler);
    const listening = await listen(secondary, '::1', port).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') return false;
      return close().then(() => listenError('[::1]', port)(error));
    });
    if (listening) servers.push(secondary);
  }
  return {
    redirectUri: `http://${options.host}:${port}${options.path}`, port, close,
    acceptHost: (host) => { allowedHosts.add(host.toLowerCase()); },
  };
}

/**
 * The Host headers a browser sends for the redirect URI (RFC 9110 §7.2): the configured name with the
 * port, or without it for port 80. Not the other loopback names: the redirect URI names one, and a
 * provider compares it character for character, so only a request not made by the redirect uses another.
 */
function loopbackHostHeaders(host: string, port: number): Set<string> {
  return new Set([`${host}:${port}`, ...(port === 80 ? [host] : [])]);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function respond(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // The page is static text: nothing may run in it, and no other site may frame it.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    Connection: 'close',
  });
  response.end(html);
}
