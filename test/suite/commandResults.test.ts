// Every contributed command, run through vscode.commands.executeCommand as any other extension (or a
// task's ${command:…}) could, while the real extension holds a token set: no result may carry a token,
// and Copy Access Token must not copy without the user's confirmation. The tokens come from a real
// Authorize App against a small provider in this process; the in-host harness clicks the editor's
// "open external website?" dialog, so the browser follows the authorization redirect to the loopback.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { configurationFromPreset, presetById } from '../../src/core/providers/presets';
import { clearApps, useSingleApp } from './appSettings';
import { FakeProvider } from './fakeProvider';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

/** Runs a command and keeps closing what it may open (quick picks, notifications) until it settles or `limitMs` passes. */
async function runAndDismiss(id: string, limitMs: number): Promise<{ settled: boolean; result?: unknown; error?: unknown }> {
  let outcome: { settled: boolean; result?: unknown; error?: unknown } = { settled: false };
  const running = Promise.resolve(vscode.commands.executeCommand(id)).then(
    (result) => { outcome = { settled: true, result }; },
    (error: unknown) => { outcome = { settled: true, error }; },
  );
  const deadline = Date.now() + limitMs;
  while (!outcome.settled && Date.now() < deadline) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 300))]);
    if (outcome.settled) break;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll');
  }
  return outcome;
}

/** Every string anywhere inside `value` (results may be objects, arrays, errors). */
function serialised(value: unknown): string {
  if (value instanceof Error) return `${value.message} ${value.stack ?? ''}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

describe('commands run by other extensions get no tokens', function () {
  this.timeout(240_000);
  const provider = new FakeProvider();
  let clipboardBefore = '';

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    clipboardBefore = await vscode.env.clipboard.readText();
    const base = await provider.start();
    await useSingleApp(configurationFromPreset(presetById('generic'), {
      clientId: 'in-host-app',
      authorizationEndpoint: `${base}/authorize`,
      tokenEndpoint: `${base}/token`,
      apiBaseUrl: `${base}/api`,
      clientAuthMethod: 'none',
      redirectMode: 'loopback',
      loopbackHost: '127.0.0.1',
      loopbackPort: 0,
    }));
  });

  after(async () => {
    await provider.stop();
    await clearApps();
    await vscode.env.clipboard.writeText(clipboardBefore);
  });

  it('resolves every contributed command to nothing that holds a token, and copies only after confirmation', async () => {
    const contributed = ((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes?.commands ?? []) as { command: string }[])
      .map((entry) => entry.command);
    const results = new Map<string, { settled: boolean; result?: unknown; error?: unknown }>();

    // A real authorization first, so the extension holds a token set.
    results.set('authCodeFlow.authorize', await runAndDismiss('authCodeFlow.authorize', 90_000));
    assert.ok(results.get('authCodeFlow.authorize')?.settled, `Authorize App did not finish; the provider saw: ${provider.seen.join(', ')}`);
    assert.ok(provider.issued.length >= 2, `the extension holds a token set (provider saw: ${provider.seen.join(', ')})`);

    const sentinel = `clipboard-${randomBytes(6).toString('hex')}`;
    await vscode.env.clipboard.writeText(sentinel);
    const later = ['authCodeFlow.copyAccessToken', 'authCodeFlow.signOut'];
    for (const id of contributed.filter((command) => command !== 'authCodeFlow.authorize' && !later.includes(command))) {
      results.set(id, await runAndDismiss(id, 20_000));
    }
    // Copy Access Token must wait for a modal nobody confirms here: it may not settle, and may not copy.
    results.set('authCodeFlow.copyAccessToken', await runAndDismiss('authCodeFlow.copyAccessToken', 5_000));
    const clipboard = await vscode.env.clipboard.readText();
    assert.equal(clipboard, sentinel, 'Copy Access Token copied without the user confirming');
    results.set('authCodeFlow.signOut', await runAndDismiss('authCodeFlow.signOut', 20_000));

    assert.ok(provider.issued.length >= 4, 'Refresh Access Token ran against the provider, so its result had tokens to leak');
    for (const id of contributed) assert.ok(results.has(id), `${id} was run`);
    const text = (outcome: { settled: boolean; result?: unknown; error?: unknown }): string =>
      serialised(outcome.settled ? outcome.result ?? outcome.error : undefined);
    for (const [id, outcome] of results) {
      for (const token of provider.issued) assert.ok(!text(outcome).includes(token), `${id} handed out a token: ${text(outcome).slice(0, 300)}`);
    }
    // Nor anything else: the registration point discards every result.
    for (const [id, outcome] of results) {
      if (outcome.settled && outcome.error === undefined) assert.equal(outcome.result, undefined, `${id} resolved to ${text(outcome).slice(0, 300)}`);
    }
  });
});
