// The one place that builds auth-code-flow.vsix. `npm run package` and `npm start` run it as a CLI,
// `npm test` (scripts/test.mjs) imports it, so the three can never package differently again.
//   node scripts/packageExtension.mjs    builds the .vsix; exits 1 on any vsce warning or unexpected file
// A clean .vsix has no vsce warning and nothing in it but what runs and what the Marketplace shows
// (no tests, sources, source maps or node_modules).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VSIX_NAME = 'auth-code-flow.vsix';

const root = fileURLToPath(new URL('..', import.meta.url));
const vsce = join(root, 'node_modules', '.bin', 'vsce');
// The repository README is for developers and shows screenshots by relative path, which vsce refuses
// without a repository URL; the .vsix carries the user-facing one instead.
const COMMON_ARGS = ['--no-dependencies', '--readme-path', 'media/marketplace/README.md'];
// Every bundle esbuild.mjs makes must ship: the allow-list alone let a .vsix without dist/snippets.js
// through, and Insert Code Snippet failed after install.
// The icon files package.json names for its view containers and views must ship too: without
// media/apps-view.svg the Apps view's activity-bar button was an empty square.
const REQUIRED_FILES = ['dist/extension.js', 'dist/commands.js', 'dist/snippets.js', 'dist/discovery.js', 'dist/idTokens.js', 'package.json',
  ...contributedIconFiles()];
const ALLOWED_FILES = /^(dist\/(extension|commands|snippets|discovery|idTokens)\.js|package\.json|media\/marketplace\/README\.md|CHANGELOG\.md|LICENSE|media\/(icon\.png|apps-view\.svg|walkthrough\/[\w-]+\.svg)|walkthroughs\/[^/]+\.md)$/;
// npm prints this for the machine's nodedir setting whenever it runs a script; it is not vsce's.
const NPM_NOISE = /Unknown (user|env) config "nodedir"/;
// vsce waits for an answer on some warnings (a missing LICENSE, a large file); with stdin closed it
// fails instead of hanging, and the timeout bounds everything else.
const TIMEOUT_MS = 180_000;

const withoutNoise = (text) => text.split('\n').filter((line) => !NPM_NOISE.test(line)).join('\n');

function run(args) {
  const result = spawnSync(vsce, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
  const stdout = withoutNoise(result.stdout ?? '');
  const stderr = withoutNoise(`${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  return { ok: result.status === 0, status: result.status ?? result.signal ?? result.error?.message, stdout, output: `${stdout}${stderr}` };
}

/**
 * Builds the .vsix (vsce runs the `vscode:prepublish` bundle step) and checks it.
 * @returns {{ vsix: string, files: string[], output: string, problems: string[] }} `problems` is empty
 *   for a clean package; `output` is everything vsce printed.
 */
/** Files (not codicons such as `$(key)`) that contributes.viewsContainers and contributes.views use as icons. */
function contributedIconFiles() {
  const { contributes = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entries = [...Object.values(contributes.viewsContainers ?? {}), ...Object.values(contributes.views ?? {})].flat();
  return [...new Set(entries.map((entry) => entry.icon).filter((icon) => typeof icon === 'string' && !icon.startsWith('$(')))]
    .map((icon) => icon.replace(/^\.\//, ''));
}

export function packageExtension() {
  const vsix = join(root, VSIX_NAME);
  const packaged = run(['package', ...COMMON_ARGS, '--allow-missing-repository', '--out', vsix]);
  const listed = run(['ls', ...COMMON_ARGS]);
  const files = listed.ok ? listed.stdout.split('\n').filter(Boolean) : [];
  const problems = [
    ...(packaged.ok ? [] : [`vsce package failed (${packaged.status})`]),
    ...(listed.ok ? [] : [`vsce ls failed (${listed.status}): ${listed.output.trim()}`]),
    ...(/WARNING|is large|warn/i.test(packaged.output) ? ['vsce printed a warning'] : []),
    ...files.filter((file) => !ALLOWED_FILES.test(file)).map((file) => `unexpected file in the .vsix: ${file}`),
    ...(listed.ok ? REQUIRED_FILES.filter((file) => !files.includes(file)).map((file) => `missing from the .vsix: ${file}`) : []),
  ];
  return { vsix, files, output: packaged.output, problems };
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const { vsix, files, output, problems } = packageExtension();
  process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
  if (problems.length > 0) {
    process.stderr.write(`Packaging failed:\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${vsix}: ${files.length} files, no warnings\n`);
}
