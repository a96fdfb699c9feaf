// The leak check the e2e suites end with: no secret value in any file the editor wrote under its
// user-data folder (settings, state databases, logs, the output channel's file).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EditorSession } from './editorSession';

export function assertNoSecretsInUserData(session: EditorSession, secrets: readonly string[]): void {
  const files = session.userDataFiles();
  assert.ok(files.some((file) => file.endsWith('.log')), 'the editor wrote logs');
  for (const file of files) {
    // latin1 keeps every byte, so a value inside a binary state database is found too.
    const content = readFileSync(file).toString('latin1');
    for (const secret of secrets) {
      assert.ok(!content.includes(secret), `${file} contains a secret value (${secret.slice(0, 4)}…)`);
    }
  }
}
