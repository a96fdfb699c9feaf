import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { answerConfigureForSandbox, consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { repoRoot } from '../harness/editorPaths';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { clearNotifications, notificationMessage, runCommand, waitForNotification } from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

// The `authcodeflow` authentication provider as another extension uses it: a consumer test extension
// (test/fixtures/session-consumer, packaged here and installed beside the .vsix) calls
// vscode.authentication.getSession('authcodeflow', ['api'], { createIfNone: true }); VS Code's own prompt
// is answered Allow, consent happens in the opened tab, and the consumer calls the sandbox API with the
// session's token. Then: a silent getSession returns the same account, a refreshed token once the short
// one expired, and nothing after signing out from the Accounts menu, which the consumer hears about.

/** Short enough to wait out, so a later getSession must refresh first. */
const SHORT_ACCESS_TOKEN_TTL_S = 20;

function packageConsumer(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'session-consumer-')), 'session-consumer.vsix');
  const vsce = join(repoRoot(), 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], {
    cwd: join(repoRoot(), 'test', 'fixtures', 'session-consumer'), encoding: 'utf8', timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vsce package of the consumer failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return out;
}

function dialogButton(page: Page, label: RegExp): Locator {
  return page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first();
}

/** "Consumer …: account LABEL (ID), token FINGERPRINT, scopes …, API 200." as its parts. */
function parseReport(message: string): { account: string; token: string; api: string } {
  const match = /account (.+?) \((.+?)\), token ([0-9a-f]{12}), scopes [^,]*, (API \d+|API failed[^.]*)\./.exec(message);
  assert.ok(match, `not a consumer report: ${message}`);
  return { account: `${match[1]} (${match[2]})`, token: match[3]!, api: match[4]! };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('The authcodeflow authentication provider, used by another extension in the real workbench', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let session: EditorSession;
  let signedIn: { account: string; token: string };

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true, accessTokenTtl: SHORT_ACCESS_TOKEN_TTL_S });
    session = await startEditorSession('authentication-provider', {
      extraVsix: [packageConsumer()],
      env: {
        AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer,
        SESSION_CONSUMER_API_URL: sandbox.info.protected_resource,
        SESSION_CONSUMER_KEY_HEADER: sandbox.info.subscription_key_header,
        SESSION_CONSUMER_KEY: sandbox.info.subscription_key,
      },
      // Off, so only getSession refreshes: the status bar's timer would renew the short-lived token by itself.
      userSettings: { 'workbench.startupEditor': 'none', 'authCodeFlow.autoRefresh': false },
    });
    await waitForExtensionLog(session, /Activated authcodeflow\.auth-code-flow/, 'The extension did not activate', 90_000);
    await runCommand(session.page, 'Auth Code Flow: Configure App');
    await answerConfigureForSandbox(session.page, 'Loopback redirect');
    await clearNotifications(session.page);
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  it('getSession with createIfNone: VS Code asks, Allow, consent in the browser, and the token calls the API (200)', async () => {
    const { page } = session;
    await runCommand(page, 'Session Consumer: Sign In and Call the API');
    // VS Code's own prompt: this extension wants to sign in using Authorization Code Flow.
    await page.locator('.monaco-dialog-box', { hasText: /Authorization Code Flow/ }).waitFor({ timeout: 30_000 });
    await dialogButton(page, /^Allow$/).click();
    const tab = await consentInBrowser(session, sandbox, approve);
    const report = parseReport(await notificationMessage(await waitForNotification(page, /Consumer signIn: account/, 60_000)));
    await tab.close().catch(() => undefined);
    assert.equal(report.api, 'API 200');
    assert.match(report.account, /^Local sandbox/);
    signedIn = report;
    const grants = (await sandbox.events()).map((event) => `${event.grant_type} ${event.status}`);
    assert.deepEqual(grants, ['authorization_code 200']);
  });

  it('a silent getSession returns the same account, and after the token expired a refreshed token that works', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Session Consumer: Get the Session Silently and Call the API');
    const first = parseReport(await notificationMessage(await waitForNotification(page, /Consumer silent: account/)));
    assert.equal(first.account, signedIn.account);
    assert.equal(first.api, 'API 200');

    await sleep((SHORT_ACCESS_TOKEN_TTL_S + 2) * 1000);
    await clearNotifications(page);
    await runCommand(page, 'Session Consumer: Get the Session Silently and Call the API');
    const later = parseReport(await notificationMessage(await waitForNotification(page, /Consumer silent: account/)));
    assert.equal(later.account, signedIn.account);
    assert.notEqual(later.token, first.token, 'the expired token was refreshed before it was handed out');
    assert.equal(later.api, 'API 200');
    const grants = (await sandbox.events()).map((event) => `${event.grant_type} ${event.status}`);
    assert.ok(grants.includes('refresh_token 200'), `the provider refreshed through the token endpoint: ${grants.join(', ')}`);
  });

  it('signing out from the Accounts menu fires onDidChangeSessions in the consumer, and the next silent getSession returns nothing', async () => {
    const { page } = session;
    await clearNotifications(page);
    await page.locator('.activitybar .action-item a[aria-label^="Accounts"], .activitybar .codicon-accounts-view-bar-icon').first().click();
    const account = page.locator('.monaco-menu .action-item', { hasText: /Local sandbox.*Authorization Code Flow/ }).first();
    await account.waitFor({ timeout: 15_000 });
    await account.hover();
    const signOut = page.locator('.monaco-menu .action-item', { hasText: /^Sign Out$/ }).first();
    await signOut.waitFor({ timeout: 15_000 });
    // Hovering focuses the menu item; Enter runs it (a synthetic click on the item does not reach VS Code's menu).
    await signOut.hover();
    await page.keyboard.press('Enter');
    // VS Code confirms, naming the extensions that used the account.
    await dialogButton(page, /^Sign Out$/).click();
    await waitForNotification(page, /Consumer saw onDidChangeSessions from authcodeflow/);
    await clearNotifications(page);
    await runCommand(page, 'Session Consumer: Get the Session Silently and Call the API');
    await waitForNotification(page, 'Consumer silent: no session.');
  });

  it('leaves no token, secret or key in the user-data folder or the logs', async () => {
    const secrets = [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key, ...(await sandbox.issued())];
    assert.ok(secrets.length >= 5, `expected the code and both token sets, got ${secrets.length - 2}`);
    assertNoSecretsInUserData(session, secrets);
  });
});
