import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

// The Apps view is drawn by the startup shell (dist/extension.js, budget 80 KB), so what it imports is
// loaded at every editor start: beyond what the shell already loads (the status bar reads settings and
// tokens too), it may add only the apps modules and small text/token helpers — never the lazily loaded
// commands, the protocol, HTTP (axios) or snippets.

const ROOT = path.join(__dirname, '../../../../..');
const MAY_ADD = /^src\/(editor\/apps|core\/apps|core\/text|core\/tokens)\/|^src\/editor\/contextKeys\.ts$/;

/** Minified like dist/: one bundle of the given modules. */
async function bundle(...entries: string[]): Promise<{ inputs: string[]; bytes: number }> {
  const result = await esbuild.build({
    stdin: { contents: entries.map((entry) => `require('./${entry}');`).join('\n'), resolveDir: ROOT, loader: 'ts' },
    absWorkingDir: ROOT, bundle: true, write: false,
    // As esbuild.mjs does: the lazily loaded bundles stay run-time requires of their own files.
    plugins: [{ name: 'lazy-stays-external', setup: (build) => build.onResolve({ filter: /./ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)) }],
    platform: 'node', format: 'cjs', external: ['vscode'], minify: true, metafile: true, logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), bytes: result.outputFiles[0]?.contents.length ?? Number.POSITIVE_INFINITY };
}

describe('the Apps view in the startup bundle', function () {
  this.timeout(30_000);

  it('adds to the shell only the apps modules and small helpers, under 8 KB minified, and nothing lazy', async function () {
    const shell = await bundle('src/extension.ts');
    const view = await bundle('src/editor/apps/appsView.ts');
    const both = await bundle('src/extension.ts', 'src/editor/apps/appsView.ts');
    assert.ok(shell.inputs.includes('src/editor/status/tokenStatusBar.ts') && view.inputs.includes('src/editor/apps/appsView.ts'));
    assert.ok(!shell.inputs.includes('src/commands.ts'), 'the shell bundle leaves out the lazily loaded commands');
    const added = view.inputs.filter((input) => !shell.inputs.includes(input));
    assert.deepEqual(added.filter((input) => !MAY_ADD.test(input)), [], `added to the shell: ${added.join(', ')}`);
    assert.ok(!view.inputs.some((input) => input.includes('node_modules/axios') || input.startsWith('src/editor/commands/')));
    assert.ok(both.bytes - shell.bytes < 8 * 1024, `the view adds ${both.bytes - shell.bytes} bytes to the shell's ${shell.bytes}`);
  });
});
