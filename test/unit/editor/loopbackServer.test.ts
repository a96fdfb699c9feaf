import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import {
  startLoopbackServer,
  type LoopbackCallbackResult,
  type LoopbackServer,
  type LoopbackServerOptions,
} from '../../../src/editor/redirect/loopbackServer';
import { ConfigurationError } from '../../../src/core/errors/oauthError';
import { PendingAuthorizations } from '../../../src/core/protocol/pendingAuthorizations';
import { loopbackAnswer } from '../../../src/editor/redirect/loopbackPage';

const REQUEST_TIMEOUT_MS = 2_000;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no keep-alive agent, so nothing lingers after the test). */
function request(url: string, method = 'GET', headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method, headers, agent: false, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Resolves with the connection outcome: 'connected' or the error code (e.g. ECONNREFUSED). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 500);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? error.message);
    });
  });
}

/** Polls until a connection is refused, for at most `withinMs`; returns the last outcome. */
async function waitUntilRefused(host: string, port: number, withinMs = 1_000): Promise<string> {
  const deadline = Date.now() + withinMs;
  let outcome = await tryConnect(host, port);
  while (outcome !== 'ECONNREFUSED' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    outcome = await tryConnect(host, port);
  }
  return outcome;
}

function listenOn(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function closeNetServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('startLoopbackServer', function () {
  this.timeout(5_000);

  const started: LoopbackServer[] = [];
  const blockers: net.Server[] = [];

  afterEach(async function () {
    await Promise.all(started.splice(0).map((server) => server.close()));
    await Promise.all(blockers.splice(0).map(closeNetServer));
  });

  async function start(overrides: Partial<LoopbackServerOptions> = {}): Promise<{ server: LoopbackServer; calls: URLSearchParams[] }> {
    const calls: URLSearchParams[] = [];
    const server = await startLoopbackServer({
      host: '127.0.0.1',
      port: 0,
      path: '/callback',
      onCallback(params): LoopbackCallbackResult {
        calls.push(params);
        return { page: { kind: 'success' }, done: false };
      },
      ...overrides,
    });
    started.push(server);
    return { server, calls };
  }

  it('listens on an ephemeral port and reports the redirect URI for it', async function () {
    const { server } = await start();
    assert.ok(Number.isInteger(server.port) && server.port > 0, `port ${server.port}`);
    assert.equal(server.redirectUri, `http://127.0.0.1:${server.port}/callback`);
  });

  it('hands the callback parameters to onCallback and answers 200 with the success page', async function () {
    const { server, calls } = await start();
    const answer = await request(`${server.redirectUri}?code=a&state=b`);
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/html; charset=utf-8$/);
    assert.match(answer.body, /<title>Authorization received<\/title>/);
    assert.equal(calls.length, 1);
    assert.deepEqual([...calls[0].entries()], [['code', 'a'], ['state', 'b']]);
  });

  it('closes after a callback that returns done: true, once the page is sent', async function () {
    const { server, calls } = await start({
      onCallback(params) {
        calls.push(params);
        return { page: { kind: 'success' }, done: true };
      },
    });
    const answer = await request(`${server.redirectUri}?code=a&state=b`);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Authorization received[\s\S]*<\/html>$/, 'the whole page arrives before the server closes');
    assert.equal(await waitUntilRefused('127.0.0.1', server.port), 'ECONNREFUSED');
    assert.equal(calls.length, 1);
  });

  it('keeps listening after a callback that returns done: false', async function () {
    const { server, calls } = await start();
    assert.equal((await request(`${server.redirectUri}?error=access_denied&state=x`)).status, 200);
    assert.equal((await request(`${server.redirectUri}?code=c&state=d`)).status, 200);
    assert.equal(calls.length, 2);
    assert.equal(calls[1].get('code'), 'c');
    assert.equal(await tryConnect('127.0.0.1', server.port), 'connected');
  });

  it('matches the request target as text: an absolute-form //host/callback target is not the callback', async function () {
    const { server, calls } = await start();
    const answer = await new Promise<number>((resolve, reject) => {
      const outgoing = http.request({ host: '127.0.0.1', port: server.port, path: '//evil.example/callback?code=x&state=y', agent: false,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => { response.resume(); resolve(response.statusCode ?? 0); });
      outgoing.on('error', reject);
      outgoing.end();
    });
    assert.equal(answer, 404);
    assert.equal(calls.length, 0);
  });

  it('answers 404 for other paths and methods without calling onCallback', async function () {
    const { server, calls } = await start();
    const origin = `http://127.0.0.1:${server.port}`;
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/favicon.ico'],
      ['GET', '/callback/extra?code=a'],
      ['GET', '/Callback?code=a'],
      ['POST', '/callback?code=a&state=b'],
      ['PUT', '/callback?code=a&state=b'],
    ]) {
      const answer = await request(`${origin}${path}`, method);
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.match(answer.body, /<title>Not found<\/title>/, `${method} ${path}`);
    }
    assert.equal(calls.length, 0);
  });

  it('escapes provider-controlled text on the error page and answers 400', async function () {
    const { server } = await start({
      onCallback: () => ({
        page: { kind: 'error', title: '<script>alert(1)</script>', detail: 'x" onmouseover="alert(2)\' <img src=x onerror=alert(3)> & more' },
        done: false,
      }),
    });
    const answer = await request(`${server.redirectUri}?error=%3Cscript%3E&state=b`);
    assert.equal(answer.status, 400);
    assert.ok(!answer.body.includes('<script'), answer.body);
    assert.ok(!answer.body.includes('<img'), answer.body);
    assert.ok(!answer.body.includes('" onmouseover'), answer.body);
    assert.ok(answer.body.includes('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>'), answer.body);
    assert.ok(answer.body.includes('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>'), answer.body);
    assert.ok(answer.body.includes('x&quot; onmouseover=&quot;alert(2)&#39; &lt;img src=x onerror=alert(3)&gt; &amp; more'), answer.body);
  });

  it('sends headers that keep the page inert and uncached', async function () {
    const { server } = await start();
    for (const url of [`${server.redirectUri}?code=a&state=b`, `http://127.0.0.1:${server.port}/elsewhere`]) {
      const { headers } = await request(url);
      const csp = String(headers['content-security-policy']);
      assert.match(csp, /(^|;\s*)default-src 'none'(;|$)/, csp);
      assert.match(csp, /frame-ancestors 'none'/, csp);
      assert.doesNotMatch(csp, /script-src/, csp);
      assert.equal(headers['cache-control'], 'no-store');
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
    }
  });

  it('links back to the editor with an escaped scheme:// URI', async function () {
    const returnToEditorUri = 'vscode://authcodeflow.auth-code-flow/done?a=1&b="x"<y>';
    const { server } = await start({ returnToEditorUri });
    for (const url of [`${server.redirectUri}?code=a&state=b`, `http://127.0.0.1:${server.port}/nope`]) {
      const { body } = await request(url);
      assert.ok(
        body.includes('<a href="vscode://authcodeflow.auth-code-flow/done?a=1&amp;b=&quot;x&quot;&lt;y&gt;">Return to the editor</a>'),
        body,
      );
      assert.ok(!body.includes(returnToEditorUri), 'the raw URI never appears');
    }
  });

  it('omits the link for a javascript: URI and for none at all', async function () {
    for (const returnToEditorUri of ['javascript:alert(document.cookie)', 'JavaScript:alert(1)//x', 'javascript://%0Aalert(document.domain)', 'data:text/html,<b>x</b>', undefined]) {
      const { server } = await start(returnToEditorUri === undefined ? {} : { returnToEditorUri });
      const { status, body } = await request(`${server.redirectUri}?code=a&state=b`);
      assert.equal(status, 200);
      assert.ok(!body.includes('<a '), `${String(returnToEditorUri)}: ${body}`);
      assert.ok(!/javascript:|data:/i.test(body), `${String(returnToEditorUri)}: ${body}`);
      await server.close();
    }
  });

  it('rejects with a message naming a busy fixed port and Configure App', async function () {
    const blocker = await listenOn('127.0.0.1', 0);
    blockers.push(blocker);
    const busyPort = (blocker.address() as net.AddressInfo).port;
    await assert.rejects(
      startLoopbackServer({ host: '127.0.0.1', port: busyPort, path: '/callback', onCallback: () => ({ page: { kind: 'success' }, done: true }) }),
      (error: Error) => {
        assert.ok(error.message.includes(`Port ${busyPort}`), error.message);
        assert.ok(error.message.includes('Configure App'), error.message);
        return true;
      },
    );
  });

  it('uses localhost in the redirect URI for host localhost, serving IPv4 and (when available) IPv6 on one port', async function () {
    const { server, calls } = await start({ host: 'localhost' });
    assert.ok(server.port > 0);
    assert.equal(server.redirectUri, `http://localhost:${server.port}/callback`);
    // A browser following the redirect URI sends Host: localhost:PORT, whichever address it connected to.
    const host = { Host: `localhost:${server.port}` };
    assert.equal((await request(`http://127.0.0.1:${server.port}/callback?code=v4&state=s`, 'GET', host)).status, 200);

    const ipv6 = await listenOn('::1', 0).then(
      async (probe) => {
        await closeNetServer(probe);
        return true;
      },
      () => false,
    );
    if (ipv6) {
      assert.equal((await request(`http://[::1]:${server.port}/callback?code=v6&state=s`, 'GET', host)).status, 200);
      assert.deepEqual(calls.map((params) => params.get('code')), ['v4', 'v6']);
    }

    await server.close();
    assert.equal(await waitUntilRefused('127.0.0.1', server.port), 'ECONNREFUSED');
    if (ipv6) {
      assert.equal(await waitUntilRefused('::1', server.port), 'ECONNREFUSED');
    }
  });

  it('refuses to start for localhost when another program holds the port on [::1], which browsers may try first', async () => {
    const probe = await listenOn('::1', 0).catch(() => undefined);
    if (!probe) {
      // Without IPv6 the IPv4 listener alone is correct; that case is covered by the localhost test above.
      const { server } = await start({ host: 'localhost' });
      assert.match(server.redirectUri, /^http:\/\/localhost:\d+\/callback$/);
      return;
    }
    blockers.push(probe);
    const port = (probe.address() as net.AddressInfo).port;
    // The ephemeral port was free on [::1]; the loopback server needs it free on 127.0.0.1 too.
    assert.equal(await tryConnect('127.0.0.1', port), 'ECONNREFUSED', `port ${port} is also taken on 127.0.0.1`);
    await assert.rejects(start({ host: 'localhost', port }), (error: Error) => {
      assert.match(error.message, new RegExp(`Port ${port} on \\[::1\\] is in use`));
      assert.match(error.message, /Configure App/);
      // The code that makes the error message carry a Configure App button.
      assert.equal((error as { code?: string }).code, 'loopback_unavailable');
      assert.ok(error instanceof ConfigurationError, 'a busy port is this machine\'s configuration, not a network or provider failure');
      return true;
    });
    assert.equal(await waitUntilRefused('127.0.0.1', port), 'ECONNREFUSED', 'the IPv4 listener was closed again');
  });

  it('serves only loopback addresses with host 127.0.0.1', async function () {
    const { server } = await start();
    assert.equal(await tryConnect('127.0.0.1', server.port), 'connected');
    const ipv6 = await listenOn('::1', 0).then(
      async (probe) => {
        await closeNetServer(probe);
        return true;
      },
      () => false,
    );
    if (ipv6) {
      assert.equal(await tryConnect('::1', server.port), 'ECONNREFUSED');
    }
  });

  it('answers 400 to a Host other than the one in the redirect URI (DNS rebinding), without calling onCallback', async function () {
    for (const configured of ['127.0.0.1', 'localhost'] as const) {
      const { server, calls } = await start({ host: configured });
      const url = `http://127.0.0.1:${server.port}/callback?code=a&state=b`;
      const other = configured === 'localhost' ? '127.0.0.1' : 'localhost';
      for (const host of [`evil.example:${server.port}`, `evil.example`, `${other}:${server.port}`, `[::1]:${server.port}`,
        `${configured}:${server.port + 1}`, configured, `${configured}.:${server.port}`, `${configured}:${server.port}@evil.example`]) {
        const answer = await request(url, 'GET', { Host: host });
        assert.equal(answer.status, 400, `${configured}: Host ${host}`);
        assert.match(answer.body, /Host/);
      }
      assert.equal(calls.length, 0, `${configured}: onCallback was not called`);
      assert.equal((await request(url, 'GET', { Host: `${configured.toUpperCase()}:${server.port}` })).status, 200, 'host names compare case-insensitively');
      assert.equal(calls.length, 1);
    }
  });

  it('answers the forwarded URI\'s Host once told to (code-server\'s /proxy/PORT/ passes the browser\'s Host on), and no other', async function () {
    const { server, calls } = await start();
    const url = `http://127.0.0.1:${server.port}/callback?code=a&state=b`;
    const forwardedHost = '10.200.0.1:8080';
    assert.equal((await request(url, 'GET', { Host: forwardedHost })).status, 400, 'not before acceptHost');
    server.acceptHost(forwardedHost);
    assert.equal((await request(url, 'GET', { Host: forwardedHost })).status, 200);
    assert.equal((await request(url, 'GET', { Host: '10.200.0.1:8081' })).status, 400, 'another port of that host');
    assert.equal((await request(url, 'GET', { Host: `127.0.0.1:${server.port}` })).status, 200, 'the loopback Host still');
    assert.equal(calls.length, 2);
  });

  it('can be closed more than once, also concurrently', async function () {
    const { server } = await start();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    assert.equal(await waitUntilRefused('127.0.0.1', server.port), 'ECONNREFUSED');
  });

  it('closes even while a client holds a connection open', async function () {
    const { server } = await start();
    const idle = net.connect({ host: '127.0.0.1', port: server.port });
    await new Promise<void>((resolve, reject) => {
      idle.once('connect', resolve);
      idle.once('error', reject);
    });
    try {
      const closing = server.close();
      const outcome = await Promise.race([
        closing.then(() => 'closed'),
        new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 1_000)),
      ]);
      assert.equal(outcome, 'closed');
    } finally {
      idle.destroy();
    }
  });

  describe('a forged or stray callback (answered with loopbackAnswer, as the redirect receiver does)', function () {
    async function startWithPending(pending: PendingAuthorizations): Promise<LoopbackServer> {
      const { server } = await start({ onCallback: (params) => loopbackAnswer(pending.deliver(params)) });
      return server;
    }

    it('while an authorization waits: says the response is not for it, keeps listening, and the real one still completes', async function () {
      const pending = new PendingAuthorizations();
      const server = await startWithPending(pending);
      const waiting = pending.begin({ state: 'genuine-state', redirectUri: server.redirectUri });
      const forged = await request(`${server.redirectUri}?code=attacker-code&state=forged-state`);
      assert.equal(forged.status, 400);
      assert.match(forged.body, /<title>This response does not belong to the authorization in progress<\/title>/);
      assert.match(forged.body, /the authorization in progress goes on/);
      assert.doesNotMatch(forged.body, /No authorization is waiting/);
      assert.equal(await tryConnect('127.0.0.1', server.port), 'connected');
      const genuine = await request(`${server.redirectUri}?code=real-code&state=genuine-state`);
      assert.equal(genuine.status, 200);
      assert.equal((await waiting.result).code, 'real-code');
      pending.dispose();
    });

    it('with nothing waiting: says no authorization is waiting', async function () {
      const pending = new PendingAuthorizations();
      const server = await startWithPending(pending);
      const stray = await request(`${server.redirectUri}?code=c&state=s`);
      assert.equal(stray.status, 400);
      assert.match(stray.body, /<title>No authorization is waiting for this response<\/title>/);
      assert.match(stray.body, /run Authorize App first/);
      pending.dispose();
    });
  });
});
