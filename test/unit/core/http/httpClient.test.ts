import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createHttpClient, type HttpClient } from '../../../../src/core/http/httpClient';
import { ConfigurationError, OAuthError, TransportError } from '../../../../src/core/errors/oauthError';

interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server whose behaviour each test scripts; requests that should hang simply get no answer. */
class TestServer {
  readonly received: ReceivedRequest[] = [];
  private readonly server: http.Server;

  constructor(handler: (request: ReceivedRequest, response: http.ServerResponse) => void) {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(received);
        handler(received, response);
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/token`;
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('createHttpClient (axios, fetch adapter, real sockets)', function () {
  this.timeout(10_000);
  let client: HttpClient;
  let server: TestServer | undefined;

  beforeEach(() => {
    client = createHttpClient();
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('posts a form and returns status, raw body, lower-case headers and duration', async () => {
    server = new TestServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' });
      response.end('{"access_token":"a","token_type":"Bearer"}');
    });
    const base = await server.start();
    const response = await client.postForm(`${base}/token?x=1`, { grant_type: 'authorization_code', code: 'a b+c/é' }, { Accept: 'application/json', Authorization: 'Basic abc' });

    assert.equal(response.status, 200);
    assert.equal(response.body, '{"access_token":"a","token_type":"Bearer"}', 'the body is not parsed');
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.headers['x-request-id'], 'r-1');
    assert.ok(response.durationMs >= 0);

    const [received] = server.received;
    assert.ok(received !== undefined);
    assert.equal(received.method, 'POST');
    assert.equal(received.url, '/token?x=1');
    assert.equal(received.body, 'grant_type=authorization_code&code=a+b%2Bc%2F%C3%A9');
    assert.equal(received.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(received.headers.accept, 'application/json');
    assert.equal(received.headers.authorization, 'Basic abc');
  });

  it('gets with headers and returns error statuses instead of throwing', async () => {
    server = new TestServer((_request, response) => {
      response.writeHead(500, { 'Content-Type': 'text/html' });
      response.end('<h1>boom</h1>');
    });
    const base = await server.start();
    const response = await client.get(`${base}/api/me`, { 'Bb-Api-Subscription-Key': 'key' });
    assert.equal(response.status, 500);
    assert.equal(response.body, '<h1>boom</h1>');
    assert.equal(server.received[0]?.headers['bb-api-subscription-key'], 'key');
  });

  it('does not follow redirects unless asked', async () => {
    server = new TestServer((request, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, { Location: '/final' });
        response.end();
      } else {
        response.writeHead(200);
        response.end('final');
      }
    });
    const base = await server.start();
    const manual = await client.postForm(`${base}/moved`, { client_secret: 'secret' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.location, '/final');
    assert.equal(server.received.length, 1, 'the secret was not sent to the redirect target');

    const followed = await client.get(`${base}/moved`, {}, { followRedirects: true });
    assert.equal(followed.status, 200);
    assert.equal(followed.body, 'final');
  });

  /** Streams `bytes` in 64 KiB chunks, with or without a Content-Length; stops once the client has gone. */
  function bigBody(bytes: number, declareLength: boolean): (request: ReceivedRequest, response: http.ServerResponse) => void {
    return (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': String(bytes) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const write = (): void => {
        while (sent < bytes && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', write);
            return;
          }
        }
        if (!response.destroyed) response.end();
      };
      response.on('close', () => response.removeAllListeners('drain'));
      write();
    };
  }

  it('refuses a token response over 1 MiB while it streams in (64 MiB body), naming the limit', async function () {
    this.timeout(30_000);
    for (const declareLength of [true, false]) {
      server = new TestServer(bigBody(64 * 1024 * 1024, declareLength));
      const base = await server.start();
      const started = Date.now();
      await rejectsWith(
        client.postForm(`${base}/token`, { a: 'b' }, {}, { label: 'The token endpoint' }),
        'response_too_large',
        /^The token endpoint \(127\.0\.0\.1:\d+\) sent a response larger than 1 MiB/,
      );
      assert.ok(Date.now() - started < 10_000, 'stopped reading early');
      await server.stop();
      server = undefined;
    }
  });

  it('reads an API response up to 10 MiB and refuses a larger one; a per-request limit overrides', async function () {
    this.timeout(30_000);
    server = new TestServer(bigBody(9 * 1024 * 1024, false));
    let base = await server.start();
    assert.equal((await client.get(`${base}/api`)).body.length, 9 * 1024 * 1024);
    await rejectsWith(client.get(`${base}/api`, {}, { maxBodyBytes: 1024 }), 'response_too_large', /larger than 1 KiB/);
    await server.stop();
    server = new TestServer(bigBody(11 * 1024 * 1024, false));
    base = await server.start();
    await rejectsWith(client.get(`${base}/api`, {}, { label: 'The API' }), 'response_too_large', /The API .* larger than 10 MiB/);
  });

  it('times out against a server that never answers', async () => {
    server = new TestServer(() => {
      // Never answers.
    });
    const base = await server.start();
    const started = Date.now();
    const error = await rejectsWith(
      client.postForm(`${base}/token`, { a: 'b' }, {}, { timeoutMs: 200, label: 'The token endpoint' }),
      'timeout',
      /^The token endpoint \(127\.0\.0\.1:\d+\) did not answer within 200 ms\. Check the URL or your network\.$/,
    );
    assert.ok(Date.now() - started < 3000);
    assert.equal(error.status, undefined);
    assert.ok(error instanceof TransportError, 'a timeout is a transport failure, not the provider\'s answer');
  });

  it('applies the client-wide default timeout', async () => {
    server = new TestServer(() => undefined);
    const base = await server.start();
    await rejectsWith(createHttpClient({ timeoutMs: 150 }).get(`${base}/slow`), 'timeout', /did not answer within 150 ms/);
  });

  it('reports a refused connection naming host and port', async () => {
    const url = await closedPortUrl();
    const port = new URL(url).port;
    const error = await rejectsWith(client.postForm(url, { a: 'b' }, {}, { label: 'The token endpoint', timeoutMs: 5000 }), 'network_error', new RegExp(`The token endpoint \\(127\\.0\\.0\\.1:${port}\\) refused the connection\\. Check the URL \\(host and port\\)`));
    assert.ok(error instanceof TransportError);
  });

  it('reports cancellation', async () => {
    server = new TestServer(() => undefined);
    const base = await server.start();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(client.get(`${base}/slow`, {}, { signal: controller.signal, timeoutMs: 5000 }), 'cancelled', /was cancelled/);
  });

  it('refuses URLs that are not http(s) before sending anything', async () => {
    assert.ok(await rejectsWith(client.get('notaurl'), 'invalid_configuration', /not an absolute URL/) instanceof ConfigurationError);
    await rejectsWith(client.get('ftp://example.com/x', {}, { label: 'The API' }), 'invalid_configuration', /The API URL "ftp:\/\/example\.com\/x" must start with https:\/\//);
  });

  it('refuses a header value with a line break without echoing it', async () => {
    server = new TestServer((_request, response) => response.end());
    const base = await server.start();
    const error = await rejectsWith(client.get(`${base}/x`, { 'Bb-Api-Subscription-Key': 'secret-key\nInjected: 1' }), 'invalid_configuration', /header value/);
    assert.ok(!error.message.includes('secret-key'));
  });

  it('does not load axios until the first request', function () {
    const moduleUnderTest = path.resolve(__dirname, '../../../../src/core/http/httpClient.js');
    const script = `
      const { createHttpClient } = require(${JSON.stringify(moduleUnderTest)});
      const axiosLoaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]axios[\\\\/]/.test(file));
      const before = axiosLoaded();
      createHttpClient()
        .get('http://127.0.0.1:1/', {}, { timeoutMs: 1000 })
        .catch(() => undefined)
        .then(() => process.stdout.write(before + ',' + axiosLoaded()));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../../../..'), timeout: 8_000, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'false,true', 'not loaded at import, loaded by the first request');
  });
});
