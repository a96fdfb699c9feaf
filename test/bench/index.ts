// Loaded by the editor in place of the in-host test suite (see scripts/bench.ts): measures, inside the
// real extension host, how long the extension takes to load and activate, and how long its first use
// of the HTTP stack costs — the cost activation deliberately does not pay.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';
/**
 * Two empty extensions installed beside ours (scripts/bench.ts): the first absorbs the one-time costs
 * of the first activation in a fresh host (storage, logging), the second shows what the host's
 * activation machinery alone costs.
 */
const WARM_UP_EXTENSION_ID = 'authcodeflow-bench.empty1';
const BASELINE_EXTENSION_ID = 'authcodeflow-bench.empty2';

async function timeActivation(id: string): Promise<number> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`${id} is not loaded`);
  if (extension.isActive) throw new Error(`${id} was already active: something activates it at startup.`);
  const started = performance.now();
  await extension.activate();
  return performance.now() - started;
}

export async function run(): Promise<void> {
  await timeActivation(WARM_UP_EXTENSION_ID);
  const baselineMs = await timeActivation(BASELINE_EXTENSION_ID);
  const activationMs = await timeActivation(EXTENSION_ID);
  const resultFile = process.env.BENCH_RESULT_FILE;
  if (!resultFile) throw new Error('BENCH_RESULT_FILE is not set');
  writeFileSync(resultFile, JSON.stringify({ activationMs, baselineMs }));
}
