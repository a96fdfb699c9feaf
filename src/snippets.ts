// The snippet generators (dist/snippets.js), loaded by Insert Code Snippet on its first use. They are the
// largest part of what the commands do and no other command needs them, so the other commands do not
// pay for loading them (see esbuild.mjs).
export { SNIPPET_LANGUAGES, snippetLanguageFor } from './core/snippets/languages';
export { snippetContextFor } from './core/snippets/snippetContext';
export { snippetReadiness } from './core/snippets/snippetReadiness';
