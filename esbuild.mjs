// Bundles the extension into five minified files (`npm run bench` prints them):
//  - dist/extension.js (budget 80 KB): what activation needs — command registration, the status bar, the
//    Apps view (settings and one token read per shown app), the one-time single-app migration,
//    context keys, one secret read. Every editor start pays for loading it, so it stays small.
//  - dist/commands.js (budget 192 KB): what the commands do — the protocol, axios, the views.
//    extension.js requires it on the first command, URI callback or refresh, never at startup.
//  - dist/snippets.js: the snippet generators for ten languages, the largest single part; commands.js
//    requires it when Insert Code Snippet first runs, so no other command pays for loading it.
//  - dist/discovery.js: reading a provider's metadata from its issuer URL; Configure App requires it
//    when the user gives one.
//  - dist/idTokens.js: the ID-token verifier with `jose` (JWS, JWK Sets); commands.js requires it only when
//    a token response carries an ID token to verify against a configured issuer (OpenID Connect).
// The two share no state: commands.js receives the shell's objects (log, secret store, status updates)
// through the CommandShell interface (src/editor/commandShell.ts).
//
// axios is bundled from its platform-neutral sources (lib/, browser platform) with only what the
// extension uses: its fetch adapter, which in the extension host honours VS Code's proxy settings.
// Modules that cannot run on that path are replaced by axios' own empty module, as its package.json
// `browser` field already does for the Node http adapter:
//  - adapters/http.js, platform/node/*: Node-only adapter and platform (what the `browser` field swaps);
//  - adapters/xhr.js, helpers/cookies.js, helpers/isURLSameOrigin.js: XMLHttpRequest and document
//    cookies, which an extension host does not have (the fetch adapter only reads them in a browser);
//  - cancel/CancelToken.js, helpers/HttpStatusCode.js: exported conveniences the code never touches
//    (cancellation uses AbortSignal);
//  - helpers/toFormData.js, helpers/formDataToJSON.js: only reached for object/FormData payloads or
//    `params`, and every request here sends a prebuilt URL and a string body (src/core/http).
// The e2e and in-host suites exercise this bundle's HTTP path against the sandbox provider, so a future
// axios that needs one of these on the fetch path fails the tests, not users. axios is pinned exactly.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

const axiosRoot = dirname(require.resolve('axios/package.json'));
const axiosLib = join(axiosRoot, 'lib');
const EMPTY = 'helpers/null.js';
const AXIOS_REPLACEMENTS = {
  'adapters/http.js': EMPTY,
  'platform/node/index.js': 'platform/browser/index.js',
  'platform/node/classes/FormData.js': EMPTY,
  'adapters/xhr.js': EMPTY,
  'helpers/cookies.js': EMPTY,
  'helpers/isURLSameOrigin.js': EMPTY,
  'cancel/CancelToken.js': EMPTY,
  'helpers/HttpStatusCode.js': EMPTY,
  'helpers/toFormData.js': EMPTY,
  'helpers/formDataToJSON.js': EMPTY,
};

/** @type {import('esbuild').Plugin} */
const axiosFetchOnly = {
  name: 'axios-fetch-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      if (!target.startsWith(axiosLib + sep)) return undefined;
      const replacement = AXIOS_REPLACEMENTS[relative(axiosLib, target).split(sep).join('/')];
      return replacement ? { path: join(axiosLib, replacement) } : undefined;
    });
  },
};

/**
 * The lazily loaded bundles, by source module: an import of one of them from another entry stays a
 * run-time require of the sibling file in dist/; bundling it in would defeat the split.
 */
const LAZY_BUNDLES = {
  [join(import.meta.dirname, 'src', 'commands')]: './commands.js',
  [join(import.meta.dirname, 'src', 'snippets')]: './snippets.js',
  [join(import.meta.dirname, 'src', 'discovery')]: './discovery.js',
  [join(import.meta.dirname, 'src', 'idTokens')]: './idTokens.js',
};

/** @type {import('esbuild').Plugin} */
const lazyBundlesStayExternal = {
  name: 'lazy-bundles-stay-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const bundle = LAZY_BUNDLES[join(args.resolveDir, args.path)];
      return bundle === undefined || args.kind !== 'dynamic-import' ? undefined : { path: bundle, external: true };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts', 'src/commands.ts', 'src/snippets.ts', 'src/discovery.ts', 'src/idTokens.ts'],
  bundle: true,
  outdir: 'dist',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  alias: { axios: join(axiosRoot, 'index.js') },
  plugins: [axiosFetchOnly, lazyBundlesStayExternal],
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
