// A small OAuth provider for in-host tests, in the extension host's own process: an authorization endpoint
// that redirects straight back with a code (no consent page), a token endpoint and an API.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Authorization endpoint (redirects straight back with a code), token endpoint and API. */
export class FakeProvider {
  readonly issued: string[] = [];
  readonly seen: string[] = [];
  /** The codes the token endpoint received, as sent in the form body. */
  readonly receivedCodes: string[] = [];
  /** The next authorization code to hand out. */
  nextCode = (): string => `code-${randomBytes(8).toString('hex')}`;
  private readonly server = http.createServer((request, response) => this.handle(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.seen.push(`${request.method ?? ''} ${url.pathname}`);
    if (url.pathname === '/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      redirect.searchParams.set('code', this.nextCode());
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { Location: redirect.toString() }).end();
      return;
    }
    if (url.pathname === '/token') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const code = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('code');
        if (code !== null) this.receivedCodes.push(code);
        const accessToken = `ACCESS-${randomBytes(12).toString('hex')}`;
        const refreshToken = `REFRESH-${randomBytes(12).toString('hex')}`;
        this.issued.push(accessToken, refreshToken);
        response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken }));
      });
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  }
}

