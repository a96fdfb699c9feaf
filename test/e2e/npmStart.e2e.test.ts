// The README's first command, as a newcomer runs it: `npm start` in the repository root, the printed URL
// and password in a browser, the walkthrough, Configure App and Authorize App against the sandbox it
// started, then Ctrl+C. Only what a newcomer cannot share on a test machine is set: a fresh state folder,
// free ports, and the code-server editor even where desktop `code` is on the PATH.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { answerConfigureForSandbox, consentInBrowser } from '../harness/appFlows';
import { launchChromium } from '../harness/browser';
import { approve } from '../harness/consentPage';
import { freshTestState, repoRoot } from '../harness/editorPaths';
import { runCommand, tokenStatusItem, waitForNotification } from '../harness/workbench';

/** Up to here npm start compiles (tsc), packages, installs the .vsix and starts code-server. */
const STARTUP_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 30_000;

/** Asks the OS for a free port on a loopback address, as a person picks one nobody uses. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

interface LiveProcess { pid: number; command: string }

/**
 * Every running process npm start left behind: in the process group the terminal's Ctrl+C reaches, or
 * started with the state folder in its environment or command line (code-server runs in a group of
 * its own, and every process below npm start inherits its environment).
 */
function processesOf(groupId: number, stateDir: string): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which may itself contain spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (Number(pgrp) === groupId || command.includes(stateDir) || environ.includes(`\0AUTH_CODE_FLOW_STATE_DIR=${stateDir}\0`)
        || environ.startsWith(`AUTH_CODE_FLOW_STATE_DIR=${stateDir}\0`)) {
        found.push({ pid, command });
      }
    } catch { /* exited while listing, or not ours to read */ }
  }
  return found;
}

function gitStatus(repo: string): string {
  const result = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`git status failed in ${repo}: ${result.stderr}`);
  return result.stdout;
}

/**
 * A fingerprint of the build output npm start rewrites (dist/, out/) while this suite runs from out/ and
 * the other e2e files install the .vsix made from dist/: it must rebuild the very same bytes.
 */
function buildFingerprint(repo: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const folder of ['dist', 'out']) {
    const root = join(repo, folder);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { recursive: true }) as string[]) {
      const file = join(root, entry);
      if (statSync(file).isFile()) sums.set(join(folder, entry), createHash('sha256').update(readFileSync(file)).digest('hex'));
    }
  }
  return sums;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

/** `npm start`, in a process group of its own as a terminal's foreground job is. */
class NpmStart {
  readonly child: ChildProcess;
  readonly exited: Promise<string>;
  private printed = '';

  constructor(repo: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('npm', ['start'], { cwd: repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => { this.printed += chunk.toString(); });
    this.child.stderr?.on('data', (chunk: Buffer) => { this.printed += chunk.toString(); });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`));
      this.child.once('error', (error) => resolve(`not started: ${error.message}`));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.printed;
  }

  /** Waits (bounded) until npm start has printed something matching, and returns the match. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.printed);
      if (match) return match;
      if (!this.running) throw new Error(`npm start ended (${await this.exited}) without printing ${pattern}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} within ${timeoutMs / 1000} s`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('npm start, the README\'s first command, as a newcomer runs it', function () {
  this.timeout(STARTUP_TIMEOUT_MS + 60_000);
  const repo = repoRoot();
  let stateDir: string;
  let editorPort: number;
  let sandboxPort: number;
  let gitBefore: string;
  let buildBefore: Map<string, string>;
  let npmStart: NpmStart;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page | undefined;
  let workbenchUrl: string;
  let password: string;
  let issuer: string;

  /** Runs a test body; a failure's message ends with what npm start printed. */
  async function showingOutput(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const printed = npmStart?.output() ?? '(npm start was not started)';
      if (error instanceof Error) {
        // Mocha prints the text of the stack above its frames, so both carry the output.
        const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at\s/.test(line)).join('\n');
        error.message += `\n--- npm start printed (last 8000 characters) ---\n${printed.slice(-8000)}\n--- end ---`;
        error.stack = `${error.name}: ${error.message}\n${frames}`;
      }
      throw error;
    }
  }

  before(async () => {
    ({ stateDir } = freshTestState('e2e', 'npm-start'));
    editorPort = await freePort('127.0.0.1');
    sandboxPort = await freePort('127.0.0.2');
    gitBefore = gitStatus(repo);
    buildBefore = buildFingerprint(repo);
    npmStart = new NpmStart(repo, {
      ...process.env,
      PORT: String(editorPort),
      SANDBOX_PORT: String(sandboxPort),
      AUTH_CODE_FLOW_STATE_DIR: stateDir,
      // The code-server branch, also on a machine where desktop `code` is on the PATH.
      AUTH_CODE_FLOW_EDITOR: 'code-server',
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = join(stateDir, 'failed-npm-start.png');
      await page.screenshot({ path: file }).catch(() => undefined);
      process.stdout.write(`      screenshot: ${file}\n`);
    }
  });

  after(async () => {
    await browser?.close();
    if (npmStart) writeFileSync(join(stateDir, 'npm-start-output.txt'), npmStart.output());
    // After a failure, nothing of this run may disturb the next test files.
    if (npmStart?.running && npmStart.child.pid) {
      try { process.kill(-npmStart.child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const left of npmStart?.child.pid ? processesOf(npmStart.child.pid, stateDir) : []) {
      try { process.kill(left.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('compiles, packages, starts code-server and the sandbox, and prints the URL and a password', () => showingOutput(async () => {
    await npmStart.waitForOutput(/Press Ctrl\+C to stop\./, STARTUP_TIMEOUT_MS);
    const output = npmStart.output();
    assert.doesNotMatch(output, /npm start failed/);
    workbenchUrl = /Open (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=\S+) in a browser/.exec(output)?.[1] ?? '';
    assert.ok(workbenchUrl, 'npm start printed the workbench URL');
    assert.equal(new URL(workbenchUrl).port, String(editorPort), 'code-server listens on PORT');
    password = /Password: (\S+)/.exec(output)?.[1] ?? '';
    assert.ok(password.length >= 12, 'npm start printed a password');
    issuer = /Sandbox provider: (http:\/\/127\.0\.0\.2:(\d+))/.exec(output)?.[1] ?? '';
    assert.equal(new URL(issuer).port, String(sandboxPort), 'the sandbox listens on SANDBOX_PORT');
  }));

  it('signs in on code-server\'s login page with that password, and the walkthrough opens by itself', () => showingOutput(async () => {
    assert.ok(workbenchUrl, 'npm start is running');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    await page.goto(workbenchUrl);
    const passwordField = page.locator('input[name=password]');
    await passwordField.waitFor({ timeout: 30_000 });
    await passwordField.fill(password);
    await page.locator('input[type=submit]').click();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    // The extension opens it once installed, after start-up has finished (onStartupFinished): on a busy
    // two-core machine that is well over a minute after the workbench shows.
    await page.locator('.getting-started-step .step-title', { hasText: 'Set up your application' }).waitFor({ timeout: 180_000 });
  }));

  it('Configure App → Local sandbox, then Authorize App with consent in the opened tab, stores tokens', () => showingOutput(async () => {
    assert.ok(page, 'signed in to the workbench');
    await runCommand(page, 'Auth Code Flow: Configure App');
    await answerConfigureForSandbox(page, 'Loopback redirect');
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser({ page, context }, { info: { issuer } }, approve);
    await tab.locator('h1', { hasText: 'Authorization received' }).waitFor({ timeout: 30_000 });
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close();
    await page.bringToFront();
    const item = tokenStatusItem(page);
    await item.waitFor({ timeout: 15_000 });
    assert.match(await item.innerText(), /\d+m/);
  }));

  it('stops on Ctrl+C with nothing it started left running and both ports free again', () => showingOutput(async () => {
    assert.ok(npmStart.running, 'npm start is still running');
    const groupId = npmStart.child.pid as number;
    const started = processesOf(groupId, stateDir);
    // The scan must see what it is about to check for, or its empty answer afterwards would prove nothing.
    assert.ok(started.some((p) => p.command.includes('code-server')), `code-server among ${JSON.stringify(started)}`);
    assert.ok(started.some((p) => p.command.includes('provider.mjs')), `the sandbox among ${JSON.stringify(started)}`);
    // What a terminal does on Ctrl+C: SIGINT to every process of the foreground job's group.
    process.kill(-groupId, 'SIGINT');
    await within(npmStart.exited, STOP_TIMEOUT_MS, 'npm start did not exit after Ctrl+C');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    let left = processesOf(groupId, stateDir);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 250));
      left = processesOf(groupId, stateDir);
    }
    assert.deepEqual(left, [], 'processes still running after Ctrl+C');
    assert.ok(await portIsFree('127.0.0.1', editorPort), `code-server's port ${editorPort} is still taken`);
    assert.ok(await portIsFree('127.0.0.2', sandboxPort), `the sandbox's port ${sandboxPort} is still taken`);
    assert.match(npmStart.output(), /Stopping the editor and the sandbox/);
    assert.doesNotMatch(npmStart.output(), /npm start failed|While stopping/);
  }));

  it('leaves the repository as it found it, apart from git-ignored files', () => showingOutput(async () => {
    assert.equal(gitStatus(repo), gitBefore);
  }));

  it('rebuilt dist/ and out/ byte for byte, so the running suite and the other e2e files\' .vsix are unaffected', () => showingOutput(async () => {
    assert.deepEqual(changedFiles(buildBefore, buildFingerprint(repo)), []);
  }));
});
