import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

describe('the protocol core', () => {
  it('never imports vscode, so it runs (and is tested) in plain Node', () => {
    const coreDirectory = path.join(repositoryRoot(), 'src', 'core');
    const files = typeScriptFiles(coreDirectory);
    assert.ok(files.length > 5, `found ${files.length} files under ${coreDirectory}`);
    const offenders = files.filter((file) =>
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('imports axios in one place only, and only lazily', () => {
    const coreDirectory = path.join(repositoryRoot(), 'src', 'core');
    const importers = typeScriptFiles(coreDirectory).filter((file) => /['"]axios['"]/.test(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(importers.map((file) => path.relative(coreDirectory, file).split(path.sep).join('/')), ['http/httpClient.ts']);
    const source = fs.readFileSync(path.join(coreDirectory, 'http', 'httpClient.ts'), 'utf8');
    assert.doesNotMatch(source, /^import\s+(?!type\b)[^;]*['"]axios['"]/m, 'only type imports of axios at the top level');
  });
});
