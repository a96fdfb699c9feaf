// `npm test`: every check, in order, with one total at the end. Stages stop at the first failure of
// a prerequisite (compile, build, editor install); test suites all run so one report shows everything.
//   node scripts/test.mjs            everything (type-check, lint, unit, sandbox, in-host, e2e)
//   node scripts/test.mjs --desktop  the in-host suite in desktop VS Code via @vscode/test-electron
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageExtension } from './packageExtension.mjs';

const root = new URL('..', import.meta.url).pathname;
// TEST_RESULTS_DIR lets a test run `npm run test:desktop` (this script) without wiping the results of the
// run it is part of.
const resultsDir = process.env.TEST_RESULTS_DIR || join(root, '.vscode-test', 'results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
// Every suite appends the figures its tests count (test/harness/figures.ts); the summary prints their sums.
const figuresFile = join(resultsDir, 'figures.jsonl');
// dist/extension.js loads at every editor start; dist/commands.js on the first command; dist/snippets.js on
// the first Insert Code Snippet; dist/discovery.js on the first issuer discovery; dist/idTokens.js on the
// first ID token to verify (see esbuild.mjs). scripts/bench.ts prints the same budgets.
const BUNDLE_BUDGETS = {
  'extension.js': 80 * 1024, 'commands.js': 192 * 1024, 'snippets.js': 96 * 1024, 'discovery.js': 24 * 1024, 'idTokens.js': 64 * 1024,
};
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(name, command, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `FAILED (${result.status ?? result.signal})`} in ${seconds} s\n`);
  return ok;
}

const suites = [];
function suite(name, command, args) {
  const summaryFile = join(resultsDir, `${name}.json`);
  const ok = step(name, command, args, { TEST_SUMMARY_FILE: summaryFile, TEST_FIGURES_FILE: figuresFile });
  const counts = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
  suites.push({ name, ok, counts });
}

function prerequisite(name, command, args) {
  if (!step(name, command, args)) {
    process.stdout.write(`\n${name} failed; the tests cannot run.\ntests: 0 passed, 1 failed\n`);
    process.exit(1);
  }
}

/** `npm run package` must make a clean .vsix (scripts/packageExtension.mjs says what clean means). */
function checkPackage() {
  process.stdout.write('\n=== package: node scripts/packageExtension.mjs\n');
  const { files, output, problems } = packageExtension();
  process.stdout.write(output);
  if (problems.length > 0) {
    process.stdout.write(`=== package: FAILED\n${problems.join('\n')}\ntests: 0 passed, 1 failed\n`);
    process.exit(1);
  }
  process.stdout.write(`=== package: ok (${files.length} files)\n`);
}

const reporter = ['--reporter', join(root, 'out', 'test', 'harness', 'summaryReporter.js')];
const desktop = process.argv.includes('--desktop');

prerequisite('type-check', bin('tsc'), ['-p', '.']);
prerequisite('lint', bin('eslint'), ['.']);
prerequisite('bundle', process.execPath, ['esbuild.mjs']);
for (const [file, budget] of Object.entries(BUNDLE_BUDGETS)) {
  const size = statSync(join(root, 'dist', file)).size;
  process.stdout.write(`dist/${file}: ${size} bytes (budget ${budget})\n`);
  if (size > budget) {
    process.stdout.write(`dist/${file} is over its ${budget}-byte budget.\ntests: 0 passed, 1 failed\n`);
    process.exit(1);
  }
}

if (desktop) {
  suite('in-host (desktop)', process.execPath, [join(root, 'out', 'test', 'harness', 'runDesktop.js')]);
} else {
  suite('unit', bin('mocha'), [...reporter, 'out/test/unit/**/*.test.js']);
  suite('sandbox', bin('mocha'), [...reporter, '--timeout', '30000', 'out/test/sandbox-tests/**/*.test.js']);
  prerequisite('install editor', process.execPath, [join(root, 'out', 'scripts', 'installEditor.js')]);
  checkPackage();
  suite('in-host', process.execPath, [join(root, 'out', 'test', 'harness', 'runInHostCli.js')]);
  suite('e2e', bin('mocha'), [...reporter, '--timeout', '180000', 'out/test/e2e/**/*.test.js']);
}

/** The sums of what the tests counted, in the order each figure was first recorded. */
function printFigures() {
  if (!existsSync(figuresFile)) return;
  const sums = new Map();
  for (const line of readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean)) {
    const { id, label, amount } = JSON.parse(line);
    const entry = sums.get(id) ?? { label, amount: 0 };
    entry.amount += amount;
    sums.set(id, entry);
  }
  process.stdout.write('\n=== figures (counted by the tests)\n');
  for (const { label, amount } of sums.values()) process.stdout.write(`${String(amount).padStart(6)}  ${label}\n`);
}

let passed = 0;
let failed = 0;
process.stdout.write('\n=== summary\n');
for (const { name, ok, counts } of suites) {
  if (!counts) {
    // A suite that died before reporting counts as one failure, never as zero tests.
    failed += 1;
    process.stdout.write(`${name.padEnd(18)} no result (${ok ? 'exited 0 without a report' : 'crashed'})\n`);
    continue;
  }
  const suiteFailed = counts.failures + counts.pending + (ok || counts.failures > 0 ? 0 : 1);
  passed += counts.passes;
  failed += suiteFailed;
  const skipped = counts.pending ? ` (${counts.pending} skipped count as failed)` : '';
  process.stdout.write(`${name.padEnd(18)} ${counts.passes} passed, ${counts.failures} failed${skipped}\n`);
}
printFigures();
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && suites.length > 0 ? 0 : 1);
