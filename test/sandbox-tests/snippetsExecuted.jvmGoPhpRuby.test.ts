import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ClientAuthMethod } from '../../src/core/providers/appConfiguration';
import { SNIPPET_LANGUAGES } from '../../src/core/snippets/languages';
import { goLanguage } from '../../src/core/snippets/languages/go';
import { javaLanguage } from '../../src/core/snippets/languages/java';
import { phpLanguage } from '../../src/core/snippets/languages/php';
import { rubyLanguage } from '../../src/core/snippets/languages/ruby';
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
  sandboxSecretsEnv,
  sandboxSkySnippetContext,
  sandboxSnippetContext,
  scratchDir,
  type ProgramRun,
} from '../support/snippetFlow';

// The Java, Go, PHP and Ruby snippets run for real against the local oidc-provider sandbox: a code
// from a headless consent is exchanged by the snippet, the snippet refreshes the token, and the API
// call must reach the protected resource. The authorization request snippets are interactive (they
// listen for the browser's redirect), so they are syntax-checked and then driven once each with a
// headless consent standing in for the browser; so is the complete flow, which does every step in one
// program. C# has no runtime in Debian: content tests only (test/unit/core/snippets).

const INSTALL = 'apt-get install -y golang-go php-cli php-curl ruby default-jdk-headless';
/** Go compiles on every `go run`; a cache that outlives the run keeps later runs to about a second. */
const GO_ENV = {
  GOCACHE: join(tmpdir(), 'acf-snippets-gocache'),
  GOPATH: join(tmpdir(), 'acf-snippets-gopath'),
  // No C toolchain needed: net/http's pure-Go resolver is enough on loopback.
  CGO_ENABLED: '0',
};
const RUN_TIMEOUT_MS = 60_000;
/** A first Go build compiles net/http into an empty cache (~20 s); everything else takes a few seconds. */
const TEST_TIMEOUT_MS = 150_000;

interface Runtime {
  language: SnippetLanguage;
  file: string;
  /** Proves the runtime (and everything the snippets need from it) is installed. */
  probe: [string, string[]];
  run: [string, string[]];
  /** Commands that must succeed without a word on stderr (nor on stdout where `quiet`) for the source to count as valid. */
  syntax: Array<{ command: [string, string[]]; quiet?: boolean }>;
  env: Record<string, string>;
}

const RUNTIMES: readonly Runtime[] = [
  {
    language: javaLanguage,
    file: 'Snippet.java',
    probe: ['javac', ['-version']],
    run: ['java', ['Snippet.java']],
    syntax: [{ command: ['javac', ['-Xlint:all', '-Werror', '-d', 'classes', 'Snippet.java']] }],
    env: {},
  },
  {
    language: goLanguage,
    file: 'snippet.go',
    probe: ['go', ['version']],
    run: ['go', ['run', 'snippet.go']],
    // gofmt -l names the file when it is not gofmt-formatted; go vet type-checks and vets it.
    syntax: [{ command: ['gofmt', ['-l', 'snippet.go']], quiet: true }, { command: ['go', ['vet', 'snippet.go']] }],
    env: GO_ENV,
  },
  {
    language: phpLanguage,
    file: 'snippet.php',
    probe: ['php', ['-r', 'exit(extension_loaded("curl") ? 0 : 1);']],
    run: ['php', ['snippet.php']],
    syntax: [{ command: ['php', ['-l', 'snippet.php']] }],
    env: {},
  },
  {
    language: rubyLanguage,
    file: 'snippet.rb',
    probe: ['ruby', ['-e', 'require "net/http"; require "socket"; require "digest"; require "base64"']],
    run: ['ruby', ['snippet.rb']],
    // -w turns warnings (e.g. unused variables) into output a reviewer would see; -c only parses.
    syntax: [{ command: ['ruby', ['-wc', 'snippet.rb']] }],
    env: {},
  },
];

const probed = new Map<string, string | undefined>();

/** Fails (never skips) with the Debian packages to install when a runtime is missing. */
function requireRuntime(runtime: Runtime): void {
  if (!probed.has(runtime.language.id)) {
    const [command, args] = runtime.probe;
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...runtime.env } });
    probed.set(runtime.language.id, result.error || result.status !== 0
      ? `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}: ${result.stderr.trim()}`})`
      : undefined);
  }
  const problem = probed.get(runtime.language.id);
  if (problem !== undefined) {
    assert.fail(`The ${runtime.language.label} snippets need their runtime: ${problem}. Install it with: ${INSTALL}`);
  }
}

function writeSnippet(dir: string, runtime: Runtime, kind: SnippetKind, context: SnippetContext): void {
  writeFileSync(join(dir, runtime.file), toPlainText(runtime.language.generate(kind, context)));
}

function describeRun(run: ProgramRun): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout.slice(0, 4000)}\n--- stderr\n${run.stderr.slice(0, 4000)}`;
}

/** Generates one snippet, runs it with the given environment and returns the JSON object it printed. */
function runSnippet(runtime: Runtime, kind: SnippetKind, context: SnippetContext, env: Record<string, string>): Record<string, unknown> {
  const scratch = scratchDir(`snippet-${runtime.language.id}`);
  try {
    writeSnippet(scratch.dir, runtime, kind, context);
    const [command, args] = runtime.run;
    const run = runProgram(command, args, { cwd: scratch.dir, env: { ...runtime.env, ...env }, timeoutMs: RUN_TIMEOUT_MS });
    assert.equal(run.status, 0, `${runtime.language.id} ${kind}: ${describeRun(run)}`);
    return lastJsonObject(run.stdout);
  } finally {
    scratch.remove();
  }
}

function tokenExchange(runtime: Runtime, context: SnippetContext, secrets: Record<string, string>, code: { code: string; codeVerifier: string }): Record<string, unknown> {
  const tokens = runSnippet(runtime, 'tokenExchange', context, {
    ...secrets,
    [SNIPPET_ENV.authorizationCode]: code.code,
    [SNIPPET_ENV.codeVerifier]: code.codeVerifier,
  });
  assert.equal(typeof tokens.access_token, 'string', JSON.stringify(tokens));
  assert.equal(tokens.token_type, 'bearer', 'the sandbox answers in SKY\'s lower case');
  return tokens;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number, context: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET that retries while the snippet's server is still starting up. */
async function getWhenListening(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

interface AuthorizationRun {
  /** What the snippet's redirect handler answered. */
  status: number;
  page: string;
  /** What a user would read: the terminal for most languages, the page for PHP (it runs as a web app). */
  printed: string;
  /** The exit code; PHP's server keeps running, so there it is undefined. */
  exitCode?: number | null;
  output: string;
}

/** An interactive snippet: the authorization request, or the complete flow with the secrets it reads. */
type InteractiveRun = { kind: 'authorizationRequest' } | { kind: 'completeFlow'; env: Record<string, string> };

/**
 * Runs an interactive snippet the way a user would. `browser` plays the user's part: it gets the
 * authorization URL and returns the redirect to deliver to the snippet. PHP serves itself with
 * `php -S`, so there the browser starts at the script's own start page, keeping its session cookie.
 */
async function runAuthorizationSnippet(
  runtime: Runtime,
  context: SnippetContext,
  dir: string,
  browser: (url: string) => Promise<URL>,
  run: InteractiveRun = { kind: 'authorizationRequest' },
): Promise<AuthorizationRun> {
  writeSnippet(dir, runtime, run.kind, context);
  const [command, args] = runtime.run;
  // A process group of its own, so `php snippet.php` and the `php -S` it starts stop together.
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...runtime.env, ...(run.kind === 'completeFlow' ? run.env : {}) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = (): string => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  const stop = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // It ended in the meantime.
    }
  };
  const guard = setTimeout(stop, RUN_TIMEOUT_MS);
  try {
    if (runtime.language.id === 'php') {
      const start = await getWhenListening(`${new URL(context.redirectUri).origin}/`);
      assert.equal(start.status, 302, output());
      const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
      const response = await getWhenListening((await browser(start.headers.get('location') ?? '')).href, { cookie });
      const page = await response.text();
      return { status: response.status, page, printed: page, output: output() };
    }
    const url = await waitFor('the authorization URL', () => /^(http\S+\?\S+)$/m.exec(stdout)?.[1], RUN_TIMEOUT_MS, output);
    const response = await getWhenListening((await browser(url)).href);
    const page = await response.text();
    const exitCode = await exited;
    return { status: response.status, page, printed: stdout, exitCode, output: output() };
  } finally {
    clearTimeout(guard);
    stop();
  }
}

after(() => reportSnippetRuns(SNIPPET_LANGUAGES.map((language) => language.id)));

describe('Java, Go, PHP and Ruby snippets, executed against the sandbox', function () {
  this.timeout(TEST_TIMEOUT_MS);
  let sandbox: Sandbox;
  const executed = new Set<string>();
  const syntaxChecked = new Set<string>();
  const authorized = new Set<string>();

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox();
  });

  after(async () => {
    await sandbox?.stop();
    const list = (names: Iterable<string>): string => [...names].join(', ') || 'none';
    const checkers = RUNTIMES.filter(({ language }) => syntaxChecked.has(language.id))
      .map(({ language, syntax }) => `${language.id} (${syntax.map(({ command: [command, args] }) => `${command} ${args[0]}`).join(' + ')})`);
    process.stdout.write(`      executed snippets: ${list(executed)}; authorization request driven end to end: ${list(authorized)}; `
      + `syntax-checked: ${list(checkers)}\n`);
  });

  for (const runtime of RUNTIMES) {
    const id = runtime.language.id;

    planSnippetRunner(id, id);
    describe(runtime.language.label, () => {
      afterEach(function () {
        recordSnippetTest(id, this.currentTest?.state);
      });

      it('complete flow: one program authorizes through the browser, exchanges the code and calls the API', async () => {
        requireRuntime(runtime);
        const base = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const context = { ...base, redirectUri: `http://127.0.0.1:${await freePort()}/callback` };
        const scratch = scratchDir(`complete-${id}`);
        try {
          const run = await runAuthorizationSnippet(runtime, context, scratch.dir, (url) => consentHeadlessly(url), {
            kind: 'completeFlow', env: sandboxSecretsEnv(sandbox, context),
          });
          assert.equal(run.status, 200, `${run.page}\n${run.output}`);
          if (id !== 'php') assert.equal(run.exitCode, 0, run.output);
          const body = lastJsonObject(run.printed);
          assert.equal(body.client_id, sandbox.info.clients.basic.client_id, run.output);
          assert.equal(body.path, new URL(sandbox.info.protected_resource).pathname);
          // PHP reports to its terminal (stderr) and answers the browser; the others print to stdout.
          assert.match(run.output, /Tokens received; the access token expires in \d+ s\./, run.output);
          assert.doesNotMatch(run.printed, /access_token|refresh_token|OAUTH_/, 'the tokens and the code stay in the program');
        } finally {
          scratch.remove();
        }
      });

      it('exchanges a real code, refreshes the token and calls the API (client_secret_basic)', async () => {
        requireRuntime(runtime);
        const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const secrets = sandboxSecretsEnv(sandbox, context);
        const tokens = tokenExchange(runtime, context, secrets, await obtainAuthorizationCode(context));
        assert.equal(typeof tokens.refresh_token, 'string', JSON.stringify(tokens));

        const refreshed = runSnippet(runtime, 'refresh', context, { ...secrets, [SNIPPET_ENV.refreshToken]: String(tokens.refresh_token) });
        assert.equal(typeof refreshed.access_token, 'string', JSON.stringify(refreshed));
        assert.notEqual(refreshed.access_token, tokens.access_token, 'the refresh issues a new access token');

        const resource = runSnippet(runtime, 'apiCall', context, { ...secrets, [SNIPPET_ENV.accessToken]: String(refreshed.access_token) });
        assert.equal(resource.client_id, sandbox.info.clients.basic.client_id, JSON.stringify(resource));
        assert.equal(resource.path, new URL(sandbox.info.protected_resource).pathname);
        executed.add(id);
      });

      it('exits non-zero on an error response and prints the error body', () => {
        requireRuntime(runtime);
        const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const scratch = scratchDir(`snippet-${id}`);
        try {
          writeSnippet(scratch.dir, runtime, 'refresh', context);
          const [command, args] = runtime.run;
          const run = runProgram(command, args, {
            cwd: scratch.dir,
            env: { ...runtime.env, ...sandboxSecretsEnv(sandbox, context), [SNIPPET_ENV.refreshToken]: 'not-a-refresh-token' },
            timeoutMs: RUN_TIMEOUT_MS,
          });
          assert.notEqual(run.status, 0, describeRun(run));
          assert.equal(lastJsonObject(run.stdout).error, 'invalid_grant', describeRun(run));
        } finally {
          scratch.remove();
        }
      });

      it('sends the raw Basic credentials SKY API expects: the SKY-like client accepts them, and refuses the RFC 6749 spelling', async () => {
        requireRuntime(runtime);
        const context = sandboxSkySnippetContext(sandbox);
        const secrets = sandboxSecretsEnv(sandbox, context);
        assert.match(secrets[SNIPPET_ENV.clientSecret] ?? '', /[+/=]/, 'a secret the two encodings spell differently');
        const tokens = tokenExchange(runtime, context, secrets, await obtainAuthorizationCode(context));
        const refreshed = runSnippet(runtime, 'refresh', context, { ...secrets, [SNIPPET_ENV.refreshToken]: String(tokens.refresh_token) });
        assert.equal(typeof refreshed.access_token, 'string', JSON.stringify(refreshed));

        // The client is authenticated before the grant is looked at, so even a made-up token meets invalid_client.
        const scratch = scratchDir(`snippet-${id}`);
        try {
          writeSnippet(scratch.dir, runtime, 'refresh', sandboxSkySnippetContext(sandbox, 'form-urlencoded'));
          const [command, args] = runtime.run;
          const run = runProgram(command, args, {
            cwd: scratch.dir, env: { ...runtime.env, ...secrets, [SNIPPET_ENV.refreshToken]: 'not-a-refresh-token' }, timeoutMs: RUN_TIMEOUT_MS,
          });
          assert.notEqual(run.status, 0, describeRun(run));
          assert.equal(lastJsonObject(run.stdout).error, 'invalid_client', describeRun(run));
        } finally {
          scratch.remove();
        }
      });

      for (const method of ['client_secret_post', 'none'] as const satisfies readonly ClientAuthMethod[]) {
        it(`exchanges a real code as a ${method === 'none' ? 'public client' : `${method} client`}`, async () => {
          requireRuntime(runtime);
          const context = sandboxSnippetContext(sandbox, method);
          const client = method === 'none' ? sandbox.info.clients.public : sandbox.info.clients.post;
          assert.equal(context.config.clientId, client.client_id);
          tokenExchange(runtime, context, sandboxSecretsEnv(sandbox, context), await obtainAuthorizationCode(context));
        });
      }

      it('writes snippets that pass the syntax check without warnings (authorization request, complete flow: three configurations)', () => {
        requireRuntime(runtime);
        const scratch = scratchDir(`syntax-${id}`);
        try {
          mkdirSync(join(scratch.dir, 'classes'));
          const contexts: SnippetContext[] = [
            sandboxSnippetContext(sandbox, 'client_secret_basic'),
            sandboxSnippetContext(sandbox, 'none'),
            (() => {
              const context = sandboxSnippetContext(sandbox, 'client_secret_post');
              return { ...context, config: { ...context.config, usePkce: false, scopes: [], extraAuthorizationParams: { prompt: 'login' } } };
            })(),
          ];
          // The interactive kinds in every configuration; the other kinds, which run above, once more for warnings.
          const cases = [
            ...contexts.flatMap((context) => [['authorizationRequest', context], ['completeFlow', context]] as const),
            ...(['tokenExchange', 'refresh', 'apiCall'] as const).map((kind) => [kind, contexts[2]] as const),
          ];
          for (const [kind, context] of cases) {
            writeSnippet(scratch.dir, runtime, kind, context);
            for (const { command: [command, args], quiet } of runtime.syntax) {
              const run = runProgram(command, args, { cwd: scratch.dir, env: runtime.env, timeoutMs: RUN_TIMEOUT_MS });
              const what = `${command} ${args.join(' ')} (${kind})`;
              assert.equal(run.status, 0, `${what}: ${describeRun(run)}`);
              // Warnings (ruby -w, go vet) go to stderr without failing the command.
              assert.equal(run.stderr.trim(), '', `${what} warned: ${describeRun(run)}`);
              if (quiet) assert.equal(run.stdout.trim(), '', `${what} reported the file`);
            }
          }
          syntaxChecked.add(id);
        } finally {
          scratch.remove();
        }
      });

      it('runs the authorization request with a headless consent, and its code is exchanged', async () => {
        requireRuntime(runtime);
        // A port of its own: the snippet listens on its redirect URI, and the sandbox accepts any loopback port.
        const base = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const context = { ...base, redirectUri: `http://127.0.0.1:${await freePort()}/callback` };
        const scratch = scratchDir(`authorize-${id}`);
        try {
          const run = await runAuthorizationSnippet(runtime, context, scratch.dir, (url) => consentHeadlessly(url));
          assert.equal(run.status, 200, `${run.page}\n${run.output}`);
          if (id !== 'php') assert.equal(run.exitCode, 0, run.output);
          const code = /^OAUTH_AUTHORIZATION_CODE=(\S+)$/m.exec(run.printed)?.[1];
          const codeVerifier = /^OAUTH_CODE_VERIFIER=(\S+)$/m.exec(run.printed)?.[1];
          assert.ok(code && codeVerifier, `no code and verifier printed:\n${run.printed}\n${run.output}`);
          tokenExchange(runtime, context, sandboxSecretsEnv(sandbox, context), { code, codeVerifier });
          authorized.add(id);
        } finally {
          scratch.remove();
        }
      });

      it('refuses a redirect that does not carry its state', async () => {
        requireRuntime(runtime);
        const base = sandboxSnippetContext(sandbox, 'client_secret_basic');
        const context = { ...base, redirectUri: `http://127.0.0.1:${await freePort()}/callback` };
        const scratch = scratchDir(`forged-${id}`);
        try {
          // What a cross-site request forgery would deliver: a code, but not the state this run made.
          const forged = async (): Promise<URL> => new URL(`${context.redirectUri}?code=forged-code&state=forged-state`);
          const run = await runAuthorizationSnippet(runtime, context, scratch.dir, forged);
          assert.equal(run.status, 400, `${run.page}\n${run.output}`);
          assert.match(run.page, /state does not match/i);
          assert.doesNotMatch(run.printed, /OAUTH_AUTHORIZATION_CODE=/, run.output);
          if (id !== 'php') assert.equal(run.exitCode, 1, run.output);
        } finally {
          scratch.remove();
        }
      });
    });
  }
});
