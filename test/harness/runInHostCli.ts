// `node out/test/harness/runInHostCli.js`: runs the in-host suite in code-server and exits with its code.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshTestState, repoRoot } from './editorPaths';
import { defaultSuiteIndex, runInHostSuite } from './inHostSuite';

async function main(): Promise<number> {
  const repo = repoRoot();
  const { stateDir, workspace } = freshTestState('in-host');
  const outputFile = join(stateDir, 'mocha-output.txt');
  const run = await runInHostSuite({
    extensionPath: repo,
    suiteIndex: defaultSuiteIndex(repo),
    workspace,
    stateDir,
    env: { TEST_SUMMARY_FILE: process.env.TEST_SUMMARY_FILE ?? '', TEST_FIGURES_FILE: process.env.TEST_FIGURES_FILE ?? '', TEST_OUTPUT_FILE: outputFile },
  });
  if (existsSync(outputFile)) process.stdout.write(readFileSync(outputFile, 'utf8'));
  if (run.exitCode !== 0) {
    process.stderr.write(`The in-host suite exited with ${run.exitCode}. Workbench log (tail):\n${run.log.slice(-6000)}\n`);
  }
  return run.exitCode;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
