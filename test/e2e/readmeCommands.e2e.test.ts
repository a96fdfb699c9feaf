// Every command the README gives, run the way a newcomer types it in the repository root. A README
// command without a test is how `npm start` once broke while every other test passed; the inventory at
// the top fails as soon as the README names a command that nothing here (or a named suite) runs.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/editorPaths';

const repo = repoRoot();

/** Where each README command is run as a newcomer runs it; this file covers the rest. */
const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  'npm ci': '.ci/run, which runs exactly `npm ci && npm test` on a fresh clone',
  'npm test': '.ci/run',
  'npm start': 'test/e2e/npmStart.e2e.test.ts',
};
const COVERED_HERE = ['npm run sandbox', 'npm run build', 'npm run package', 'npm run install-editor', 'npm run bench', 'npm run test:desktop'];

/**
 * The environment of a newcomer's shell: this run's own result files are left out, so a command that
 * runs tests itself (bench, test:desktop) cannot write into or wipe this run's summary.
 */
function newcomerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.TEST_SUMMARY_FILE;
  delete env.TEST_FIGURES_FILE;
  delete env.TEST_OUTPUT_FILE;
  return env;
}

interface Finished {
  code: number | null;
  output: string;
}

/** Runs `npm <args>` in the repository root in its own process group, killed whole if it overruns. */
function npm(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: repo, env: newcomerEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const timer = setTimeout(() => {
      try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`npm ${args.join(' ')} did not finish within ${timeoutMs / 1000} s. Output:\n${output.slice(-4000)}`));
    }, timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

describe('the README\'s commands, as a newcomer runs them', function () {
  this.timeout(300_000);

  it('has a test for every npm command the README gives', function () {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const commands = new Set(readme.match(/npm (?:ci|start|test|run [a-z:-]+)/g) ?? []);
    assert.ok(commands.has('npm start') && commands.has('npm test'), 'the README opens with npm start and npm test');
    const untested = [...commands].filter((command) => !(command in COVERED_ELSEWHERE) && !COVERED_HERE.includes(command));
    assert.deepEqual(untested, [], `README commands with no test: ${untested.join(', ')}`);
  });

  it('npm run sandbox prints its endpoints as one JSON line, and Ctrl+C stops it', async function () {
    const child = spawn('npm', ['run', 'sandbox'], { cwd: repo, env: newcomerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no JSON line within 30 s. Output:\n${output}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const json = output.split('\n').find((candidate) => candidate.startsWith('{'));
          if (json !== undefined) { clearTimeout(timer); resolve(json); }
        });
      });
      const info = JSON.parse(line) as { issuer: string; authorization_endpoint: string; token_endpoint: string };
      const issuer = new URL(info.issuer);
      assert.equal(issuer.hostname, '127.0.0.1');
      assert.ok(info.authorization_endpoint.startsWith(info.issuer) && info.token_endpoint.startsWith(info.issuer), line);
      const discovery = await fetch(`${info.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(discovery.status, 200);
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))]);
      assert.ok(stopped, `npm run sandbox did not stop on Ctrl+C. Output:\n${output}`);
      assert.ok(await portIsFree('127.0.0.1', Number(issuer.port)), 'the sandbox port is still taken after Ctrl+C');
    } finally {
      try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* stopped */ }
    }
  });

  it('npm run build makes the five bundles', async function () {
    const { code, output } = await npm(['run', 'build'], 120_000);
    assert.equal(code, 0, output);
    for (const bundle of ['extension.js', 'commands.js', 'snippets.js', 'discovery.js', 'idTokens.js']) assert.ok(existsSync(join(repo, 'dist', bundle)), `dist/${bundle}`);
  });

  it('npm run package makes a clean .vsix', async function () {
    const { code, output } = await npm(['run', 'package'], 240_000);
    assert.equal(code, 0, output);
    assert.match(output, /auth-code-flow\.vsix: \d+ files, no warnings/);
  });

  it('npm run install-editor finds the cached editor (or installs it)', async function () {
    const { code, output } = await npm(['run', 'install-editor'], 280_000);
    assert.equal(code, 0, output);
    assert.match(output, /code-server .* (is cached|ready)/);
  });

  it('npm run bench prints every figure in one run (one repetition each, to stay quick)', async function () {
    const { code, output } = await npm(['run', 'bench'], 280_000, { BENCH_RUNS: '1', BENCH_ACTIVATION_RUNS: '1', BENCH_OVERHEAD_RUNS: '3' });
    assert.equal(code, 0, output);
    for (const figure of [/dist\/extension\.js \(every start\)/, /dist\/snippets\.js \(first snippet\)/, /callback → tokens stored: .* = [\d.]+×/, /this extension minus empty/]) {
      assert.match(output, figure);
    }
  });

  it('npm run test:desktop, where VS Code cannot be downloaded, says how to point it at an installed one', async function () {
    // No internet here, as on many CI machines: the README promises a clear message, not a hang.
    const results = mkdtempSync(join(tmpdir(), 'test-desktop-results-'));
    const { code, output } = await npm(['run', 'test:desktop'], 280_000, { VSCODE_EXECUTABLE: '', TEST_RESULTS_DIR: results });
    if (code === 0) return; // VS Code could be downloaded: the suite ran and passed.
    assert.match(output, /set VSCODE_EXECUTABLE to an installed VS Code binary/, output.slice(-3000));
  });
});
