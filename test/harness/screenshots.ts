// Screenshots the e2e suites take on purpose (not on failure), for the README: written to
// .vscode-test/screenshots/, from where the best are copied to media/screenshots/ by hand.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './editorPaths';

export function screenshotPath(name: string): string {
  const dir = join(repoRoot(), '.vscode-test', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
