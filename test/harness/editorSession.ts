// One end-to-end session: the packaged extension installed into a fresh code-server, a fresh browser
// context on the workbench. Each e2e file starts one in `before` and stops it in `after`.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { installVsix, startCodeServer, type RunningCodeServer } from './codeServer';
import { freshTestState, repoRoot } from './editorPaths';
import { openWorkbench } from './workbench';

export const VSIX_NAME = 'auth-code-flow.vsix';

/**
 * - The test workspaces live inside this repository: without the git setting the Git extension asks
 *   about the parent repository in a notification on every start.
 * - The chat view opens in the secondary side bar with its input focused, bottom right; VS Code then
 *   holds back notification toasts there so they do not cover what is being typed.
 */
const QUIET_WORKBENCH = {
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  // The extension opens its walkthrough once on install; suites that test that turn it back on.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export interface EditorSession {
  server: RunningCodeServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  workspace: string;
  stateDir: string;
  /** Every file the editor wrote under its user-data folder, for leak checks and log reading. */
  userDataFiles(): string[];
  /** The extension's own output channel log, as written to disk by the editor. */
  extensionLog(): string;
  stop(): Promise<void>;
}

export function packagedExtension(): string {
  const vsix = join(repoRoot(), VSIX_NAME);
  if (!existsSync(vsix)) {
    throw new Error(`${VSIX_NAME} not found at the repository root: run \`npm run package\` first (npm test does).`);
  }
  return vsix;
}

export interface EditorSessionOptions {
  env?: NodeJS.ProcessEnv;
  /** User settings written before the editor starts, as a person would have them in settings.json. */
  userSettings?: Record<string, unknown>;
  /** Another build of the extension to install instead of the repository's (the upgrade suite's old release). */
  vsix?: string;
  /** Where code-server listens instead of 127.0.0.1, and how the browser starts (the remote-browser suite). */
  codeServerHost?: string;
  launchBrowser?: () => Promise<Browser>;
  /** More extensions to install beside it (a consumer test extension from test/fixtures). */
  extraVsix?: readonly string[];
}

export async function startEditorSession(name: string, options: EditorSessionOptions = {}): Promise<EditorSession> {
  const { stateDir, workspace } = freshTestState('e2e', name);
  installVsix(stateDir, options.vsix ?? packagedExtension());
  for (const extra of options.extraVsix ?? []) installVsix(stateDir, extra);
  const userDir = join(stateDir, 'user-data', 'User');
  mkdirSync(userDir, { recursive: true });
  const settings = { ...QUIET_WORKBENCH, ...options.userSettings };
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server's extension host reads machine-scoped settings (such as walkthroughs.openOnInstall) from
  // the server's machine settings, as VS Code does for remote hosts.
  const machineDir = join(stateDir, 'user-data', 'Machine');
  mkdirSync(machineDir, { recursive: true });
  writeFileSync(join(machineDir, 'settings.json'), JSON.stringify(settings, null, 2));
  const server = await startCodeServer({ stateDir, env: options.env, ...(options.codeServerHost ? { host: options.codeServerHost } : {}) });
  let browser: Browser | undefined;
  try {
    browser = await (options.launchBrowser ?? launchChromium)();
    const { context, page } = await openWorkbench(browser, server.url, workspace);
    const activeBrowser = browser;
    return {
      server, browser: activeBrowser, context, page, workspace, stateDir,
      userDataFiles: () => listFiles(server.userDataDir),
      extensionLog: () => listFiles(server.userDataDir)
        .filter((file) => file.includes('authcodeflow.auth-code-flow') && file.endsWith('.log'))
        .map((file) => readFileSync(file, 'utf8')).join('\n'),
      stop: async () => {
        await activeBrowser.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    try {
      if (statSync(path).isFile()) files.push(path);
    } catch { /* removed while listing (sockets, locks) */ }
  }
  return files;
}

/** For `afterEach`: a screenshot of the workbench when a test failed, next to the session's state. */
export async function screenshotOnFailure(test: Mocha.Context, session: EditorSession | undefined): Promise<void> {
  const current = test.currentTest;
  if (!session || !current || current.state !== 'failed') return;
  const file = join(session.stateDir, `failed-${current.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
  await session.page.screenshot({ path: file }).catch(() => undefined);
  process.stdout.write(`      screenshot: ${file}\n`);
}

/**
 * Waits (bounded) until the extension's log satisfies `done` and returns the log. The editor writes
 * its log to disk with a delay, so a line logged a moment ago may not be readable yet.
 */
export async function waitForExtensionLog(session: EditorSession, done: RegExp | ((log: string) => boolean), what: string, timeoutMs = 15_000): Promise<string> {
  const satisfied = typeof done === 'function' ? done : (log: string) => done.test(log);
  const deadline = Date.now() + timeoutMs;
  let log = session.extensionLog();
  while (!satisfied(log)) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s; the extension log:\n${log}`);
    await session.page.waitForTimeout(250);
    log = session.extensionLog();
  }
  return log;
}
