// The leak check the e2e suites end with: no secret value anywhere the editor or the extension could have
// put one: settings, logs, global state (the state databases and globalStorage), the session's workspace
// files (where Insert Code Snippet writes) and the text of snippets a suite read out of an editor.
// It counts what it searched and what it found (issue 10's "secrets found after a full flow: 0") and
// records both before it asserts, so a failing run still prints the count.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { EditorSession } from './editorSession';
import { recordFigure } from './figures';

export type LeakPlace = 'settings' | 'logs' | 'global state' | 'other user data' | 'workspace files' | 'snippets';

export interface LeakFinding {
  place: LeakPlace;
  /** The file, or "snippet N" for a snippet text. */
  where: string;
  /** The first four characters of the value, enough to tell which one without printing it. */
  prefix: string;
}

export interface LeakReport {
  /** How many places of each kind were searched; each must be at least one for the check to mean anything. */
  searched: Record<LeakPlace, number>;
  findings: LeakFinding[];
}

export interface LeakCheckOptions {
  /** Texts of inserted snippets the suite read from an editor (an untitled one never reaches the disk). */
  snippets?: readonly string[];
}

/** Where a file under the user-data folder belongs, for the report. */
function placeOf(file: string): LeakPlace {
  if (file.endsWith('.log')) return 'logs';
  if (/\.vscdb(-journal|-wal)?$/.test(file) || file.includes(`${sep}globalStorage${sep}`) || file.includes(`${sep}workspaceStorage${sep}`)) {
    return 'global state';
  }
  if (/settings\.json$/.test(file)) return 'settings';
  return 'other user data';
}

/** Every file under `dir` except git metadata (the test workspaces live inside this repository). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (entry.split(sep).includes('.git')) continue;
    const path = join(dir, entry);
    try {
      if (statSync(path).isFile()) files.push(path);
    } catch { /* removed while listing */ }
  }
  return files;
}

export function findSecrets(session: EditorSession, secrets: readonly string[], options: LeakCheckOptions = {}): LeakReport {
  const searched: Record<LeakPlace, number> = {
    settings: 0, logs: 0, 'global state': 0, 'other user data': 0, 'workspace files': 0, snippets: 0,
  };
  const findings: LeakFinding[] = [];
  const search = (place: LeakPlace, where: string, content: string): void => {
    searched[place] += 1;
    for (const secret of secrets) {
      if (content.includes(secret)) findings.push({ place, where, prefix: secret.slice(0, 4) });
    }
  };
  // latin1 keeps every byte, so a value inside a binary state database is found too.
  for (const file of session.userDataFiles()) search(placeOf(file), file, readFileSync(file).toString('latin1'));
  for (const file of filesUnder(session.workspace)) search('workspace files', file, readFileSync(file).toString('latin1'));
  (options.snippets ?? []).forEach((text, index) => search('snippets', `snippet ${index + 1}`, text));
  return { searched, findings };
}

/**
 * Searches every place for every value, records the figures, then asserts that nothing was found and
 * that the places that must exist after a full flow (settings, logs, state databases) were searched.
 */
export function assertNoSecretsInUserData(session: EditorSession, secrets: readonly string[], options: LeakCheckOptions = {}): LeakReport {
  assert.ok(secrets.every((secret) => secret.length >= 8), 'every value searched for is long enough not to match by chance');
  const report = findSecrets(session, secrets, options);
  recordFigure('leak-values-searched', 'secret, code and token values searched for by the leak checks', secrets.length);
  recordFigure('leak-places-searched', 'files and snippets the leak checks searched',
    Object.values(report.searched).reduce((sum, count) => sum + count, 0));
  recordFigure('leaks-found', 'secrets, codes and tokens found after a full flow in settings, logs, global state, workspace files and snippets',
    report.findings.length);
  process.stdout.write(`      leak check: ${secrets.length} values in ${Object.entries(report.searched).map(([place, count]) => `${place} ${count}`).join(', ')}: `
    + `${report.findings.length} found\n`);
  assert.ok(report.searched.logs > 0, 'the editor wrote logs');
  assert.ok(report.searched.settings > 0, 'the settings file was searched');
  assert.ok(report.searched['global state'] > 0, 'a state database was searched');
  assert.deepEqual(report.findings, [], `secret values found: ${report.findings.map((found) => `${found.place}: ${found.where} (${found.prefix}…)`).join('; ')}`);
  return report;
}
