import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { CallbackOutcome, PendingAuthorization } from '../../../src/core/protocol/pendingAuthorizations';
import { PendingAuthorizations } from '../../../src/core/protocol/pendingAuthorizations';
import type { TokenSet } from '../../../src/core/tokens/tokenSet';
import { loopbackAnswer } from '../../../src/editor/redirect/loopbackPage';
import { startLoopbackServer, type LoopbackServer } from '../../../src/editor/redirect/loopbackServer';
import { recordFigure } from '../../harness/figures';

// Issue 10: hostile callbacks, each sent for real over HTTP to the loopback server wired to
// PendingAuthorizations exactly as the redirect receiver wires it (loopbackAnswer(pending.deliver(params))),
// while one genuine authorization waits and a token set is stored. After every one: the callback was
// refused, the stored token set is byte for byte what it was, and the genuine authorization still waits;
// at the end its own callback completes it. Every kind tried and checked is counted for the test summary.

const REQUEST_TIMEOUT_MS = 2_000;
const TTL_MS = 10 * 60_000;
const GENUINE_STATE = 'GenuineState_0123456789abcdefghijklmnopqrstuv';
const ISSUER = 'https://issuer.example';
const FIGURE_LABEL = 'hostile callbacks tried, each refused with the stored tokens untouched';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Outgoing {
  method?: string;
  /** The request target exactly as sent (not normalised by a URL parser). */
  target: string;
  headers?: Record<string, string>;
  /** Written on a raw socket without any Host header, which http.request always adds. */
  withoutHost?: boolean;
}

function send(port: number, { method = 'GET', target, headers = {} }: Outgoing): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A request written byte by byte, for what http.request will not send (no Host header at all). */
function sendRaw(port: number, text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer')), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0);
      const [head, ...rest] = raw.split('\r\n\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const query = (pairs: readonly [string, string][]): string =>
  pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');

/**
 * Stands in for the editor's SecretStore: one serialised record, as SecretStorage keeps it. A flow that
 * completes writes the set it "exchanged" the code for, so any hostile callback that got through would
 * change the record.
 */
class FakeTokenStore {
  record: string | undefined;
  writes = 0;

  save(tokenSet: TokenSet): void {
    this.writes += 1;
    this.record = JSON.stringify({ version: 1, tokenEndpoint: 'https://issuer.example/token', clientId: 'app', tokenSet });
  }
}

/** The token set a code would be exchanged for: derived from the code, so an attacker's code shows. */
function tokenSetFor(code: string): TokenSet {
  return { accessToken: `access-for-${code}`, tokenType: 'Bearer', refreshToken: `refresh-for-${code}`, obtainedAt: 1, extra: {} };
}

/** A kind of hostile callback; `expect` says how the extension must refuse it. */
interface HostileKind {
  kind: string;
  request(context: KindContext): Outgoing;
  /**
   * - `notFound`: the loopback server answers 404 and never hands the request to the validator;
   * - `ignored`: the validator matches it to no waiting request (a `noPending` outcome with this code);
   * - `httpRefused`: Node's HTTP server refuses it before the handler (malformed or oversized request);
   * - `wrongHost`: the loopback server answers 400 to a Host other than the redirect URI's, before the validator;
   * - `endsVictim`: it carries the state of a waiting request (a "victim", begun for this kind alone), so
   *   it ends that request with this error, as a response for it must (RFC 6749 §4.1.2.1): never a code.
   */
  expect: { kind: 'notFound' } | { kind: 'wrongHost' } | { kind: 'ignored'; code: string } | { kind: 'httpRefused'; status: number } | { kind: 'endsVictim'; code: string };
  /** Text that must not come back in the page or the headers as sent (injection attempts). */
  mustNotEcho?: readonly string[];
  /** Victim kinds: the issuer the victim's request was made with (RFC 9207). */
  victimIssuer?: string;
  /** Victim kinds: how far past the request's deadline the response arrives. */
  victimLateByMs?: number;
}

interface KindContext {
  /** The state this request carries to hit a victim; for other kinds, the genuine one. */
  state: string;
  port: number;
  /** The exact query of the callback that completed an earlier authorization. */
  usedCallbackQuery: string;
  failedCallbackQuery: string;
  expiredState: string;
  cancelledState: string;
}

const SCRIPT = '<script>alert(document.cookie)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const COMMAND_LINK = '[x](command:workbench.action.terminal.new)';
const BIDI = '\u202Egnp.exe\u202C';
/** Markup, control and bidi characters, and link syntax: none may reach a notification or the page. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const UNSAFE_IN_MESSAGE = /[<>\u0000-\u001f\u202a-\u202e\u2066-\u2069]|\]\(/;
const CRLF_HEADER = '\r\nX-Injected: yes\r\nSet-Cookie: owned=1';

const STRAY: readonly HostileKind[] = [
  { kind: 'missing state', request: () => ({ target: `/callback?${query([['code', 'attacker-code']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'empty state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', '']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'wrong state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', 'forged-state']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'state one character short', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state.slice(0, -1)]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'state with one character more', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `${c.state}x`]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'state in another letter case', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state.toUpperCase()]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'state with trailing space', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `${c.state} `]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'duplicate state (genuine twice)', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['state', c.state]])}` }), expect: { kind: 'ignored', code: 'invalid_callback' } },
  { kind: 'duplicate state (genuine, then forged)', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['state', 'forged']])}` }), expect: { kind: 'ignored', code: 'invalid_callback' } },
  { kind: 'duplicate state (forged, then genuine)', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', 'forged'], ['state', c.state]])}` }), expect: { kind: 'ignored', code: 'invalid_callback' } },
  { kind: 'state of an expired authorization', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.expiredState]])}` }), expect: { kind: 'ignored', code: 'authorization_expired' } },
  { kind: 'state of a cancelled authorization', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.cancelledState]])}` }), expect: { kind: 'ignored', code: 'no_pending_authorization' } },
  { kind: 'replay of a used callback', request: (c) => ({ target: `/callback?${c.usedCallbackQuery}` }), expect: { kind: 'ignored', code: 'callback_replayed' } },
  { kind: 'replay of a failed (error) callback', request: (c) => ({ target: `/callback?${c.failedCallbackQuery}` }), expect: { kind: 'ignored', code: 'callback_replayed' } },
  { kind: 'oversized state (600 characters)', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', 's'.repeat(600)]])}` }), expect: { kind: 'ignored', code: 'invalid_callback' } },
  { kind: 'too many parameters (65)', request: (c) => ({ target: `/callback?${query([['state', c.state], ['code', 'attacker-code'], ...Array.from({ length: 63 }, (_, i): [string, string] => [`p${i}`, 'x'])])}` }), expect: { kind: 'ignored', code: 'invalid_callback' } },
  { kind: 'oversized query (12 KB padding, forged state)', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', 'forged'], ['pad', 'p'.repeat(12 * 1024)]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'oversized code parameter (5000 characters, forged state)', request: () => ({ target: `/callback?${query([['code', 'c'.repeat(5000)], ['state', 'forged']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'oversized URL (64 KB, beyond the HTTP header limit)', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['pad', 'p'.repeat(64 * 1024)]])}` }), expect: { kind: 'httpRefused', status: 431 } },
  { kind: 'CRLF injection in state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `forged${CRLF_HEADER}`]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['X-Injected', 'owned=1'] },
  { kind: 'CRLF injection in code', request: () => ({ target: `/callback?${query([['code', `c${CRLF_HEADER}`], ['state', 'forged']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['X-Injected', 'owned=1'] },
  { kind: 'HTML/script injection in state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `${SCRIPT}${IMG}`]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: [SCRIPT, IMG, '<script', '<img'] },
  { kind: 'HTML/script injection in code', request: () => ({ target: `/callback?${query([['code', SCRIPT], ['state', 'forged']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['<script'] },
  { kind: 'markdown command link in state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', COMMAND_LINK]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['command:'] },
  { kind: 'NUL in state', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `${c.state}\u0000`]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['\u0000'] },
  { kind: 'bidi override in state', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', `${BIDI}${c.state}`]])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['\u202E'] },
  { kind: 'error response with hostile error_description, forged state', request: () => ({ target: `/callback?${query([['error', 'access_denied'], ['error_description', `${SCRIPT}${COMMAND_LINK}`], ['state', 'forged']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' }, mustNotEcho: ['<script', 'command:'] },
  { kind: 'error response without state', request: () => ({ target: `/callback?${query([['error', 'access_denied']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  { kind: 'iss of another issuer with no issuer rule, forged state', request: () => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', 'forged'], ['iss', 'https://evil.example']])}` }), expect: { kind: 'ignored', code: 'state_mismatch' } },
  // Wrong paths and methods carry the genuine state and a code: if the server let one through, the
  // genuine authorization would complete with the attacker's code and the store would change.
  { kind: 'wrong path /', request: (c) => ({ target: `/?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'wrong path /callbackx', request: (c) => ({ target: `/callbackx?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'wrong path /CALLBACK (case)', request: (c) => ({ target: `/CALLBACK?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'trailing slash /callback/', request: (c) => ({ target: `/callback/?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'path traversal /x/../callback', request: (c) => ({ target: `/x/../callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'percent-encoded path /%63allback', request: (c) => ({ target: `/%63allback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'path with ;parameter /callback;x', request: (c) => ({ target: `/callback;x?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'double slash //callback', request: (c) => ({ target: `//callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'absolute-form target http://evil.example/callback', request: (c) => ({ target: `http://evil.example/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method POST', request: (c) => ({ method: 'POST', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method PUT', request: (c) => ({ method: 'PUT', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method HEAD', request: (c) => ({ method: 'HEAD', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method DELETE', request: (c) => ({ method: 'DELETE', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method OPTIONS', request: (c) => ({ method: 'OPTIONS', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
  { kind: 'method PATCH', request: (c) => ({ method: 'PATCH', target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'notFound' } },
];

/**
 * Host header cases (DNS rebinding: a page on evil.example resolving to 127.0.0.1 reaches the server with
 * its own Host). They carry the genuine state, so only the Host check stands between them and the code;
 * the server answers them before the validator sees them. The server listens as 127.0.0.1.
 */
const hostileHost = (host: (c: KindContext) => string, state: (c: KindContext) => string = (c) => c.state) =>
  (c: KindContext): Outgoing => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', state(c)]])}`, headers: { Host: host(c) } });
const WRONG_HOST: readonly HostileKind[] = [
  { kind: 'Host evil.example (DNS rebinding), genuine state', request: hostileHost(() => 'evil.example'), expect: { kind: 'wrongHost' } },
  { kind: 'Host evil.example:PORT, genuine state', request: hostileHost((c) => `evil.example:${c.port}`), expect: { kind: 'wrongHost' } },
  { kind: 'Host localhost.evil.example:PORT, genuine state', request: hostileHost((c) => `localhost.evil.example:${c.port}`), expect: { kind: 'wrongHost' } },
  { kind: 'Host 127.0.0.1.nip.io:PORT, genuine state', request: hostileHost((c) => `127.0.0.1.nip.io:${c.port}`), expect: { kind: 'wrongHost' } },
  { kind: 'Host 127.0.0.1 on another port, genuine state', request: hostileHost((c) => `127.0.0.1:${c.port + 1}`), expect: { kind: 'wrongHost' } },
  { kind: 'Host localhost:PORT for a 127.0.0.1 redirect URI, genuine state', request: hostileHost((c) => `localhost:${c.port}`), expect: { kind: 'wrongHost' } },
  { kind: 'Host evil.example, forged state', request: hostileHost(() => 'evil.example', () => 'forged'), expect: { kind: 'wrongHost' } },
  { kind: 'no Host header (HTTP/1.1), genuine state', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}`, withoutHost: true }), expect: { kind: 'httpRefused', status: 400 } },
];

/** Kinds that carry the state of a waiting request: each ends its own victim request, never with a code. */
const VICTIM: readonly HostileKind[] = [
  { kind: 'duplicate code', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['code', 'other-code'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'code and error together', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['error', 'access_denied'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'access_denied' } },
  { kind: 'empty code', request: (c) => ({ target: `/callback?${query([['code', ''], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'neither code nor error', request: (c) => ({ target: `/callback?${query([['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'oversized code (4097 characters)', request: (c) => ({ target: `/callback?${query([['code', 'c'.repeat(4097)], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'wrong iss (issuer configured)', victimIssuer: ISSUER, request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['iss', 'https://evil.example']])}` }), expect: { kind: 'endsVictim', code: 'issuer_mismatch' } },
  { kind: 'iss differing by a trailing slash (issuer configured)', victimIssuer: ISSUER, request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['iss', `${ISSUER}/`]])}` }), expect: { kind: 'endsVictim', code: 'issuer_mismatch' } },
  { kind: 'duplicate iss', victimIssuer: ISSUER, request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['iss', ISSUER], ['iss', 'https://evil.example']])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'oversized iss with no issuer rule', request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state], ['iss', `https://${'i'.repeat(2100)}.example`]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'duplicate error', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error', 'server_error'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'duplicate error_description', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error_description', 'a'], ['error_description', 'b'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'invalid_callback' } },
  { kind: 'error with script/HTML in error_description', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error_description', `${SCRIPT}${IMG}`], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'access_denied' }, mustNotEcho: ['<script', '<img'] },
  { kind: 'error with a command link and CRLF in error_description', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error_description', `Click ${COMMAND_LINK}${CRLF_HEADER}`], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'access_denied' }, mustNotEcho: ['](command:', '\r\n'] },
  { kind: 'error with NUL and bidi in error_message', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error_message', `a\u0000b${BIDI}`], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'access_denied' }, mustNotEcho: ['\u0000', '\u202E'] },
  { kind: 'error code with markup', request: (c) => ({ target: `/callback?${query([['error', `${SCRIPT}`], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: '' }, mustNotEcho: ['<script'] },
  { kind: 'error with a javascript: error_uri', request: (c) => ({ target: `/callback?${query([['error', 'access_denied'], ['error_uri', 'javascript:alert(1)'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'access_denied' }, mustNotEcho: ['javascript:'] },
  { kind: 'genuine-looking code after the request\'s deadline', victimLateByMs: 1, request: (c) => ({ target: `/callback?${query([['code', 'attacker-code'], ['state', c.state]])}` }), expect: { kind: 'endsVictim', code: 'authorization_expired' } },
];

describe('hostile callbacks against the loopback redirect (issue 10)', function () {
  this.timeout(20_000);

  let clock = 1_700_000_000_000;
  const pending = new PendingAuthorizations({ ttlMs: TTL_MS, now: () => clock });
  const store = new FakeTokenStore();
  const outcomes: CallbackOutcome[] = [];
  const servers: LoopbackServer[] = [];
  let main: LoopbackServer;
  let genuine: PendingAuthorization;
  let genuineSettled = false;
  let context: KindContext;
  let late: { server: LoopbackServer; authorization: PendingAuthorization };

  /** A loopback server wired as openRedirectReceiver wires it, recording each outcome. */
  async function receiver(): Promise<LoopbackServer> {
    const server = await startLoopbackServer({
      host: '127.0.0.1', port: 0, path: '/callback',
      onCallback: (params) => {
        const outcome = pending.deliver(params);
        outcomes.push(outcome);
        return loopbackAnswer(outcome);
      },
    });
    servers.push(server);
    return server;
  }

  /** Begins a request whose result, like the editor's flow, is exchanged and stored when a code arrives. */
  function begin(state: string, redirectUri: string, issuer?: string): PendingAuthorization {
    const authorization = pending.begin({ state, redirectUri, ...(issuer === undefined ? {} : { issuer }) });
    authorization.result.then((code) => store.save(tokenSetFor(code.code)), () => undefined);
    return authorization;
  }

  before(async function () {
    main = await receiver();
    // An authorization that completed earlier: its tokens are the stored set, its callback URL can be replayed.
    const used = begin('used-state-0123456789', main.redirectUri);
    const usedCallbackQuery = query([['code', 'used-code'], ['state', used.state]]);
    // Sent to a server of its own: the main one closes after a completed response, as in the editor.
    const first = await receiver();
    assert.equal((await send(first.port, { target: `/callback?${usedCallbackQuery}` })).status, 200);
    assert.equal((await used.result).code, 'used-code');
    const failedServer = await receiver();
    const failed = begin('failed-state-0123456789', failedServer.redirectUri);
    const failedCallbackQuery = query([['error', 'access_denied'], ['state', failed.state]]);
    assert.equal((await send(failedServer.port, { target: `/callback?${failedCallbackQuery}` })).status, 400);
    await assert.rejects(failed.result, { code: 'access_denied' });
    begin('cancelled-state-0123456789', main.redirectUri).cancel();
    // One that expires: begun a full TTL before the clock moves on.
    begin('expired-state-0123456789', main.redirectUri);
    // A request whose response comes late: begun before the genuine one so that it expires first.
    clock += TTL_MS - 90_000;
    const lateServer = await receiver();
    late = { server: lateServer, authorization: begin('late-victim-state-0123456789', lateServer.redirectUri) };
    clock += 30_000;
    genuine = begin(GENUINE_STATE, main.redirectUri, undefined);
    genuine.result.then(() => { genuineSettled = true; }, () => { genuineSettled = true; });
    clock += 60_001;
    assert.equal(pending.size, 2, 'the genuine authorization and the one whose response comes late wait');
    assert.equal(store.writes, 1);
    context = {
      state: GENUINE_STATE, port: main.port, usedCallbackQuery, failedCallbackQuery,
      expiredState: 'expired-state-0123456789', cancelledState: 'cancelled-state-0123456789',
    };
  });

  after(async function () {
    pending.dispose();
    await Promise.all(servers.map((server) => server.close()));
  });

  const storedBefore = (): { record: string | undefined; writes: number } => ({ record: store.record, writes: store.writes });

  function assertUntouched(kind: string, before: { record: string | undefined; writes: number }): void {
    assert.equal(store.writes, before.writes, `${kind}: the token store was written`);
    assert.equal(store.record, before.record, `${kind}: the stored token set changed`);
    assert.equal(store.record?.includes('attacker-code'), false, `${kind}: the attacker's code reached the store`);
    assert.equal(genuineSettled, false, `${kind}: the genuine authorization was settled`);
    assert.ok(pending.size >= 1, `${kind}: the genuine authorization no longer waits`);
  }

  function assertNoEcho(kind: HostileKind, answer: Answer): void {
    const headerText = Object.entries(answer.headers).map(([name, value]) => `${name}: ${String(value)}`).join('\n');
    assert.equal(answer.headers['x-injected'], undefined, `${kind.kind}: a header was injected`);
    assert.equal(answer.headers['set-cookie'], undefined, `${kind.kind}: a cookie was set`);
    for (const text of kind.mustNotEcho ?? []) {
      assert.ok(!answer.body.includes(text), `${kind.kind}: the page shows ${JSON.stringify(text)}`);
      assert.ok(!headerText.includes(text), `${kind.kind}: the headers carry ${JSON.stringify(text)}`);
    }
    // Whatever was sent, the page never carries markup beyond the static template.
    assert.ok(!/<script|<img|<iframe/i.test(answer.body), `${kind.kind}: markup in the page`);
  }

  async function tryStray(kind: HostileKind): Promise<void> {
    const before = storedBefore();
    const outcomesBefore = outcomes.length;
    const outgoing = kind.request(context);
    const answer = outgoing.withoutHost === true
      ? await sendRaw(main.port, `GET ${outgoing.target} HTTP/1.1\r\nConnection: close\r\n\r\n`)
      : await send(main.port, outgoing);
    switch (kind.expect.kind) {
      case 'notFound':
        assert.equal(answer.status, 404, kind.kind);
        assert.equal(outcomes.length, outcomesBefore, `${kind.kind}: reached the validator`);
        break;
      case 'httpRefused':
        assert.equal(answer.status, kind.expect.status, kind.kind);
        assert.equal(outcomes.length, outcomesBefore, `${kind.kind}: reached the validator`);
        break;
      case 'wrongHost':
        assert.equal(answer.status, 400, kind.kind);
        assert.match(answer.body, /Wrong host name/, kind.kind);
        assert.equal(outcomes.length, outcomesBefore, `${kind.kind}: reached the validator`);
        break;
      case 'ignored': {
        assert.equal(answer.status, 400, kind.kind);
        assert.equal(outcomes.length, outcomesBefore + 1, `${kind.kind}: not delivered exactly once`);
        const outcome = outcomes[outcomes.length - 1];
        assert.equal(outcome.kind, 'noPending', `${kind.kind}: ${JSON.stringify(outcome)}`);
        assert.equal(outcome.kind === 'noPending' && outcome.error.code, kind.expect.code, kind.kind);
        assert.equal(outcome.kind === 'noPending' && outcome.othersWaiting, true, `${kind.kind}: says nothing is waiting`);
        assert.match(answer.body, /the authorization in progress goes on/, kind.kind);
        break;
      }
      case 'endsVictim':
        assert.fail(`${kind.kind} is a victim kind`);
    }
    assertNoEcho(kind, answer);
    assertUntouched(kind.kind, before);
    recordFigure('hostile-callbacks', FIGURE_LABEL);
  }

  async function tryOnVictim(kind: HostileKind, index: number): Promise<void> {
    assert.equal(kind.expect.kind, 'endsVictim');
    const expected = kind.expect.kind === 'endsVictim' ? kind.expect.code : '';
    const before = storedBefore();
    const { server, authorization: victim } = kind.victimLateByMs === undefined
      ? await receiver().then((started) => ({ server: started, authorization: begin(`victim-${index}-state-0123456789`, started.redirectUri, kind.victimIssuer) }))
      : late;
    const savedClock = clock;
    // The deadline of the late request falls before the genuine one's, so only the late one is overdue.
    if (kind.victimLateByMs !== undefined) clock = victim.expiresAt + kind.victimLateByMs - 1;
    try {
      const answer = await send(server.port, kind.request({ ...context, state: victim.state, port: server.port }));
      assert.equal(answer.status, 400, kind.kind);
      assert.match(answer.body, /<title>Authorization failed<\/title>/, kind.kind);
      const outcome = outcomes[outcomes.length - 1];
      assert.equal(outcome.kind, 'rejected', `${kind.kind}: ${JSON.stringify(outcome)}`);
      const error = await victim.result.then(
        (code) => assert.fail(`${kind.kind}: the request received a code (${code.code})`),
        (reason: { code: string; message: string }) => reason,
      );
      if (expected !== '') assert.equal(error.code, expected, kind.kind);
      // The error reaches a notification and the page: no markup, control or bidi characters, no link syntax.
      assert.doesNotMatch(error.message, UNSAFE_IN_MESSAGE, `${kind.kind}: ${error.message}`);
      assertNoEcho(kind, answer);
    } finally {
      clock = savedClock;
    }
    assertUntouched(kind.kind, before);
    recordFigure('hostile-callbacks', FIGURE_LABEL);
  }

  it(`has at least 40 distinct kinds (${STRAY.length + WRONG_HOST.length + VICTIM.length})`, function () {
    const kinds = [...STRAY, ...WRONG_HOST, ...VICTIM].map((kind) => kind.kind);
    assert.equal(new Set(kinds).size, kinds.length, 'kinds are distinct');
    assert.ok(kinds.length >= 40, `${kinds.length} kinds`);
  });

  it('refuses every stray or forged callback while the genuine authorization waits', async function () {
    for (const kind of STRAY) await tryStray(kind);
  });

  it('refuses callbacks with a wrong or missing Host header', async function () {
    for (const kind of WRONG_HOST) await tryStray(kind);
  });

  it('ends a request with an error, never a code, for malformed responses carrying its state', async function () {
    for (const [index, kind] of VICTIM.entries()) await tryOnVictim(kind, index);
  });

  it('still completes the genuine authorization with its own callback at the end', async function () {
    const answer = await send(main.port, { target: `/callback?${query([['code', 'genuine-code'], ['state', GENUINE_STATE], ['iss', ISSUER]])}` });
    assert.equal(answer.status, 200);
    assert.equal((await genuine.result).code, 'genuine-code');
    assert.equal(store.record, JSON.stringify({ version: 1, tokenEndpoint: 'https://issuer.example/token', clientId: 'app', tokenSet: tokenSetFor('genuine-code') }));
  });
});
