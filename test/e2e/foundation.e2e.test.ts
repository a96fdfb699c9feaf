import * as assert from 'node:assert/strict';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { notificationMessage, runCommand, tokenStatusItem, waitForNotification } from '../harness/workbench';

describe('foundation, in the real workbench (code-server + Chromium)', function () {
  this.timeout(180_000);
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('foundation', {
      // As a fresh install has it: VS Code's default lets extensions open their walkthrough on install. One
      // app, not configured yet, that receives redirects through the URI handler.
      userSettings: {
        'authCodeFlow.apps': [{ id: 'e2e-uri-handler', name: 'URI handler app', preset: 'generic', redirectMode: 'uriHandler' }],
        'workbench.welcomePage.walkthroughs.openOnInstall': true,
      },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  it('opens its walkthrough by itself on the first start after install, and shows the status bar only once configured', async () => {
    const { page } = session;
    await page.locator('.getting-started-step .step-title', { hasText: 'Set up your application' }).waitFor({ timeout: 60_000 });
    assert.equal(await tokenStatusItem(page).isVisible(), false,
      'the token status bar item is shown before any app is configured');
  });

  it('sends a callback through code-server to the URI handler, which says no authorization is waiting', async () => {
    const { page, context } = session;
    await runCommand(page, 'Auth Code Flow: Show Redirect URI');
    const shown = await waitForNotification(page, 'Redirect URI for this editor');
    const message = await notificationMessage(shown);
    const redirectUri = /https?:\/\/\S+/.exec(message)?.[0];
    assert.ok(redirectUri, `no URI in: ${message}`);
    const url = new URL(redirectUri);
    assert.equal(url.searchParams.get('vscode-authority'), 'authcodeflow.auth-code-flow');
    assert.equal(url.searchParams.get('vscode-path'), '/callback');

    // What a provider does: append its response to the registered redirect URI and send the browser there.
    const callback = `${redirectUri}&code=unsolicited-code&state=unsolicited-state`;
    const tab = await context.newPage();
    await tab.goto(callback);
    const warning = await waitForNotification(page, 'No authorization is waiting');
    const text = await notificationMessage(warning);
    assert.match(text, /Authorize App/, text);
    await tab.close();
  });

  it('activated with no error in its log', async () => {
    const log = session.extensionLog();
    assert.match(log, /Activated authcodeflow\.auth-code-flow/);
    // Loaded by the callback above, not at startup.
    assert.match(log, /Loaded the commands/);
    assert.doesNotMatch(log, /\[error\]/i);
    assert.match(log, /Callback with no matching authorization request/);
  });
});
