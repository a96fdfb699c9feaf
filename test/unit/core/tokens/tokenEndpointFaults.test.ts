import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpClient } from '../../../../src/core/http/httpClient';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { refreshAccessToken } from '../../../../src/core/protocol/tokenRequest';
import type { AppSecrets } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { RefreshCoordinator, type RefreshOutcome } from '../../../../src/core/tokens/refreshCoordinator';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { recordFigure } from '../../../harness/figures';

// Issue 10: the refresh path as the editor runs it (RefreshCoordinator around refreshAccessToken over the
// real axios-based HttpClient) against a token endpoint that misbehaves in every way a real one has been
// seen to, served by a local HTTP server on 127.0.0.1. Each fault must end in an error that says what
// happened, with the previous token set kept exactly as it was. invalid_grant is the one documented
// exception (refreshCoordinator.ts: the refresh token is dead, so the set is cleared); it is checked here
// too but counted as its own figure, not as a fault the set survives.

const TIMEOUT_MS = 400;
const CLIENT_SECRET = 'client-secret-0123456789';
const REFRESH_TOKEN = 'refresh-token-previous-0123456789';
const OVERSIZED_BYTES = 8 * 1024 * 1024;

interface Fault {
  name: string;
  /** What the endpoint does with the request. */
  serve(request: http.IncomingMessage, response: http.ServerResponse): void;
  /** The error the user reads must say this. */
  message: RegExp;
  code?: string;
  /** The request timeout for this fault, when the default would decide it instead of the fault itself. */
  timeoutMs?: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_request: http.IncomingMessage, response: http.ServerResponse): void => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
const text = (status: number, body: string, contentType: string) =>
  (_request: http.IncomingMessage, response: http.ServerResponse): void => {
    response.writeHead(status, { 'Content-Type': contentType });
    response.end(body);
  };

const GATEWAY_HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><script>alert(1)</script></head><body><h1>Bad Gateway</h1></body></html>';

const FAULTS: readonly Fault[] = [
  { name: '400 invalid_request', serve: json(400, { error: 'invalid_request', error_description: 'Missing parameter.' }), message: /invalid_request/, code: 'invalid_request' },
  { name: '400 unsupported_grant_type', serve: json(400, { error: 'unsupported_grant_type' }), message: /unsupported_grant_type/, code: 'unsupported_grant_type' },
  { name: '400 without an OAuth error body', serve: text(400, 'Bad Request', 'text/plain'), message: /HTTP 400/, code: 'http_error' },
  { name: '401 invalid_client', serve: json(401, { error: 'invalid_client', error_description: 'Client authentication failed.' }, { 'WWW-Authenticate': 'Basic' }), message: /invalid_client/, code: 'invalid_client' },
  { name: '403 HTML', serve: text(403, '<html><body>Forbidden</body></html>', 'text/html'), message: /HTTP 403/, code: 'http_error' },
  { name: '429 with Retry-After', serve: (_q, r) => { r.writeHead(429, { 'Retry-After': '30', 'Content-Type': 'text/plain' }); r.end('Too Many Requests'); }, message: /HTTP 429/ },
  { name: '500 server_error', serve: json(500, { error: 'server_error' }), message: /server_error/, code: 'server_error' },
  { name: '500 empty body', serve: text(500, '', 'text/plain'), message: /HTTP 500/, code: 'http_error' },
  { name: '502 HTML from a gateway', serve: text(502, GATEWAY_HTML, 'text/html'), message: /HTTP 502/, code: 'http_error' },
  { name: '503 with Retry-After', serve: (_q, r) => { r.writeHead(503, { 'Retry-After': '120', 'Content-Type': 'text/html' }); r.end('<h1>Service Unavailable</h1>'); }, message: /HTTP 503/, code: 'http_error' },
  { name: '302 redirect (not followed with the credentials)', serve: (_q, r) => { r.writeHead(302, { Location: 'http://evil.example/token' }); r.end(); }, message: /HTTP 302/, code: 'http_error' },
  { name: '200 HTML login page', serve: text(200, '<!doctype html><html><body><form>Sign in</form></body></html>', 'text/html'), message: /not JSON|JSON/i },
  { name: '200 non-JSON text', serve: text(200, 'access_token=abc&token_type=bearer', 'text/plain'), message: /JSON/ },
  { name: '200 truncated JSON', serve: json(200, '{"access_token":"new-access","token_type":"Bea'), message: /JSON/ },
  { name: '200 JSON array', serve: json(200, [{ access_token: 'new-access' }]), message: /JSON|object/i },
  { name: '200 JSON without access_token', serve: json(200, { token_type: 'Bearer', expires_in: 3600, refresh_token: 'rotated-but-useless' }), message: /no access_token/ },
  { name: '200 JSON with an empty access_token', serve: json(200, { access_token: '', token_type: 'Bearer' }), message: /access_token must be a non-empty string/ },
  { name: '200 JSON with a non-Bearer token_type', serve: json(200, { access_token: 'new-access', token_type: 'mac' }), message: /only Bearer/ },
  { name: '200 JSON with an OAuth error body', serve: json(200, { error: 'temporarily_unavailable', error_description: 'Try later.' }), message: /temporarily_unavailable/ },
  {
    // Not a token response at 8 MB: httpClient's body cap refuses it while it streams in.
    name: `oversized body (${OVERSIZED_BYTES / 1024 / 1024} MB)`,
    serve: (_q, r) => { r.writeHead(200, { 'Content-Type': 'application/json' }); r.end(`{"pad":"${'x'.repeat(OVERSIZED_BYTES)}`); },
    // A generous timeout, so what refuses it is its size or its content, not the clock.
    timeoutMs: 15_000,
    code: 'response_too_large',
    message: /sent a response larger than 1 MiB/,
  },
  {
    name: `slow body beyond the ${TIMEOUT_MS} ms timeout`,
    serve: (_q, r) => {
      r.writeHead(200, { 'Content-Type': 'application/json' });
      r.write('{"access_token":"slow');
      const timer = setInterval(() => r.write(' '), 100);
      r.on('close', () => clearInterval(timer));
    },
    message: new RegExp(`did not answer within ${TIMEOUT_MS} ms`),
    code: 'timeout',
  },
  { name: 'no answer at all (timeout)', serve: () => undefined, message: /did not answer within/, code: 'timeout' },
  {
    name: 'connection reset mid-response',
    serve: (request, r) => {
      r.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '400' });
      r.write('{"access_token":"half');
      setTimeout(() => request.socket.resetAndDestroy(), 20);
    },
    message: /closed the connection unexpectedly/,
    code: 'network_error',
  },
  { name: 'connection reset before any response', serve: (request) => { request.socket.resetAndDestroy(); }, message: /closed the connection|could not be reached/, code: 'network_error' },
];

describe('the token endpoint during a refresh: faults and parallel calls (issue 10)', function () {
  this.timeout(20_000);

  let server: http.Server;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  let current: Fault | undefined;
  let requests = 0;

  before(async function () {
    server = http.createServer((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => current?.serve(request, response));
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  afterEach(function () {
    // A timed-out request leaves the server's side open; drop it so the next fault starts clean.
    for (const socket of sockets) socket.destroy();
  });

  const previous = (): TokenSet => ({
    accessToken: 'access-token-previous-0123456789', tokenType: 'Bearer', expiresAt: Date.now() + 60_000,
    refreshToken: REFRESH_TOKEN, refreshTokenExpiresAt: Date.now() + 86_400_000, obtainedAt: Date.now() - 3_540_000,
    extra: { environment_id: 'p-env' },
  });

  /** The editor's refresher (src/editor/tokenRefresher.ts) without the editor: same core, same HTTP client. */
  function refresher(tokenEndpoint: string, stored: TokenSet, timeoutMs = TIMEOUT_MS) {
    const state = { stored: stored as TokenSet | undefined, stores: 0, clears: 0 };
    const config = configurationFromPreset(presetById('generic'), { tokenEndpoint, clientId: 'app-id', clientAuthMethod: 'client_secret_basic' });
    const secrets: AppSecrets = { clientSecret: CLIENT_SECRET };
    const http = createHttpClient();
    const coordinator = new RefreshCoordinator({
      load: async () => state.stored,
      refresh: (set) => refreshAccessToken({ config, secrets, refreshToken: set.refreshToken ?? '', http, timeoutMs }),
      store: async (next) => { state.stores += 1; state.stored = next; },
      clear: async () => { state.clears += 1; state.stored = undefined; },
    });
    return { state, refresh: (): Promise<RefreshOutcome> => coordinator.refresh() };
  }

  function assertClearFailure(fault: Fault | { name: string; message: RegExp; code?: string }, outcome: RefreshOutcome): Error {
    assert.equal(outcome.kind, 'failed', `${fault.name}: ${JSON.stringify(outcome)}`);
    const error = outcome.kind === 'failed' ? outcome.error : new Error('unreachable');
    assert.ok(error instanceof OAuthError, `${fault.name}: ${String(error)}`);
    if (fault.code !== undefined) assert.equal(error.code, fault.code, fault.name);
    assert.match(error.message, fault.message, fault.name);
    assert.ok(error.message.length <= 1_000, `${fault.name}: a ${error.message.length}-character message`);
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN]) assert.ok(!error.message.includes(secret), `${fault.name}: the message carries a secret`);
    assert.doesNotMatch(error.message, /<script|<html/i, `${fault.name}: markup in the message`);
    return error;
  }

  for (const fault of FAULTS) {
    it(`${fault.name}: a clear error, the previous token set kept`, async function () {
      current = fault;
      const before = previous();
      const snapshot = JSON.stringify(before);
      const { state, refresh } = refresher(`${baseUrl}/token`, before, fault.timeoutMs);
      const requestsBefore = requests;
      const outcome = await refresh();
      assert.equal(requests, requestsBefore + 1, `${fault.name}: one request reached the endpoint`);
      assertClearFailure(fault, outcome);
      assert.equal(state.stored, before, `${fault.name}: the stored set was replaced`);
      assert.equal(JSON.stringify(state.stored), snapshot, `${fault.name}: the stored set changed`);
      assert.equal(state.stores + state.clears, 0, `${fault.name}: the store was written`);
      recordFigure('token-endpoint-faults', 'token-endpoint faults tried, each a clear error with the previous token set kept');
    });
  }

  it('a refused connection (closed port): a clear error, the previous token set kept', async function () {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const before = previous();
    const { state, refresh } = refresher(`http://127.0.0.1:${port}/token`, before);
    const outcome = await refresh();
    assertClearFailure({ name: 'refused', message: /refused the connection/, code: 'network_error' }, outcome);
    assert.equal(state.stored, before);
    assert.equal(state.stores + state.clears, 0);
    recordFigure('token-endpoint-faults', 'token-endpoint faults tried, each a clear error with the previous token set kept');
  });

  it('400 invalid_grant: the documented exception, the dead set is cleared and a new authorization asked for', async function () {
    current = { name: 'invalid_grant', serve: json(400, { error: 'invalid_grant', error_description: 'Refresh token expired.' }), message: /invalid_grant/ };
    const { state, refresh } = refresher(`${baseUrl}/token`, previous());
    const outcome = await refresh();
    assert.equal(outcome.kind, 'reauthorize', JSON.stringify(outcome));
    assert.equal(outcome.kind === 'reauthorize' && outcome.error.code, 'invalid_grant');
    assert.match(outcome.kind === 'reauthorize' ? outcome.error.message : '', /authorize again/i);
    assert.equal(state.stored, undefined);
    assert.equal(state.clears, 1);
    recordFigure('token-endpoint-invalid-grant', 'invalid_grant refreshes tried, the dead token set cleared as documented');
  });

  it('20 parallel refreshes in one window send one request, counted where it arrives', async function () {
    // The answer is held back so that all 20 calls are made while the request is in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let rotation = 0;
    current = {
      name: 'held',
      serve: (_request, response) => void held.then(() => {
        rotation += 1;
        json(200, { access_token: `access-${rotation}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-${rotation}` })(_request, response);
      }),
      message: /./,
    };
    const { state, refresh } = refresher(`${baseUrl}/token`, previous(), 5_000);
    const requestsBefore = requests;
    const outcomes = Array.from({ length: 20 }, () => refresh());
    // Bounded wait for the one request to arrive before letting it answer.
    for (let waited = 0; requests === requestsBefore && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const settled = await Promise.all(outcomes);
    const made = requests - requestsBefore;
    recordFigure('parallel-refresh-requests', 'token requests made by 20 parallel refreshes in one window', made);
    assert.equal(made, 1, `${made} token requests`);
    for (const outcome of settled) {
      assert.equal(outcome.kind, 'refreshed', JSON.stringify(outcome));
      assert.equal(outcome.kind === 'refreshed' && outcome.tokenSet.refreshToken, 'refresh-1');
    }
    assert.equal(state.stores, 1);
    assert.equal(state.stored?.accessToken, 'access-1');
  });

  it('and after every fault the endpoint answering again refreshes normally (the kept set still works)', async function () {
    current = { name: 'healthy', serve: json(200, { access_token: 'new-access', token_type: 'Bearer', expires_in: 3600 }), message: /./ };
    const before = previous();
    const { state, refresh } = refresher(`${baseUrl}/token`, before);
    const outcome = await refresh();
    assert.equal(outcome.kind, 'refreshed', JSON.stringify(outcome));
    assert.equal(state.stored?.accessToken, 'new-access');
    assert.equal(state.stored?.refreshToken, REFRESH_TOKEN, 'the kept refresh token stays (RFC 6749 §6)');
  });
});
