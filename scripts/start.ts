// `npm start`: the extension in an editor, next to the local sandbox provider, ready to follow the flow.
// Desktop VS Code (`code` on PATH) runs it as a development extension; otherwise code-server serves
// the workbench on http://127.0.0.1:8080 (PORT overrides) with the packaged extension installed.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix, startCodeServer } from '../test/harness/codeServer';
import { repoRoot } from '../test/harness/editorPaths';
import { startSandbox } from '../test/support/sandbox';
import { installEditor } from './installEditor';

const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 4477);

function hasDesktopCode(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const repo = repoRoot();
  const stateDir = join(repo, '.vscode-test', 'start');
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const desktop = hasDesktopCode();

  // code-server rewrites 127.0.0.1 URLs opened from the editor into its port-forwarding path, which would
  // break the provider's cookies; another loopback address looks like the remote host a provider is.
  const sandbox = await startSandbox({ host: desktop ? '127.0.0.1' : '127.0.0.2', port: SANDBOX_PORT });
  const env = { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer };
  const stops: (() => Promise<void>)[] = [() => sandbox.stop()];

  if (desktop) {
    spawn('code', ['--new-window', `--extensionDevelopmentPath=${repo}`, workspace], {
      stdio: 'inherit', env: { ...process.env, ...env },
    });
    console.log('\nVS Code is opening with the extension loaded from this folder.');
  } else {
    installEditor();
    const packaged = spawnSync(join(repo, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--out', 'auth-code-flow.vsix'], { cwd: repo, stdio: 'inherit' });
    if (packaged.status !== 0) throw new Error('vsce package failed');
    installVsix(stateDir, join(repo, 'auth-code-flow.vsix'));
    const password = randomBytes(12).toString('base64url');
    const server = await startCodeServer({ stateDir, port: Number(process.env.PORT ?? 8080), env, password });
    stops.push(() => server.stop());
    console.log(`\nOpen ${server.url}/?folder=${encodeURIComponent(workspace)} in a browser on this machine.`);
    console.log(`Password: ${password} (new at every start; it keeps other local users out of the editor).`);
  }
  console.log(`Sandbox provider: ${sandbox.info.issuer} (any login and password; demo app ${sandbox.info.clients.basic.client_id}).`);
  console.log('In the editor: F1 → "Auth Code Flow: Configure App" → "Local sandbox", then "Auth Code Flow: Authorize App".');
  console.log('Press Ctrl+C to stop.');

  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  // Stay alive while the servers run.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
