// Runs code-server (the VS Code workbench with a Node extension host) for tests and `npm start`:
// isolated in its own folders, bound to loopback, in its own process group so that stopping it also
// ends the extension hosts it spawned (they otherwise wait for hours for a reconnect).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerPaths, type CodeServerPaths } from './editorPaths';

export function locateCodeServer(): CodeServerPaths {
  const paths = codeServerPaths();
  if (!existsSync(paths.marker) || !existsSync(paths.entry) || !existsSync(paths.node)) {
    throw new Error(
      `code-server is not installed at ${paths.dir}. Run \`npm run install-editor\` (it caches code-server and its Node 24 outside git), then run the tests again.`);
  }
  return paths;
}

export interface CodeServerOptions {
  /** Folder for everything this instance writes: user data, extensions, config, XDG dirs. */
  stateDir: string;
  /** Extra command-line arguments (e.g. `--vscode-option`). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Address to listen on instead of 127.0.0.1 (the remote-browser suite's end of its veth pair). */
  host?: string;
  /**
   * A password for the workbench. Tests run without one (each instance is short-lived and private to
   * the test); `npm start` sets one, because any local user could otherwise open the editor and its
   * terminal.
   */
  password?: string;
}

export interface RunningCodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  xdgConfig: string;
  xdgData: string;
}

export function codeServerDirs(stateDir: string): CodeServerDirs {
  const dirs = {
    userDataDir: join(stateDir, 'user-data'),
    extensionsDir: join(stateDir, 'extensions'),
    configFile: join(stateDir, 'config.yaml'),
    xdgConfig: join(stateDir, 'xdg-config'),
    xdgData: join(stateDir, 'xdg-data'),
  };
  for (const dir of [dirs.userDataDir, dirs.extensionsDir, dirs.xdgConfig, dirs.xdgData]) mkdirSync(dir, { recursive: true });
  if (!existsSync(dirs.configFile)) writeFileSync(dirs.configFile, 'auth: none\ncert: false\n');
  return dirs;
}

function isolatedEnv(dirs: CodeServerDirs, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, ...extra };
}

/** Installs a packaged extension the way users do, into this instance's extensions folder. */
/** `force`: install over another build of the same version (the upgrade suite). */
export function installVsix(stateDir: string, vsixPath: string, options: { force?: boolean } = {}): void {
  const paths = locateCodeServer();
  const dirs = codeServerDirs(stateDir);
  const result = spawnSync(paths.node, [paths.entry,
    '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--config', dirs.configFile,
    '--install-extension', vsixPath, ...(options.force ? ['--force'] : [])], { env: isolatedEnv(dirs), encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const paths = locateCodeServer();
  const dirs = codeServerDirs(options.stateDir);
  const args = [paths.entry,
    '--bind-addr', `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`,
    '--auth', options.password ? 'password' : 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--config', dirs.configFile,
    ...(options.args ?? [])];
  const env = isolatedEnv(dirs, { ...options.env, ...(options.password ? { PASSWORD: options.password } : {}) });
  const child = spawn(paths.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('code-server did not start listening within 60 s')), 60_000);
    const onData = (): void => {
      const match = /HTTP server listening on https?:\/\/[\d.]+:(\d+)/.exec(output);
      if (match) { cleanup(); resolve(Number(match[1])); }
    };
    const onExit = (code: number | null): void => fail(new Error(`code-server exited (${code}) before listening`));
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(error: Error): void {
      cleanup();
      killGroup(child);
      reject(new Error(`${error.message}. Its output:\n${output.slice(-4000)}`));
    }
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    output: () => output,
    stop: () => stopGroup(child),
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) { killGroup(child, 'SIGKILL'); return; }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Extension hosts are in the same group; make sure none outlives the server.
  killGroup(child, 'SIGKILL');
}
