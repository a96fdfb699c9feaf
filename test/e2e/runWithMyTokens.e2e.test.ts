import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answerConfigureForSandbox, consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { clearActiveEditor, openWorkspaceFile, saveAndRead } from '../harness/editorText';
import { clearNotifications, pickQuickItem, runCommand, waitForNotification } from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

// Run with My Tokens as a person uses it: authorize against the sandbox, insert the Python and the
// JavaScript API-call snippets, save them, run each; the terminal shows the sandbox API's 200 body, the
// values passed are named masked, and afterwards no token is anywhere on disk (user data, workspace,
// the terminal's persisted state).

const RUN = 'Auth Code Flow: Run with My Tokens';
const INSERT = 'Auth Code Flow: Insert Code Snippet';
/** Bounded wait for a program started in the terminal to print its answer. */
const TERMINAL_OUTPUT_TIMEOUT_MS = 60_000;

/** The text of the active terminal (DOM renderer, see the settings below), rows joined as they wrap. */
async function waitForTerminalText(page: Page, expected: string, timeoutMs = TERMINAL_OUTPUT_TIMEOUT_MS): Promise<string> {
  const rows = page.locator('.terminal-wrapper.active .xterm-rows').first();
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await rows.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
    if (text.includes(expected)) return text;
    await page.waitForTimeout(500);
  }
  throw new Error(`The terminal did not show "${expected}" within ${timeoutMs / 1000} s; it shows:\n${text}`);
}

describe('Run with My Tokens, in the real workbench against the sandbox provider', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let session: EditorSession;
  let stopped = false;
  const terminalTexts: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true });
    session = await startEditorSession('run-with-my-tokens', {
      env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer },
      userSettings: {
        'workbench.startupEditor': 'none',
        // The DOM renderer, so the terminal's text can be read from the page.
        'terminal.integrated.gpuAcceleration': 'off',
      },
    });
    await waitForExtensionLog(session, /Activated authcodeflow\.auth-code-flow/, 'The extension did not activate', 90_000);
    writeFileSync(join(session.workspace, 'api_call.py'), '');
    writeFileSync(join(session.workspace, 'api_call.js'), '');
    const { page } = session;
    await runCommand(page, 'Auth Code Flow: Configure App');
    await answerConfigureForSandbox(page, 'Loopback redirect');
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser(session, sandbox, approve);
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close().catch(() => undefined);
  });

  afterEach(async function () {
    await screenshotOnFailure(this, stopped ? undefined : session);
  });

  after(async () => {
    if (!stopped) await session?.stop();
    await sandbox?.stop();
  });

  for (const [file, variant, label] of [['api_call.py', undefined, 'Python 3'], ['api_call.js', 'fetch', 'Node.js']] as const) {
    it(`runs the ${label} API-call snippet with the stored tokens: the terminal shows the API's 200 body`, async () => {
      const { page } = session;
      await clearNotifications(page);
      await openWorkspaceFile(page, file);
      await clearActiveEditor(page);
      await runCommand(page, INSERT);
      await pickQuickItem(page, 'Call the API');
      if (variant) await pickQuickItem(page, variant);
      const text = await saveAndRead(page, join(session.workspace, file), (saved) => saved.includes('OAUTH_ACCESS_TOKEN'));
      assert.ok(!text.includes(sandbox.info.clients.basic.client_secret), 'the snippet holds no secret');

      await runCommand(page, RUN);
      const passed = new RegExp(`Run with My Tokens: running ${file.replace('.', '\\.')} with ${label}\\. Passed OAUTH_ACCESS_TOKEN=\\S*…\\(\\d+ chars\\), `
        + 'OAUTH_REFRESH_TOKEN=\\S*…\\(\\d+ chars\\), OAUTH_CLIENT_SECRET=\\S*…\\(\\d+ chars\\), OAUTH_SUBSCRIPTION_KEY=\\S*…\\(\\d+ chars\\)\\.');
      await waitForNotification(page, passed);
      // The sandbox's protected resource answers with the client and the path it was called on.
      const terminal = await waitForTerminalText(page, `"client_id":"${sandbox.info.clients.basic.client_id}"`);
      assert.match(terminal, /Run with My Tokens: Passed OAUTH_ACCESS_TOKEN=/, 'the terminal says which values it got, masked');
      terminalTexts.push(terminal);
      for (const secret of [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key, ...(await sandbox.issued())]) {
        assert.ok(!terminal.includes(secret), 'no value appears in the terminal');
      }
    });
  }

  it('leaves no token, secret or key on disk once the editor has closed (user data, workspace, persisted terminals)', async () => {
    assert.equal(terminalTexts.length, 2, 'both runs happened');
    const secrets = [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key, ...(await sandbox.issued())];
    assert.ok(secrets.length >= 4, `expected the code and tokens the sandbox issued, got ${secrets.length - 2}`);
    // Closing the window is when the workbench writes its state, terminal buffers included.
    await session.stop();
    stopped = true;
    assertNoSecretsInUserData(session, secrets);
  });
});
