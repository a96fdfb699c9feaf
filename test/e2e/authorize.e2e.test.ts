import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { answerConfigureForSandbox, consentInBrowser, type RedirectChoice } from '../harness/appFlows';
import { approve, deny } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import {
  clearNotifications, clickNotificationButton, notificationMessage, runCommand, waitForNotification,
} from '../harness/workbench';

describe('Configure App and Authorize App, in the real workbench against the sandbox provider', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let session: EditorSession;

  before(async () => {
    // Not 127.0.0.1: code-server rewrites 127.0.0.1/localhost URLs opened externally into its port
    // forwarding path, which a real (remote) provider never goes through.
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true });
    session = await startEditorSession('authorize', { env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer } });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  async function configureSandbox(redirect: RedirectChoice): Promise<string> {
    await clearNotifications(session.page);
    await runCommand(session.page, 'Auth Code Flow: Configure App');
    return answerConfigureForSandbox(session.page, redirect);
  }

  async function authorizeInBrowser(action: (tab: Page) => Promise<void>): Promise<Page> {
    await clearNotifications(session.page);
    await runCommand(session.page, 'Auth Code Flow: Authorize App');
    return consentInBrowser(session, sandbox, action);
  }

  it('Configure App stores the sandbox app and shows the loopback redirect URI to register', async () => {
    const message = await configureSandbox('Loopback redirect');
    assert.match(message, /http:\/\/127\.0\.0\.1:<any free port>\/callback/);
  });

  it('Authorize App with the loopback redirect: consent in the opened tab, code exchanged, tokens stored', async () => {
    const tab = await authorizeInBrowser(approve);
    await tab.locator('h1', { hasText: 'Authorization received' }).waitFor({ timeout: 30_000 });
    assert.match(tab.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    const success = await waitForNotification(session.page, /Authorized as .* The access token expires in/);
    const text = await notificationMessage(success);
    // Who signed in (the login given on the consent page, which the sandbox returns as SKY's email), and
    // the time the status bar counts: the sandbox's hour less the 30 s margin.
    assert.match(text, /^Local sandbox.*: Authorized as Developer Sandbox <developer@example\.org> in Sandbox Environment\. The access token expires in 59 min;/);
    assert.match(text, /a refresh token is stored/);
    await tab.close();
    const grants = (await sandbox.events()).filter((event) => event.grant_type === 'authorization_code');
    assert.equal(grants.length, 1);
    assert.equal(grants[0].status, 200);
  });

  it('Authorize App with the URI handler: the redirect comes back through code-server to the extension', async () => {
    await configureSandbox('Editor URI handler');
    const tab = await authorizeInBrowser(approve);
    await waitForNotification(session.page, /Authorized as .* The access token expires in/);
    await tab.close().catch(() => undefined);
    const grants = (await sandbox.events()).filter((event) => event.grant_type === 'authorization_code' && event.status === 200);
    assert.equal(grants.length, 2);
    assert.match(session.extensionLog(), /Authorization response received through the URI handler/);
  });

  it('denying consent shows the provider\'s access_denied error and what to do', async () => {
    const before = (await sandbox.events()).length;
    const tab = await authorizeInBrowser(deny);
    const failure = await waitForNotification(session.page, 'Authorize App failed');
    const text = await notificationMessage(failure);
    assert.match(text, /access_denied/);
    assert.match(text, /run Authorize App again and approve/i);
    await tab.close().catch(() => undefined);
    assert.equal((await sandbox.events()).length, before, 'no token request after a denial');
  });

  it('declining the "open external website" dialog offers the URL to copy, and the flow keeps waiting for it', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
    await waitForNotification(page, 'The authorization page was not opened. Copy its URL into your browser');
    // Still waiting, not cancelled: the progress notification is there; Sign Out (next) stops it.
    await waitForNotification(page, 'Approve access in the browser');
    assert.doesNotMatch(session.extensionLog(), /Authorize App was cancelled/);
  });

  it('Sign Out deletes the tokens, and on request the app secret, after which Authorize App asks for configuration', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Sign Out');
    const signedOut = await waitForNotification(page, /Signed out of "Local sandbox": the tokens were deleted/);
    await clickNotificationButton(signedOut, 'Also Delete App Secret and Key');
    await waitForNotification(page, 'secret and subscription key were deleted');
    // The Authorize App left waiting by the previous test was stopped by Sign Out.
    await waitForExtensionLog(session, /Authorize App was cancelled/, 'Sign Out did not stop the waiting Authorize App', 10_000);
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const warning = await waitForNotification(page, /Configure the app "Local sandbox" before authorizing/);
    assert.match(await notificationMessage(warning), /application secret is not stored/);
    assert.match(session.extensionLog(), /Signed out of "Local sandbox": its stored token set was deleted/);
  });

  it('leaves no token, code or secret in the user-data folder or the output channel', async () => {
    const secrets = [
      sandbox.info.clients.basic.client_secret,
      sandbox.info.subscription_key,
      ...(await sandbox.issued()),
    ];
    assert.ok(secrets.length >= 6, `expected codes and tokens from the sandbox, got ${secrets.length - 2}`);
    assertNoSecretsInUserData(session, secrets);
  });
});
