import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

describe('extension in the real extension host', () => {
  it('is installed and activates without error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('does not activate on startup for everyone (no "*" activation)', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const events = (extension?.packageJSON.activationEvents ?? []) as string[];
    assert.ok(!events.includes('*'), `activationEvents: ${events.join(', ')}`);
  });

  it('registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = ((extension?.packageJSON.contributes?.commands ?? []) as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) assert.ok(registered.has(command), `${command} is contributed but not registered`);
  });

  it('gets a browser-reachable callback URI for its URI handler', async () => {
    const internal = vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}/callback`);
    const external = await vscode.env.asExternalUri(internal);
    const text = external.toString(true);
    if (external.scheme === 'http' || external.scheme === 'https') {
      // Web and remote editors (code-server): a callback page that forwards to the URI handler.
      const url = new URL(text);
      assert.equal(url.searchParams.get('vscode-authority'), EXTENSION_ID);
      assert.equal(url.searchParams.get('vscode-path'), '/callback');
      assert.ok(url.searchParams.get('vscode-reqid'), 'a one-time request id');
    } else {
      assert.equal(text, internal.toString(true));
    }
  });
});
