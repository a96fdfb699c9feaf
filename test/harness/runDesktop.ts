// `npm run test:desktop`: the same in-host suite in desktop VS Code through @vscode/test-electron.
// It downloads VS Code unless VSCODE_EXECUTABLE names an installed one (machines without internet
// must set it; CI uses code-server instead, see runInHostCli).
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { freshTestState, repoRoot } from './editorPaths';
import { defaultSuiteIndex } from './inHostSuite';

async function main(): Promise<void> {
  const repo = repoRoot();
  const { stateDir, workspace } = freshTestState('desktop');
  await runTests({
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
    extensionDevelopmentPath: repo,
    extensionTestsPath: defaultSuiteIndex(repo),
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(stateDir, 'user-data')],
    extensionTestsEnv: { TEST_SUMMARY_FILE: process.env.TEST_SUMMARY_FILE ?? '' },
  });
}

main().catch((error: unknown) => {
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`The desktop in-host suite failed: ${detail}\n`
    + (process.env.VSCODE_EXECUTABLE ? '' : 'If VS Code could not be downloaded, set VSCODE_EXECUTABLE to an installed VS Code binary.\n'));
  process.exit(1);
});
