import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', '.vscode-test/**', 'node_modules/**', '*.vsix'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // `import x = require()` is the typed form for CommonJS modules such as mocha and its reporters.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-console': 'error',
    },
  },
  {
    // The core must stay editor-free: it is unit-tested without VS Code and reused by snippets.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core never imports vscode; put editor code under src/editor.' }] }],
    },
  },
  {
    // Developer tools print their figures and progress.
    files: ['scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
