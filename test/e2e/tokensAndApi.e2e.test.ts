import * as assert from 'node:assert/strict';
import { answerConfigureForSandbox, chooseAppToConfigure, consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { clickEditorTitleAction, READABLE_VIEW_SETTINGS, waitForViewText } from '../harness/readOnlyViews';
import { screenshotPath } from '../harness/screenshots';
import {
  answerInputBox, clearNotifications, clickNotificationButton, notificationMessage, pickQuickItem, runCommand, waitForNotification,
} from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

const TOKENS_VIEW = 'Tokens.md';
const RESPONSE_VIEW = 'API Response.md';
/** Short enough to wait out; the test waits past it, so the token is expired by the extension's clock and the sandbox's. */
const SHORT_ACCESS_TOKEN_TTL_S = 8;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Show Tokens and Call the API, in the real workbench against the sandbox provider', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let shortLived: Sandbox | undefined;
  let session: EditorSession;

  before(async () => {
    // 127.0.0.2, not 127.0.0.1: code-server rewrites 127.0.0.1 links opened externally (see authorize.e2e).
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true });
    session = await startEditorSession('tokens-and-api', {
      env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer },
      // Off, so only the steps below refresh: the timer would renew short-lived tokens by itself.
      userSettings: { 'authCodeFlow.autoRefresh': false, ...READABLE_VIEW_SETTINGS },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
    await shortLived?.stop();
  });

  /** Configure App for a sandbox (the one the editor was started with, unless `issuer` names another), then Authorize App. */
  async function configureAndAuthorize(target: Sandbox): Promise<void> {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    if (target === sandbox) {
      await answerConfigureForSandbox(page, 'Loopback redirect');
    } else {
      // answerConfigureForSandbox keeps the prefilled URL; this sandbox is another one.
      await chooseAppToConfigure(page);
      await pickQuickItem(page, 'Local sandbox');
      await answerInputBox(page, 'URL of the local sandbox', target.info.issuer);
      await answerInputBox(page, 'Application (client) ID');
      await answerInputBox(page, 'Application secret');
      await answerInputBox(page, 'Subscription key');
      await pickQuickItem(page, 'Loopback redirect');
      await answerInputBox(page, 'Loopback port', '0');
      await answerInputBox(page, 'Scopes');
      await waitForNotification(page, 'Saved. Register this redirect URI');
    }
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser(session, target, approve);
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close().catch(() => undefined);
  }

  async function callApiWithDefaultPath(): Promise<void> {
    await clearNotifications(session.page);
    await runCommand(session.page, 'Auth Code Flow: Call the API');
    await answerInputBox(session.page, 'Path to GET');
  }

  it('Show Tokens shows the stored tokens masked, their expiry and the sandbox\'s SKY fields', async () => {
    await configureAndAuthorize(sandbox);
    await runCommand(session.page, 'Auth Code Flow: Show Tokens');
    const text = await waitForViewText(session.page, TOKENS_VIEW, /\| email \|/);
    assert.match(text, /Token values are masked/);
    assert.match(text, /^- Value: `.{4}…\(\d+ chars\)`$/m);
    assert.match(text, /^- Expires: in 59 min, at .* \(the provider's expiry, .*, less a 30 s margin for clock differences and transit\)$/m);
    assert.match(text, /^- Scopes: `api` `offline_access`$/m);
    assert.match(text, /^- Format: opaque \(not a JWT\)/m);
    for (const row of ['| environment_id | p-sandbox |', '| environment_name | Sandbox Environment |',
      '| legal_entity_name | Sandbox Legal Entity |', '| user_id | developer@example.org |', '| email | developer@example.org |']) {
      assert.ok(text.includes(row), `the view lists ${row}:\n${text}`);
    }
    for (const token of await sandbox.issued()) assert.ok(!text.includes(token), 'no token value while masked');
    await session.page.screenshot({ path: screenshotPath('show-tokens-masked') });
  });

  it('Reveal Token Values (title bar) shows the values and says so; Copy Access Token confirms the copy', async () => {
    const { page } = session;
    await clickEditorTitleAction(page, 'Reveal Token Values');
    const text = await waitForViewText(page, TOKENS_VIEW, /Token values are shown in full/);
    const accessToken = /^- Value: `([^`]+)`$/m.exec(text)?.[1];
    assert.ok(accessToken && (await sandbox.issued()).includes(accessToken), `the revealed access token is the one the sandbox issued:\n${text}`);
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate('navigator.clipboard.writeText("")');
    await clearNotifications(page);
    await clickEditorTitleAction(page, 'Copy Access Token');
    // Always a modal first: a command cannot tell its title button from another extension's executeCommand.
    const dialog = page.locator('.monaco-dialog-box', { hasText: /Copy the access token of .* to the clipboard\?/ });
    await dialog.waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), '', 'nothing is copied before the user confirms');
    await dialog.locator('.monaco-button', { hasText: /^Copy Access Token$/ }).first().click();
    await waitForNotification(page, /Access token copied to the clipboard \(it expires in/);
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), accessToken);
  });

  it('Call the API GETs the sandbox\'s protected resource with the token and key, and shows 200 with the JSON body', async () => {
    await callApiWithDefaultPath();
    const text = await waitForViewText(session.page, RESPONSE_VIEW, /→ 200 OK/);
    assert.match(text, /^# GET \/api\/me → 200 OK$/m);
    assert.match(text, /^Authorization: Bearer .{4}…\(\d+ chars\)$/m);
    assert.match(text, /^Bb-Api-Subscription-Key: sand…\(\d+ chars\)$/m);
    assert.match(text, /"sub": "developer@example.org"/);
    assert.match(text, /"client_id": "sandbox-basic-client"/);
    await session.page.screenshot({ path: screenshotPath('call-the-api-response') });
    assert.match(session.extensionLog(), /Step 6, call the API: GET \/api\/me with the access token as a Bearer credential and the subscription key in Bb-Api-Subscription-Key/);
  });

  it('SKY\'s 429 rate limit says when to retry; Retry in 2 s waits for Retry-After, then calls again and shows 200', async () => {
    const { page } = session;
    await sandbox.limitApi({ status: 429, retryAfter: 2 });
    await callApiWithDefaultPath();
    await waitForViewText(page, RESPONSE_VIEW, /→ 429 Too Many Requests/);
    const limited = await waitForNotification(page, 'Call the API: 429 rate limit exceeded');
    assert.match(await notificationMessage(limited), /The API said: "Rate limit is exceeded\. Try again in 2 seconds\." Retry in 2 s \(Retry-After\)/);
    await clickNotificationButton(limited, 'Retry in 2 s');
    await waitForViewText(page, RESPONSE_VIEW, /→ 200 OK/);
    assert.match(session.extensionLog(), /Call the API: 429 rate limit exceeded\. Retry-After: 2 s\./);
  });

  it('with an access token the API no longer accepts: Call Anyway shows the 401, Refresh and Retry shows 200', async () => {
    shortLived = await startSandbox({ host: '127.0.0.3', accessTokenTtl: SHORT_ACCESS_TOKEN_TTL_S, exposeIssuedTokens: true });
    await configureAndAuthorize(shortLived);
    const authorizedAt = Date.now();
    // Bounded: past the sandbox's lifetime, so the server itself refuses the token.
    await sleep(Math.max(0, authorizedAt + SHORT_ACCESS_TOKEN_TTL_S * 1000 + 1_500 - Date.now()));

    const { page } = session;
    await callApiWithDefaultPath();
    const expired = await waitForNotification(page, /the access token expired .* ago by this computer's clock/);
    await clickNotificationButton(expired, 'Call Anyway');
    const rejectedView = await waitForViewText(page, RESPONSE_VIEW, /→ 401 Unauthorized/);
    assert.match(rejectedView, /^> The API answered invalid_token \(RFC 6750 §3\.1\): The access token is invalid or has expired\./m);
    const rejected = await waitForNotification(page, 'Call the API: 401 Unauthorized');
    await clickNotificationButton(rejected, 'Refresh and Retry');
    await waitForViewText(page, RESPONSE_VIEW, /→ 200 OK/);

    const grants = (await shortLived.events()).map((event) => `${event.grant_type} ${event.status}`);
    assert.deepEqual(grants, ['authorization_code 200', 'refresh_token 200']);
  });

  it('leaves no token, secret or key in the user-data folder or the extension log', async () => {
    const secrets = [
      sandbox.info.clients.basic.client_secret,
      sandbox.info.subscription_key,
      ...(await sandbox.issued()),
      ...(shortLived ? await shortLived.issued() : []),
    ];
    assert.ok(secrets.length >= 8, `expected codes and tokens from both sandboxes, got ${secrets.length - 2}`);
    assertNoSecretsInUserData(session, secrets);
  });
});
