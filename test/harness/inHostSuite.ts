// Runs the in-host mocha suite (test/suite, full `vscode` API) inside code-server's extension host —
// the same suite @vscode/test-electron runs in desktop VS Code. code-server's smoke-test driver reports
// the suite's exit code to the page through `codeAutomationExit`.
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';

export interface InHostRun {
  exitCode: number;
  /** What the workbench logged (its own chatter included): for diagnosing a failed run. */
  log: string;
}

export interface InHostOptions {
  extensionPath: string;
  /** Compiled suite entry (exports `run()`). */
  suiteIndex: string;
  workspace: string;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function runInHostSuite(options: InHostOptions): Promise<InHostRun> {
  const server = await startCodeServer({
    stateDir: options.stateDir,
    args: ['--vscode-option', 'enable-smoke-test-driver'],
    env: options.env,
  });
  const browser = await launchChromium();
  let log = '';
  try {
    const context = await browser.newContext();
    // Copy Access Token's test reads the clipboard the extension would write to.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      log += `${format(...(Array.isArray(args) ? args : [args]))}\n`;
    });
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(options.extensionPath)],
      ['extensionTestsPath', remote(options.suiteIndex)],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeoutMs = options.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log += `The in-host suite did not finish within ${timeoutMs / 1000} s.\n`;
        resolve(124);
      }, timeoutMs);
    });
    // A test that runs Authorize App needs the browser to open the authorization URL: confirm the editor's
    // "open the external website?" dialog as a user would (and no other dialog: only its button reads "Open").
    const confirmer = setInterval(() => {
      void page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ }).first().click({ timeout: 250 }).catch(() => undefined);
    }, 1000);
    const exitCode = await Promise.race([exit, timedOut]);
    clearInterval(confirmer);
    clearTimeout(timer);
    if (exitCode !== 0) log += `\ncode-server output (tail):\n${server.output().slice(-3000)}\n`;
    return { exitCode, log };
  } finally {
    await browser.close();
    await server.stop();
  }
}

export function defaultSuiteIndex(repo: string): string {
  return join(repo, 'out', 'test', 'suite', 'index.js');
}
