// Bundles the extension into one minified dist/extension.js.
// Why these choices: `vscode` is provided by the host; axios is taken from its platform-neutral
// (browser) build so that neither its Node http adapter nor its proxy/form-data dependencies end up
// in the bundle — the extension always uses axios' fetch adapter, which in the extension host honours
// VS Code's proxy settings. See README "Bundle" for the measured sizes.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  alias: { axios: require.resolve('axios/dist/browser/axios.cjs') },
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
