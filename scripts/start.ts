// `npm start`: the extension in an editor, next to the local sandbox provider, ready to follow the flow.
// Which editor (AUTH_CODE_FLOW_EDITOR overrides the choice):
//  - `desktop` (the default when `code` is on the PATH): VS Code runs this folder as a development
//    extension, with the sandbox on 127.0.0.1;
//  - `code-server` (the default otherwise): code-server serves the workbench on http://127.0.0.1:8080
//    (PORT overrides) with the packaged extension installed, and the sandbox runs on 127.0.0.2.
// The sandbox listens on port 4477 (SANDBOX_PORT overrides). The editor's state (code-server's user
// data and extensions, the workspace folder) lives in .vscode-test/start (AUTH_CODE_FLOW_STATE_DIR
// overrides), which git ignores.
// Ctrl+C stops everything it started: code-server with its extension hosts, and the sandbox.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installVsix, startCodeServer } from '../test/harness/codeServer';
import { repoRoot } from '../test/harness/editorPaths';
import { startSandbox } from '../test/support/sandbox';
import { installEditor } from './installEditor';

type Editor = 'desktop' | 'code-server';

/** Ctrl+C came while something was starting: not a failure. */
class Interrupted extends Error {}

const stops: (() => Promise<void>)[] = [];
let interrupted = false;

function chooseEditor(): Editor {
  const chosen = process.env.AUTH_CODE_FLOW_EDITOR;
  if (chosen === 'desktop' || chosen === 'code-server') return chosen;
  if (chosen) throw new Error(`AUTH_CODE_FLOW_EDITOR is "${chosen}"; set it to "desktop" or "code-server", or unset it to choose by whether \`code\` is on the PATH.`);
  return spawnSync('code', ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0 ? 'desktop' : 'code-server';
}

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} is "${value}"; set it to a port number (0 picks a free one).`);
  return port;
}

/** A step killed by Ctrl+C (it reaches this whole process group) stops the start, quietly. */
function checked(result: SpawnSyncReturns<string>, what: string): void {
  if (interrupted || result.signal === 'SIGINT' || result.signal === 'SIGTERM') throw new Interrupted();
  if (result.status !== 0) {
    throw new Error(`${what} failed (${result.status ?? result.signal ?? result.error?.message}):\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim()}`);
  }
}

function stopIfInterrupted(): void {
  if (interrupted) throw new Interrupted();
}

async function start(): Promise<void> {
  const repo = repoRoot();
  const stateDir = resolve(repo, process.env.AUTH_CODE_FLOW_STATE_DIR || join('.vscode-test', 'start'));
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const editor = chooseEditor();
  const sandboxPort = portFromEnv('SANDBOX_PORT', 4477);
  const editorPort = portFromEnv('PORT', 8080);

  // code-server rewrites 127.0.0.1 URLs opened from the editor into its port-forwarding path, which would
  // break the provider's cookies; another loopback address looks like the remote host a provider is.
  const sandboxHost = editor === 'desktop' ? '127.0.0.1' : '127.0.0.2';
  const sandbox = await startSandbox({ host: sandboxHost, port: sandboxPort }).catch((error: unknown) => {
    throw new Error(`the sandbox provider could not listen on ${sandboxHost}:${sandboxPort} (set SANDBOX_PORT to another port if this one is taken).\n${error instanceof Error ? error.message : String(error)}`);
  });
  stops.push(() => sandbox.stop());
  stopIfInterrupted();
  const env = { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer };

  if (editor === 'desktop') {
    const code = spawn('code', ['--new-window', `--extensionDevelopmentPath=${repo}`, workspace], {
      stdio: 'inherit', env: { ...process.env, ...env },
    });
    await new Promise<void>((resolve, reject) => {
      code.once('spawn', () => resolve());
      code.once('error', (error) => reject(new Error(`could not run \`code\` (${error.message}). Install VS Code's \`code\` command, or set AUTH_CODE_FLOW_EDITOR=code-server.`)));
    });
    console.log('\nVS Code is opening with the extension loaded from this folder.');
  } else {
    installEditor({ browser: false });
    stopIfInterrupted();
    // The same packaging as `npm run package` and `npm test` (scripts/packageExtension.mjs).
    console.log('Packaging the extension…');
    const packaged = spawnSync(process.execPath, [join(repo, 'scripts', 'packageExtension.mjs')],
      { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    checked(packaged, 'packaging the extension (npm run package)');
    console.log('Installing it into code-server…');
    installVsix(stateDir, join(repo, 'auth-code-flow.vsix'));
    stopIfInterrupted();
    console.log('Starting code-server…');
    const password = randomBytes(12).toString('base64url');
    const server = await startCodeServer({ stateDir, port: editorPort, env, password }).catch((error: unknown) => {
      throw new Error(`code-server could not start on 127.0.0.1:${editorPort} (set PORT to another port if this one is taken).\n${error instanceof Error ? error.message : String(error)}`);
    });
    stops.push(() => server.stop());
    stopIfInterrupted();
    console.log(`\nOpen ${server.url}/?folder=${encodeURIComponent(workspace)} in a browser on this machine.`);
    console.log(`Password: ${password} (new at every start; it keeps other local users out of the editor).`);
  }
  console.log(`Sandbox provider: ${sandbox.info.issuer} (any login and password; demo app ${sandbox.info.clients.basic.client_id}).`);
  console.log('In the editor: F1 → "Auth Code Flow: Configure App" → "Local sandbox", then "Auth Code Flow: Authorize App".');
  console.log('Press Ctrl+C to stop.');
  // Stay alive while the servers run.
  setInterval(() => undefined, 1 << 30);
}

let stopping: Promise<never> | undefined;
/** Stops what was started, newest first, then exits. Safe to call more than once. */
function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`While stopping: ${String(error)}`));
    process.exit(code);
  })();
  return stopping;
}

const starting = start();

function onSignal(): void {
  if (interrupted) return;
  interrupted = true;
  console.log('\nStopping the editor and the sandbox…');
  // Something half-started (code-server waiting to listen) can only be stopped once it is up: wait for
  // the start to finish or give up (each step is bounded), then stop everything.
  void starting.catch(() => undefined).then(() => stopAll(0));
}
// Ctrl+C (SIGINT to the terminal's process group), `kill` and a closed terminal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

starting.catch(async (error: unknown) => {
  // A child killed by Ctrl+C can surface here before the signal handler has run: let it run first.
  await new Promise((done) => setTimeout(done, 100));
  if (!interrupted && !(error instanceof Interrupted)) {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
  await stopAll(0);
});
