// Entry of the in-host suite: loaded by the editor's test runner (code-server's smoke-test driver or
// @vscode/test-electron) inside the extension host, where `vscode` is the real API.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha = require('mocha');
import SpecWithSummary = require('../harness/summaryReporter');

export function run(): Promise<void> {
  // The extension host's console goes to the workbench, mixed with its own chatter; the runner prints
  // this file instead, so the report reads like any mocha run.
  const outputFile = process.env.TEST_OUTPUT_FILE;
  if (outputFile) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => appendFileSync(outputFile, `${format(...args)}\n`);
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: SpecWithSummary });
  for (const file of readdirSync(__dirname, { recursive: true }) as string[]) {
    if (file.endsWith('.test.js')) mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed.`)) : resolve()));
  });
}
