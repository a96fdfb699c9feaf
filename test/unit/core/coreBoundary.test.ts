import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The repository root: the nearest ancestor of this compiled file that has src/core. */
function repositoryRoot(): string {
  for (let directory = __dirname; directory !== path.dirname(directory); directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, 'src', 'core')) && fs.existsSync(path.join(directory, 'package.json'))) {
      return directory;
    }
  }
  throw new Error(`No src/core above ${__dirname}`);
}

function typeScriptFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? typeScriptFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface ModuleReference {
  module: string;
  /** `import x from` / `export … from` at the top level, as opposed to `import()` or `require()`. */
  static: boolean;
  typeOnly: boolean;
}

/**
 * The modules a file really loads, found by parsing it: snippet generators contain import statements
 * of *other* programs inside string literals, which a text search would mistake for imports.
 */
function moduleReferences(file: string): ModuleReference[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: ModuleReference[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      found.push({ module: node.moduleSpecifier.text, static: true, typeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push({ module: node.arguments[0].text, static: false, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the protocol core', function () {
  // Every test parses each core file; under a loaded CI machine that takes more than mocha's 2 s.
  this.timeout(30_000);

  it('never imports vscode, so it runs (and is tested) in plain Node', () => {
    const coreDirectory = path.join(repositoryRoot(), 'src', 'core');
    const files = typeScriptFiles(coreDirectory);
    assert.ok(files.length > 5, `found ${files.length} files under ${coreDirectory}`);
    const offenders = files.filter((file) => moduleReferences(file).some((reference) => reference.module === 'vscode'));
    assert.deepEqual(offenders, []);
  });

  it('imports axios in one place only, and only lazily', () => {
    const coreDirectory = path.join(repositoryRoot(), 'src', 'core');
    const importers = typeScriptFiles(coreDirectory).filter((file) => moduleReferences(file).some((reference) => reference.module === 'axios'));
    assert.deepEqual(importers.map((file) => path.relative(coreDirectory, file).split(path.sep).join('/')), ['http/httpClient.ts']);
    const eager = moduleReferences(path.join(coreDirectory, 'http', 'httpClient.ts'))
      .filter((reference) => reference.module === 'axios' && reference.static && !reference.typeOnly);
    assert.deepEqual(eager, [], 'only type imports of axios at the top level; the library itself is loaded with import()');
  });

  it('keeps jose and the ID-token check out of commands.js: only dist/idTokens.js reaches them, loaded with import()', function () {
    // Parses every source file: seconds on a busy machine.
    this.timeout(30_000);
    const root = repositoryRoot();
    const sourceDirectory = path.join(root, 'src');
    const relative = (file: string): string => path.relative(sourceDirectory, file).split(path.sep).join('/');
    const files = typeScriptFiles(sourceDirectory);
    const joseImporters = files.filter((file) => moduleReferences(file).some((reference) => reference.module === 'jose' && !reference.typeOnly));
    assert.deepEqual(joseImporters.map(relative), ['core/tokens/idTokenValidation.ts']);
    const validationImporters = files.filter((file) => moduleReferences(file)
      .some((reference) => reference.module.endsWith('/idTokenValidation') && !reference.typeOnly));
    assert.deepEqual(validationImporters.map(relative), ['idTokens.ts']);
    const bundleImporters = files.flatMap((file) => moduleReferences(file)
      .filter((reference) => /(^|\/)idTokens$/.test(reference.module)).map((reference) => ({ file: relative(file), static: reference.static })));
    assert.deepEqual(bundleImporters, [{ file: 'editor/idTokenVerifier.ts', static: false }]);
  });

  it('has no import circle between its files, type imports included', () => {
    const coreDirectory = path.join(repositoryRoot(), 'src', 'core');
    const edges = new Map<string, string[]>();
    for (const file of typeScriptFiles(coreDirectory)) {
      edges.set(file, moduleReferences(file).filter((reference) => reference.module.startsWith('.'))
        .map((reference) => `${path.resolve(path.dirname(file), reference.module)}.ts`));
    }
    const relative = (file: string): string => path.relative(coreDirectory, file).split(path.sep).join('/');
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, trail: string[]): void => {
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail.slice(trail.indexOf(next)), next].map(relative).join(' -> '));
        else if (!state.has(next) && edges.has(next)) walk(next, [...trail, next]);
      }
      state.set(file, 'done');
    };
    for (const file of edges.keys()) if (!state.has(file)) walk(file, [file]);
    assert.deepEqual(circles, []);
  });
});
