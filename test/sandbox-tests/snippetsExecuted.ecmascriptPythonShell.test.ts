import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import type { ClientAuthMethod } from '../../src/core/providers/appConfiguration';
import { SNIPPET_LANGUAGES } from '../../src/core/snippets/languages';
import { javascriptLanguage } from '../../src/core/snippets/languages/javascript';
import { pythonLanguage } from '../../src/core/snippets/languages/python';
import { shellLanguage } from '../../src/core/snippets/languages/shell';
import { typescriptLanguage } from '../../src/core/snippets/languages/typescript';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../src/core/snippets/snippetText';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox } from '../support/sandbox';
import {
  lastJsonObject,
  obtainAuthorizationCode,
  planSnippetRunner,
  recordSnippetTest,
  reportSnippetRuns,
  runProgram,
  sandboxOpenIdSnippetContext,
  sandboxSecretsEnv,
  sandboxSkySnippetContext,
  sandboxSnippetContext,
  scratchDir,
  type ProgramRun,
} from '../support/snippetFlow';

// The JavaScript (fetch and axios), TypeScript, Python and bash snippets run for real against the local
// oidc-provider sandbox: the snippet exchanges a code from a headless consent, refreshes the token, and
// calls the protected API with it. The authorization request and complete flow snippets are interactive;
// here a headless consent plays the browser, delivering the redirect to the snippet's loopback server (or,
// for bash, pasting it).

const RUN_TIMEOUT_MS = 30_000;
const INSTALL_REQUESTS = 'Install Debian\'s python3-requests, python3-jwt and python3-cryptography (apt-get install -y python3-requests python3-jwt python3-cryptography) to run the Python snippets.';

interface Runner {
  name: string;
  language: SnippetLanguage;
  variant?: string;
  /** The command that runs `snippet` (plain text) saved in `dir`. */
  prepare(snippet: string, dir: string): { command: string; args: string[]; env?: Record<string, string> };
}

/** The repository's node_modules, which holds `dependency`: the snippets' `require('axios')` resolves there through NODE_PATH. */
function nodeModules(dependency = 'axios'): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules', dependency, 'package.json'))) return join(dir, 'node_modules');
  }
  throw new Error(`No node_modules with ${dependency} above ${__dirname}; run npm install.`);
}

/**
 * The complete flow loads jose with import() (it is an ES module), which ignores NODE_PATH: the snippet's
 * folder gets a node_modules with jose in it, as `npm install jose` would give the user's project.
 */
function provideJose(dir: string): void {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(nodeModules('jose'), 'jose'), join(dir, 'node_modules', 'jose'), 'dir');
}

let python: string | undefined;
/** The first python3 that has requests and PyJWT with its crypto: the one on PATH, else Debian's. Never skips: a missing module fails. */
function pythonWithRequests(): string {
  if (python === undefined) {
    for (const candidate of ['python3', '/usr/bin/python3']) {
      try {
        if (runProgram(candidate, ['-c', 'import requests, jwt, cryptography'], { cwd: __dirname, env: {}, timeoutMs: 15_000 }).status === 0) {
          python = candidate;
          break;
        }
      } catch {
        // Not installed at all: try the next one.
      }
    }
  }
  if (python === undefined) throw new Error(`No python3 with the requests, jwt and cryptography modules was found. ${INSTALL_REQUESTS}`);
  return python;
}

function nodeRunner(language: SnippetLanguage, variant: 'fetch' | 'axios'): Runner {
  return {
    name: `${language.id}(${variant})`,
    language,
    variant,
    prepare(snippet, dir) {
      const file = join(dir, 'snippet.js');
      const code = language.id === 'typescript'
        ? ts.transpileModule(snippet, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText
        : snippet;
      writeFileSync(file, code);
      provideJose(dir);
      const env: Record<string, string> = variant === 'axios' ? { NODE_PATH: nodeModules() } : {};
      return { command: process.execPath, args: [file], env };
    },
  };
}

const RUNNERS: Runner[] = [
  nodeRunner(javascriptLanguage, 'fetch'),
  nodeRunner(javascriptLanguage, 'axios'),
  nodeRunner(typescriptLanguage, 'fetch'),
  nodeRunner(typescriptLanguage, 'axios'),
  {
    name: 'python',
    language: pythonLanguage,
    prepare(snippet, dir) {
      writeFileSync(join(dir, 'snippet.py'), snippet);
      // Unbuffered, so the authorization URL shows up while the snippet waits for the redirect.
      return { command: pythonWithRequests(), args: ['snippet.py'], env: { PYTHONUNBUFFERED: '1' } };
    },
  },
  {
    name: 'shellscript',
    language: shellLanguage,
    prepare(snippet, dir) {
      writeFileSync(join(dir, 'snippet.sh'), snippet);
      return { command: 'bash', args: ['snippet.sh'] };
    },
  },
];

function snippetFor(runner: Runner, kind: SnippetKind, context: SnippetContext): string {
  return toPlainText(runner.language.generate(kind, context, runner.variant));
}

/** Generates the snippet, runs it with `env`, and returns what it did. */
function execute(runner: Runner, kind: SnippetKind, context: SnippetContext, env: Record<string, string>): ProgramRun {
  const scratch = scratchDir(`snippet-${runner.language.id}`);
  try {
    const { command, args, env: runtimeEnv } = runner.prepare(snippetFor(runner, kind, context), scratch.dir);
    return runProgram(command, args, { cwd: scratch.dir, env: { ...runtimeEnv, ...env }, timeoutMs: RUN_TIMEOUT_MS });
  } finally {
    scratch.remove();
  }
}

function describeRun(run: ProgramRun): string {
  return `exit ${String(run.status)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** The token response a snippet printed, checked to be a successful one. */
function tokensFrom(run: ProgramRun): { access_token: string; refresh_token: string } {
  assert.equal(run.status, 0, describeRun(run));
  const tokens = lastJsonObject(run.stdout);
  assert.equal(typeof tokens.access_token, 'string', describeRun(run));
  assert.equal(typeof tokens.refresh_token, 'string', describeRun(run));
  return tokens as { access_token: string; refresh_token: string };
}

interface BrowserOptions {
  /** Replaces the state in the redirect, as a forged one would carry. */
  forgeState?: boolean;
  /** Sees (and may change) the authorization URL the snippet printed, before the browser opens it. */
  authorizationUrl?: (url: URL) => Promise<void> | void;
  /** Variables for the program's environment (the secrets, for the complete flow). */
  env?: Record<string, string>;
}

/**
 * Runs an interactive snippet (the authorization request, or the complete flow) with a headless consent
 * as the browser: waits for the URL it prints, consents, and hands the redirect back over HTTP to the
 * snippet's server or on stdin.
 */
async function runWithBrowser(runner: Runner, kind: 'authorizationRequest' | 'completeFlow', context: SnippetContext, options: BrowserOptions = {}): Promise<ProgramRun> {
  const scratch = scratchDir(`${kind}-${runner.language.id}`);
  const { command, args, env } = runner.prepare(snippetFor(runner, kind, context), scratch.dir);
  const child = spawn(command, args, { cwd: scratch.dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? scratch.dir, ...env, ...options.env } });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  try {
    const url = new URL(await firstMatch(() => /^(https?:\/\/\S+)\n/m.exec(output.stdout)?.[1], exited, output));
    await options.authorizationUrl?.(url);
    const redirect = await consentHeadlessly(url.href);
    if (options.forgeState) redirect.searchParams.set('state', 'forged-state');
    if (runner.language.id === 'shellscript') {
      child.stdin.end(`${redirect.href}\n`);
    } else {
      await deliver(redirect);
    }
    return { status: await exited, ...output };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    scratch.remove();
  }
}

/** Polls `find` until it returns a value; fails if the program exits first. */
async function firstMatch(find: () => string | undefined, exited: Promise<number | null>, output: { stdout: string; stderr: string }): Promise<string> {
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (done) throw new Error(`The snippet exited before printing the authorization URL.\n${describeRun({ status: null, ...output })}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The browser's last step: GET the redirect URI. The snippet's server may take a moment to listen. */
async function deliver(redirect: URL): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(redirect, { signal: AbortSignal.timeout(10_000) });
      await response.text();
      return;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The nonce in an authorization URL: fresh, and as long as 32 random bytes in base64url. */
function nonceOf(url: URL): string {
  const nonce = url.searchParams.get('nonce');
  assert.ok(nonce !== null && nonce.length >= 43, `a nonce in ${url.href}`);
  return nonce;
}

/**
 * A real ID token that the sandbox issued, with `nonce`, to its public client: the right issuer, signature
 * and nonce, for another audience than the snippet's client.
 */
async function idTokenForAnotherClient(sandbox: Sandbox, nonce: string): Promise<string> {
  const clientId = sandbox.info.clients.public.client_id;
  const { config, redirectUri } = sandboxOpenIdSnippetContext(sandbox, { clientId, clientAuthMethod: 'none' });
  const request = buildAuthorizationRequest(config, redirectUri);
  const url = new URL(request.url);
  url.searchParams.set('nonce', nonce);
  const code = (await consentHeadlessly(url.href)).searchParams.get('code');
  assert.ok(code && request.codeVerifier);
  const response = await fetch(sandbox.info.token_endpoint, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: request.codeVerifier }),
    signal: AbortSignal.timeout(10_000),
  });
  const tokens = (await response.json()) as { id_token?: unknown };
  assert.equal(typeof tokens.id_token, 'string', JSON.stringify(tokens));
  return tokens.id_token as string;
}

/**
 * A token endpoint in front of the sandbox's that passes each request on and answers with the sandbox's
 * response, its id_token swapped for `substitute()` when that has one: an ID token substituted on the way.
 */
async function idTokenSwappingProxy(tokenEndpoint: string, substitute: () => string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['accept', 'authorization', 'content-type']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(tokenEndpoint, { method: 'POST', headers, body: Buffer.concat(chunks), signal: AbortSignal.timeout(10_000) })
        .then(async (answer) => {
          const body = (await answer.json()) as Record<string, unknown>;
          const swapped = substitute();
          if (answer.ok && swapped !== undefined) body.id_token = swapped;
          response.writeHead(answer.status, { 'Content-Type': 'application/json', Connection: 'close' }).end(JSON.stringify(body));
        })
        .catch((error: unknown) => response.writeHead(502).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

after(() => reportSnippetRuns(SNIPPET_LANGUAGES.map((language) => language.id)));

describe('generated JavaScript, TypeScript, Python and bash snippets against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  const executed: string[] = [];
  const authorized: string[] = [];
  const started = Date.now();

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox();
  });

  after(async () => {
    await sandbox?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`executed snippets: ${executed.join(', ') || 'none'}; authorization requests driven: ${authorized.join(', ') || 'none'} (${seconds} s)\n`);
  });

  for (const runner of RUNNERS) {
    planSnippetRunner(runner.name, runner.language.id);
    describe(runner.name, () => {
      afterEach(function () {
        recordSnippetTest(runner.name, this.currentTest?.state);
      });

      it('complete flow: one program authorizes through the browser, exchanges the code and calls the API', async () => {
        const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const run = await runWithBrowser(runner, 'completeFlow', context, { env: sandboxSecretsEnv(sandbox, context) });
        assert.equal(run.status, 0, describeRun(run));
        const body = lastJsonObject(run.stdout);
        assert.equal(body.client_id, sandbox.info.clients.basic.client_id, describeRun(run));
        assert.equal(body.path, new URL(sandbox.info.protected_resource).pathname);
        assert.match(run.stdout, /^Tokens received; the access token expires in \d+ s\.$/m, describeRun(run));
        assert.doesNotMatch(run.stdout, /access_token|refresh_token|OAUTH_/, 'the tokens and the code stay in the program');
      });

      it('exchanges a real code, refreshes the token, and calls the API with it (client_secret_basic)', async () => {
        const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const secrets = sandboxSecretsEnv(sandbox, context);
        const { code, codeVerifier } = await obtainAuthorizationCode(context);

        const exchanged = tokensFrom(execute(runner, 'tokenExchange', context, {
          ...secrets, [SNIPPET_ENV.authorizationCode]: code, [SNIPPET_ENV.codeVerifier]: codeVerifier,
        }));
        const refreshed = tokensFrom(execute(runner, 'refresh', context, { ...secrets, [SNIPPET_ENV.refreshToken]: exchanged.refresh_token }));
        assert.notEqual(refreshed.access_token, exchanged.access_token);
        assert.notEqual(refreshed.refresh_token, exchanged.refresh_token, 'the sandbox rotates refresh tokens');

        const call = execute(runner, 'apiCall', context, { ...secrets, [SNIPPET_ENV.accessToken]: refreshed.access_token });
        assert.equal(call.status, 0, describeRun(call));
        const body = lastJsonObject(call.stdout);
        assert.equal(body.client_id, sandbox.info.clients.basic.client_id);
        assert.equal(body.path, new URL(sandbox.info.protected_resource).pathname);
        executed.push(runner.name);
      });

      it('sends the raw Basic credentials SKY API expects: the SKY-like client accepts them, and refuses the RFC 6749 spelling', async () => {
        const context = sandboxSkySnippetContext(sandbox);
        const secrets = sandboxSecretsEnv(sandbox, context);
        assert.match(secrets[SNIPPET_ENV.clientSecret] ?? '', /[+/=]/, 'a secret the two encodings spell differently');
        const { code, codeVerifier } = await obtainAuthorizationCode(context);
        const exchanged = tokensFrom(execute(runner, 'tokenExchange', context, {
          ...secrets, [SNIPPET_ENV.authorizationCode]: code, [SNIPPET_ENV.codeVerifier]: codeVerifier,
        }));
        tokensFrom(execute(runner, 'refresh', context, { ...secrets, [SNIPPET_ENV.refreshToken]: exchanged.refresh_token }));

        // The client is authenticated before the grant is looked at, so even a made-up token meets invalid_client.
        const rfc = execute(runner, 'refresh', sandboxSkySnippetContext(sandbox, 'form-urlencoded'), {
          ...secrets, [SNIPPET_ENV.refreshToken]: 'not-a-refresh-token',
        });
        assert.notEqual(rfc.status, 0, describeRun(rfc));
        assert.match(rfc.stderr, /invalid_client/, describeRun(rfc));
      });

      for (const method of ['client_secret_post', 'none'] as ClientAuthMethod[]) {
        it(`exchanges a real code as a ${method === 'none' ? 'public client' : `${method} client`}`, async () => {
          const context = sandboxSnippetContext(sandbox, method);
          const { code, codeVerifier } = await obtainAuthorizationCode(context);
          const env: Record<string, string> = { ...sandboxSecretsEnv(sandbox, context), [SNIPPET_ENV.authorizationCode]: code, [SNIPPET_ENV.codeVerifier]: codeVerifier };
          if (method === 'none') assert.equal(env[SNIPPET_ENV.clientSecret], undefined, 'the public client has no secret to read');
          tokensFrom(execute(runner, 'tokenExchange', context, env));
        });
      }

      it('exits non-zero and prints the OAuth error for a refused code, and the status for a refused token', () => {
        const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const secrets = sandboxSecretsEnv(sandbox, context);
        const refused = execute(runner, 'tokenExchange', context, {
          ...secrets, [SNIPPET_ENV.authorizationCode]: 'not-a-code', [SNIPPET_ENV.codeVerifier]: 'v'.repeat(43),
        });
        assert.notEqual(refused.status, 0, describeRun(refused));
        assert.match(refused.stderr, /invalid_grant/, describeRun(refused));
        assert.equal(refused.stdout.trim(), '', 'nothing on stdout when the request failed');

        const unauthorized = execute(runner, 'apiCall', context, { ...secrets, [SNIPPET_ENV.accessToken]: 'not-a-token' });
        assert.notEqual(unauthorized.status, 0, describeRun(unauthorized));
        assert.match(unauthorized.stderr, /401/, describeRun(unauthorized));

        const missing = execute(runner, 'refresh', context, secrets);
        assert.notEqual(missing.status, 0, describeRun(missing));
        assert.match(missing.stderr, new RegExp(`Set the environment variable ${SNIPPET_ENV.refreshToken}`), describeRun(missing));
      });

      if (runner.language.id !== 'shellscript') {
        it('OpenID Connect complete flow: sends a nonce, verifies the real ID token against the JWKS found by discovery, then calls the API', async () => {
          const context = sandboxOpenIdSnippetContext(sandbox);
          let sent: string | undefined;
          const run = await runWithBrowser(runner, 'completeFlow', context, {
            env: sandboxSecretsEnv(sandbox, context),
            authorizationUrl: (url) => {
              sent = nonceOf(url);
            },
          });
          assert.equal(run.status, 0, describeRun(run));
          assert.ok(sent);
          assert.match(run.stdout, new RegExp(`^ID token verified: issued by ${sandbox.info.issuer} for sandbox-user\\.$`, 'm'), describeRun(run));
          assert.equal(lastJsonObject(run.stdout).client_id, sandbox.info.clients.basic.client_id, describeRun(run));
          assert.doesNotMatch(run.stdout, /id_token|eyJ/, 'the ID token itself stays in the program');
        });

        it('OpenID Connect complete flow: refuses an ID token that carries another nonce than the one it sent, and calls no API', async () => {
          const context = sandboxOpenIdSnippetContext(sandbox);
          // The consent is given to a request with another nonce, as when an attacker's ID token is injected.
          const run = await runWithBrowser(runner, 'completeFlow', context, {
            env: sandboxSecretsEnv(sandbox, context),
            authorizationUrl: (url) => {
              nonceOf(url);
              url.searchParams.set('nonce', 'injected-nonce-from-another-authorization-request');
            },
          });
          assert.notEqual(run.status, 0, describeRun(run));
          assert.match(run.stderr, /The ID token was refused: its nonce is not the one this request sent/, describeRun(run));
          assert.doesNotMatch(run.stdout, /ID token verified|"path"/, describeRun(run));
        });

        it('OpenID Connect complete flow: refuses a real ID token of the same issuer that was issued to another client (aud)', async () => {
          let nonce: string | undefined;
          let substitute: string | undefined;
          const proxy = await idTokenSwappingProxy(sandbox.info.token_endpoint, () => substitute);
          try {
            const context = sandboxOpenIdSnippetContext(sandbox, { tokenEndpoint: proxy.url });
            const run = await runWithBrowser(runner, 'completeFlow', context, {
              env: sandboxSecretsEnv(sandbox, context),
              authorizationUrl: async (url) => {
                nonce = nonceOf(url);
                // Same issuer, valid signature, the snippet's own nonce: only the audience is wrong.
                substitute = await idTokenForAnotherClient(sandbox, nonce);
              },
            });
            assert.ok(nonce && substitute);
            assert.notEqual(run.status, 0, describeRun(run));
            assert.match(run.stderr, /The ID token was refused: .*(audience|"aud")/i, describeRun(run));
            assert.doesNotMatch(run.stdout, /ID token verified|"path"/, describeRun(run));
          } finally {
            await proxy.close();
          }
        });

        it('OpenID Connect complete flow: with the JWKS URL configured, refuses the ID token when the configured issuer is another one', async () => {
          const discovery = await fetch(`${sandbox.info.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
          const { jwks_uri: jwksUri } = (await discovery.json()) as { jwks_uri: string };
          const context = sandboxOpenIdSnippetContext(sandbox, { issuer: `${sandbox.info.issuer}/another-tenant`, jwksUri });
          const snippet = snippetFor(runner, 'completeFlow', context);
          assert.ok(snippet.includes(jwksUri) && !snippet.includes('/.well-known/openid-configuration'), 'the configured JWKS URL, no discovery');
          const run = await runWithBrowser(runner, 'completeFlow', context, { env: sandboxSecretsEnv(sandbox, context) });
          assert.notEqual(run.status, 0, describeRun(run));
          assert.match(run.stderr, /The ID token was refused: .*(issuer|"iss")/i, describeRun(run));
          assert.doesNotMatch(run.stdout, /ID token verified|"path"/, describeRun(run));
        });
      }

      if (runner.variant !== 'axios') {
        it('authorization request: a headless consent reaches the snippet, whose code and verifier the token exchange accepts', async () => {
          const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
          const run = await runWithBrowser(runner, 'authorizationRequest', context);
          assert.equal(run.status, 0, describeRun(run));
          const code = /OAUTH_AUTHORIZATION_CODE=(\S+)/.exec(run.stdout)?.[1];
          const codeVerifier = /OAUTH_CODE_VERIFIER=(\S+)/.exec(run.stdout)?.[1];
          assert.ok(code && codeVerifier, describeRun(run));
          tokensFrom(execute(runner, 'tokenExchange', context, {
            ...sandboxSecretsEnv(sandbox, context), [SNIPPET_ENV.authorizationCode]: code, [SNIPPET_ENV.codeVerifier]: codeVerifier,
          }));
          authorized.push(runner.language.id);
        });

        it('authorization request: a redirect with another state is refused', async () => {
          const forged = await runWithBrowser(runner, 'authorizationRequest', sandboxSnippetContext(sandbox, 'client_secret_basic'), { forgeState: true });
          assert.notEqual(forged.status, 0, describeRun(forged));
          assert.match(forged.stderr, /state does not match/, describeRun(forged));
          assert.doesNotMatch(forged.stdout, /OAUTH_AUTHORIZATION_CODE=/);
        });
      }
    });
  }
});
