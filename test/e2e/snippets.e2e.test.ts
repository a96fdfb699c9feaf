import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import { pythonLanguage } from '../../src/core/snippets/languages/python';
import { typescriptLanguage } from '../../src/core/snippets/languages/typescript';
import { snippetContextFor } from '../../src/core/snippets/snippetContext';
import type { SnippetContext } from '../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../src/core/snippets/snippetText';
import { answerConfigureForSandbox, consentInBrowser, E2E_APP_NAME } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { clearActiveEditor, openWorkspaceFile, runEditorContextMenu, saveAndRead, waitForEditorText } from '../harness/editorText';
import { answerInputBox, clickNotificationButton, pickQuickItem, runCommand, waitForNotification } from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

// Insert Code Snippet as a person uses it: from the palette and the editor's context menu, in a Python
// and a TypeScript file of the workspace and with no editor open, before and after Configure App. What
// lands in the file is compared with the generator's output for the configured app (the sandbox suites
// execute those programs), read back from disk after Ctrl+S.

const INSERT = 'Auth Code Flow: Insert Code Snippet';

describe('Insert Code Snippet, in the real workbench', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let session: EditorSession;
  let pythonFile: string;
  let typescriptFile: string;
  /** What the editor generates snippets from once Configure App has saved the sandbox's demo app. */
  let configured: SnippetContext;

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2' });
    session = await startEditorSession('snippets', {
      env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer },
      userSettings: { 'workbench.startupEditor': 'none' },
    });
    // Activated (onStartupFinished), so the palette offers the extension's commands.
    await waitForExtensionLog(session, /Activated authcodeflow\.auth-code-flow/, 'The extension did not activate', 30_000);
    pythonFile = join(session.workspace, 'app.py');
    typescriptFile = join(session.workspace, 'app.ts');
    writeFileSync(pythonFile, '');
    writeFileSync(typescriptFile, '');
    const config = configurationFromPreset(presetById('sandbox'), {
      ...sandboxOverrides(sandbox.info), clientId: sandbox.info.clients.basic.client_id, redirectMode: 'loopback', loopbackPort: 0,
    });
    // The snippets name the app they were made for: the one the journey configures below.
    configured = snippetContextFor(config, '/callback', undefined, E2E_APP_NAME);
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  it('before Configure App: inserts with placeholder values, and the warning\'s button configures the app', async () => {
    const { page } = session;
    await openWorkspaceFile(page, 'app.py');
    await runCommand(page, INSERT);
    // The file is Python: no language question, the kind is the only one.
    await pickQuickItem(page, 'Exchange the code for tokens');
    const warning = await waitForNotification(page, 'The app is not configured, so the snippet has placeholder values');
    const text = await saveAndRead(page, pythonFile, (saved) => saved.includes('CLIENT_ID ='));
    assert.match(text, /^CLIENT_ID = 'YOUR_APPLICATION_ID'$/m);
    assert.match(text, /^TOKEN_ENDPOINT = 'https:\/\/oauth2\.sky\.blackbaud\.com\/token'$/m, 'the default provider is SKY API');

    // The notification may be in the center opened from the status bar, under that button's tooltip.
    await page.mouse.move(700, 300);
    await page.locator('.monaco-hover').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await clickNotificationButton(warning, 'Configure App');
    await answerConfigureForSandbox(page, 'Loopback redirect');
  });

  it('in a Python file: one pick inserts the token exchange for the configured app, reading secrets from the environment', async () => {
    const { page } = session;
    await openWorkspaceFile(page, 'app.py');
    await clearActiveEditor(page);
    await runCommand(page, INSERT);
    await pickQuickItem(page, 'Exchange the code for tokens');
    const expected = toPlainText(pythonLanguage.generate('tokenExchange', configured));
    const text = await saveAndRead(page, pythonFile, (saved) => saved === expected);
    assert.ok(text.includes(`CLIENT_ID = '${sandbox.info.clients.basic.client_id}'`));
    assert.ok(text.includes("env('OAUTH_CLIENT_SECRET')"));
    assert.ok(!text.includes(sandbox.info.clients.basic.client_secret), 'the stored secret never reaches the snippet');
  });

  it('in a TypeScript file: the complete minimal flow with the chosen HTTP client, whose tab stops walk the settings', async () => {
    const { page } = session;
    await openWorkspaceFile(page, 'app.ts');
    await runCommand(page, INSERT);
    await pickQuickItem(page, 'Complete minimal flow');
    await pickQuickItem(page, 'axios');
    await waitForEditorText(page, 'Runs the whole flow');
    // The first tab stop (the authorization endpoint) is selected; Tab moves to the second, the client ID.
    await page.keyboard.press('Tab');
    await page.keyboard.type('edited-client-id');
    await page.keyboard.press('Escape');
    const generated = toPlainText(typescriptLanguage.generate('completeFlow', configured, 'axios'));
    const expected = generated.replace(`const clientId = '${configured.config.clientId}';`, "const clientId = 'edited-client-id';");
    assert.notEqual(expected, generated, 'the client ID is declared once, as the second setting');
    const text = await saveAndRead(page, typescriptFile, (saved) => saved === expected);
    assert.match(text, /^import axios from 'axios';$/m);
    for (const secret of [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key]) assert.ok(!text.includes(secret));
  });

  it('from the editor context menu: inserts the API call at the cursor', async () => {
    const { page } = session;
    await openWorkspaceFile(page, 'app.py');
    await clearActiveEditor(page);
    await runEditorContextMenu(page, /Insert Code Snippet/);
    await pickQuickItem(page, 'Call the API');
    const expected = toPlainText(pythonLanguage.generate('apiCall', configured));
    const text = await saveAndRead(page, pythonFile, (saved) => saved === expected);
    assert.ok(text.includes("API_URL = 'http://127.0.0.2:") && text.includes("env('OAUTH_ACCESS_TOKEN')"), text);
  });

  it('Escape at any question inserts nothing', async () => {
    const { page } = session;
    await openWorkspaceFile(page, 'app.py');
    const before = await saveAndRead(page, pythonFile, (saved) => saved.length > 0);
    const picker = page.locator('.quick-input-widget');

    await runCommand(page, INSERT);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Complete minimal flow' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: 10_000 });

    // The same from the language question that "Another language…" opens.
    await runCommand(page, INSERT);
    await pickQuickItem(page, 'Another language');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ruby (net/http)' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: 10_000 });

    assert.equal(await saveAndRead(page, pythonFile, () => true), before);
  });

  it('with no editor open: asks for the language and inserts into a new untitled document in it', async () => {
    const { page } = session;
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.editor-group-container .monaco-editor').first().waitFor({ state: 'detached', timeout: 15_000 });
    await runCommand(page, INSERT);
    await pickQuickItem(page, 'Refresh the access token');
    await pickQuickItem(page, 'Go (net/http)');
    await waitForEditorText(page, 'Refreshes the access token and prints the token response (Go 1.19+, net/http)');
    await page.locator('.statusbar-item[id="status.editor.mode"]', { hasText: /^Go$/ }).waitFor({ timeout: 15_000 });
    // An untitled tab is named after its first line, with "Untitled-N" beside it.
    await page.locator('.tab.active', { hasText: /Untitled-\d+/ }).waitFor({ timeout: 15_000 });
  });

  it('after Call the API: the API-call snippet calls the path just used, not the API base URL (issue 9)', async () => {
    const { page } = session;
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser(session, sandbox, approve);
    await waitForNotification(page, /Authorized as Developer Sandbox <developer@example\.org>/);
    await tab.close().catch(() => undefined);
    await page.bringToFront();
    await runCommand(page, 'Auth Code Flow: Call the API');
    await answerInputBox(page, 'Path to GET', '/me?limit=1');
    await waitForExtensionLog(session, /GET \S+\/api\/me\?limit=1 → 200/, 'Call the API did not get a 200 for /me?limit=1', 30_000);

    await openWorkspaceFile(page, 'app.py');
    await clearActiveEditor(page);
    await runCommand(page, INSERT);
    await pickQuickItem(page, 'Call the API');
    const expected = toPlainText(pythonLanguage.generate('apiCall', { ...configured, apiPath: '/me?limit=1' }));
    const text = await saveAndRead(page, pythonFile, (saved) => saved === expected);
    assert.ok(text.includes(`API_URL = '${configured.config.apiBaseUrl}/me?limit=1'`), text);
  });

  it('logs one line per insertion, naming kind, language and place, and never a secret', async () => {
    const expected = [
      'Inserted the tokenExchange snippet (python) into app.py.',
      'Inserted the completeFlow snippet (typescript, axios) into app.ts.',
      'Inserted the apiCall snippet (python) into app.py.',
      'Inserted the refresh snippet (go) into a new untitled Go (net/http) document.',
    ];
    const log = await waitForExtensionLog(session, (text) => expected.every((line) => text.includes(line)), 'Not every insertion was logged');
    for (const line of expected) assert.ok(log.includes(line), `${line}\n--- log\n${log}`);
    assert.equal(log.match(/Inserted the /g)?.length, 6, 'one line for each of the six insertions, none for the cancelled ones');
    for (const secret of [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key]) assert.ok(!log.includes(secret));
  });
});
