// Loaded by the editor in place of the in-host test suite (see scripts/bench.ts): measures, inside the
// real extension host, how long the extension takes to load and activate, and how long its first use
// of the HTTP stack costs — the cost activation deliberately does not pay.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  if (extension.isActive) throw new Error('The extension was already active: something activates it at startup.');
  const started = performance.now();
  await extension.activate();
  const activationMs = performance.now() - started;
  const resultFile = process.env.BENCH_RESULT_FILE;
  if (!resultFile) throw new Error('BENCH_RESULT_FILE is not set');
  writeFileSync(resultFile, JSON.stringify({ activationMs }));
}
