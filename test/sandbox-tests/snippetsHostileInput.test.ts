import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

import { goLanguage } from '../../src/core/snippets/languages/go';
import { javaLanguage } from '../../src/core/snippets/languages/java';
import { javascriptLanguage } from '../../src/core/snippets/languages/javascript';
import { phpLanguage } from '../../src/core/snippets/languages/php';
import { pythonLanguage } from '../../src/core/snippets/languages/python';
import { rubyLanguage } from '../../src/core/snippets/languages/ruby';
import { shellLanguage } from '../../src/core/snippets/languages/shell';
import { typescriptLanguage } from '../../src/core/snippets/languages/typescript';
import { SNIPPET_ENV, type SnippetContext, type SnippetLanguage } from '../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../src/core/snippets/snippetText';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { lastJsonObject, runProgram, sandboxSnippetContext, scratchDir, type ProgramRun } from '../support/snippetFlow';

// Hostile or unusual settings against the generated API-call snippets, executed for real: the sandbox's
// echo API (`/api/echo/…`, test/sandbox/provider.mjs) answers with the raw request target and header
// lines as they arrived, and lists every request it received, so a test sees what was sent, and how often.

const RUN_TIMEOUT_MS = 60_000;
const GO_ENV = { GOCACHE: join(tmpdir(), 'acf-snippets-gocache'), GOPATH: join(tmpdir(), 'acf-snippets-gopath'), CGO_ENABLED: '0' };

interface Runner {
  name: string;
  language: SnippetLanguage;
  variant?: string;
  file: string;
  command: [string, string[]];
  env?: Record<string, string>;
  transform?: (code: string) => string;
}

function nodeModules(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'axios', 'package.json'))) return join(dir, 'node_modules');
  }
  throw new Error(`No node_modules with axios above ${__dirname}; run npm install.`);
}

const toCommonJs = (code: string): string =>
  ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;

const RUNNERS: readonly Runner[] = [
  ...(['fetch', 'axios'] as const).flatMap((variant): Runner[] => [
    { name: `javascript(${variant})`, language: javascriptLanguage, variant, file: 'snippet.js', command: [process.execPath, ['snippet.js']], env: { NODE_PATH: nodeModules() } },
    { name: `typescript(${variant})`, language: typescriptLanguage, variant, file: 'snippet.js', command: [process.execPath, ['snippet.js']], env: { NODE_PATH: nodeModules() }, transform: toCommonJs },
  ]),
  { name: 'python', language: pythonLanguage, file: 'snippet.py', command: ['python3', ['snippet.py']] },
  { name: 'shellscript', language: shellLanguage, file: 'snippet.sh', command: ['bash', ['snippet.sh']] },
  { name: 'java', language: javaLanguage, file: 'Snippet.java', command: ['java', ['Snippet.java']] },
  { name: 'go', language: goLanguage, file: 'snippet.go', command: ['go', ['run', 'snippet.go']], env: GO_ENV },
  { name: 'php', language: phpLanguage, file: 'snippet.php', command: ['php', ['snippet.php']] },
  { name: 'ruby', language: rubyLanguage, file: 'snippet.rb', command: ['ruby', ['snippet.rb']] },
];

function describeRun(run: ProgramRun): string {
  return `exit ${String(run.status)}\n--- stdout\n${run.stdout.slice(0, 3000)}\n--- stderr\n${run.stderr.slice(0, 3000)}`;
}

/** Runs the API-call snippet of `runner` for `context` in a scratch folder that also holds `sentinel`'s folder. */
function runApiCall(runner: Runner, context: SnippetContext, env: Record<string, string>, scratch: { dir: string }): ProgramRun {
  const code = toPlainText(runner.language.generate('apiCall', context, runner.variant));
  writeFileSync(join(scratch.dir, runner.file), runner.transform ? runner.transform(code) : code);
  const [command, args] = runner.command;
  return runProgram(command, args, { cwd: scratch.dir, env: { ...runner.env, ...env }, timeoutMs: RUN_TIMEOUT_MS });
}

interface Echo {
  raw_path: string;
  raw_headers: string[];
}

/**
 * What the echo API received. Retried: a slow snippet (java compiles first) outlasts the server's
 * keep-alive timeout, and fetch may then reuse a connection the server is just closing.
 */
async function echoes(sandbox: Sandbox): Promise<Echo[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${sandbox.info.issuer}/__sandbox/echoes`, { signal: AbortSignal.timeout(10_000) });
      return (await response.json()) as Echo[];
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** An API-call context against the echo API, with `path` under a prefix unique to this test. */
function echoContext(sandbox: Sandbox, path: string): SnippetContext {
  const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
  return { ...context, apiPath: `/echo/${path}` };
}

let nonce = 0;
const unique = (name: string): string => `${name}-${Date.now().toString(36)}-${++nonce}`;

describe('generated API-call snippets with hostile or unusual settings, executed against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox();
  });

  after(async () => {
    await sandbox?.stop();
  });

  describe('an API path with a space, non-ASCII, braces and brackets arrives exactly once, percent-encoded once', () => {
    // What the user typed, and the request target RFC 3986 spells for it: characters outside its
    // allowed set percent-encoded as UTF-8, an existing %XX left as it is.
    const typed = 'a b/é/日本/{a,b}/[1-2]/50%25?q=x y&r=é';
    const sent = 'a%20b/%C3%A9/%E6%97%A5%E6%9C%AC/%7Ba,b%7D/%5B1-2%5D/50%25?q=x%20y&r=%C3%A9';
    for (const runner of RUNNERS) {
      it(runner.name, async () => {
        const prefix = unique(runner.name.replace(/\W/g, ''));
        const scratch = scratchDir(`hostile-${runner.language.id}`);
        try {
          const run = runApiCall(runner, echoContext(sandbox, `${prefix}/${typed}`), {
            [SNIPPET_ENV.accessToken]: 'access-token', [SNIPPET_ENV.subscriptionKey]: 'key',
          }, scratch);
          const arrived = (await echoes(sandbox)).filter((echo) => echo.raw_path.startsWith(`/api/echo/${prefix}/`));
          assert.deepEqual(arrived.map((echo) => echo.raw_path), [`/api/echo/${prefix}/${sent}`], describeRun(run));
          assert.equal(run.status, 0, describeRun(run));
          assert.equal(lastJsonObject(run.stdout).raw_path, `/api/echo/${prefix}/${sent}`);
        } finally {
          scratch.remove();
        }
      });
    }
  });

  describe('shell: curl reads its config from the script, which hostile settings must not extend', () => {
    const shell = RUNNERS.find((runner) => runner.language === shellLanguage)!;

    /** Runs the shell API call; returns the run, what arrived, and whether curl wrote the planted output file. */
    async function attempt(header: string, key: string, token = 'access-token'): Promise<{ run: ProgramRun; arrived: Echo[]; planted: boolean }> {
      const prefix = unique('shell');
      const scratch = scratchDir('hostile-shell');
      try {
        const planted = join(scratch.dir, 'planted');
        const context = echoContext(sandbox, `${prefix}/x`);
        const run = runApiCall(shell, {
          ...context, config: { ...context.config, subscriptionKeyHeader: header.replace('PLANTED', planted) },
        }, { [SNIPPET_ENV.accessToken]: token, [SNIPPET_ENV.subscriptionKey]: key.replace('PLANTED', planted) }, scratch);
        const arrived = (await echoes(sandbox)).filter((echo) => echo.raw_path.startsWith(`/api/echo/${prefix}/`));
        return { run, arrived, planted: existsSync(planted) };
      } finally {
        scratch.remove();
      }
    }

    it('a header name with a line break and a config line is refused before curl runs', async () => {
      const { run, arrived, planted } = await attempt('X-Key\noutput = "PLANTED"', 'key');
      assert.equal(planted, false, `curl wrote the response to a file the setting named\n${describeRun(run)}`);
      assert.notEqual(run.status, 0, describeRun(run));
      assert.match(run.stderr, /line break/, describeRun(run));
      assert.deepEqual(arrived, []);
    });

    it('a subscription key or access token with a line break and a config line is refused before curl runs', async () => {
      for (const [key, token] of [['key\noutput = "PLANTED"', 'access-token'], ['key', 'token"\noutput = "PLANTED']]) {
        const { run, arrived, planted } = await attempt('X-Key', key, token);
        assert.equal(planted, false, `curl wrote the response to a file the environment named\n${describeRun(run)}`);
        assert.notEqual(run.status, 0, describeRun(run));
        assert.match(run.stderr, /line break/, describeRun(run));
        assert.deepEqual(arrived, []);
      }
    });

    it('header values with backslashes, quotes, $ and tabs arrive byte for byte', async () => {
      const key = 'k\\q"x $HOME `id` \\n\\\\ \'s\'\tend';
      const token = 'tok\\en"1';
      const { run, arrived, planted } = await attempt('X-Key', key, token);
      assert.equal(planted, false);
      assert.equal(run.status, 0, describeRun(run));
      assert.equal(arrived.length, 1, describeRun(run));
      const headers = arrived[0].raw_headers;
      assert.equal(headers[headers.indexOf('X-Key') + 1], key, describeRun(run));
      assert.equal(headers[headers.indexOf('Authorization') + 1], `Bearer ${token}`, describeRun(run));
    });
  });
});
