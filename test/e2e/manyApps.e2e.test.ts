// Two named apps at two providers, in code-server, driven as a person drives them: one added from the
// sandbox's issuer URL by discovery ("Any OAuth 2.0 / OpenID provider"), one at a second issuer (another
// sandbox on another loopback address, its own clients and keys). Both are authorized in the browser;
// Switch App, the status bar and the Apps view move between them; each keeps its own tokens (proven by the
// token values each provider issued, its ID token and its API's client_id, and by the providers' token
// endpoints seeing nothing extra); Remove App takes every secret of one app out of the editor's real
// SecretStorage and leaves the other's as they were.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerConfigureByDiscovery, chooseAppToConfigure, consentInBrowser } from '../harness/appFlows';
import {
  activityBarIcon, appRow, clickAppContextMenuItem, clickAppsViewTitleAction, clickInlineAppAction, openAppsView, waitForAppRow,
} from '../harness/appsView';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { clickEditorTitleAction, READABLE_VIEW_SETTINGS, waitForViewText } from '../harness/readOnlyViews';
import { screenshotPath } from '../harness/screenshots';
import { storedSecrets } from '../harness/secretStorage';
import {
  answerInputBox, clearNotifications, notificationMessage, pickQuickItem, runCommand, tokenStatusItem, waitForNotification,
} from '../harness/workbench';
import { startSandbox, startSecondSandbox, type Sandbox } from '../support/sandbox';

/** Names that are no prefix of each other, so a row or a quick-pick item is found by its name alone. */
const DISCOVERED = 'Sandbox by discovery';
const SECOND = 'Second issuer';

describe('many apps: two providers, authorized side by side, switched from the status bar and the Apps view, one removed', function () {
  this.timeout(180_000);
  let first: Sandbox;
  let second: Sandbox;
  let session: EditorSession;

  before(async () => {
    // 127.0.0.2 and .3, not 127.0.0.1: code-server rewrites 127.0.0.1 links opened externally (see authorize.e2e).
    [first, second] = await Promise.all([
      startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true }),
      startSecondSandbox({ host: '127.0.0.3', exposeIssuedTokens: true }),
    ]);
    session = await startEditorSession('many-apps', {
      // Off, so only the steps below refresh.
      userSettings: { 'authCodeFlow.autoRefresh': false, ...READABLE_VIEW_SETTINGS },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await first?.stop();
    await second?.stop();
  });

  /** The token endpoint's record of a sandbox: "grant client status", oldest first. */
  async function grants(sandbox: Sandbox): Promise<string[]> {
    return (await sandbox.events()).map((event) => `${event.grant_type} ${event.client_id} ${event.status}`);
  }

  /** The ids the editor's settings give each app, by name (read only; the UI wrote them). */
  function appIds(): Map<string, string> {
    const ids = new Map<string, string>();
    for (const folder of ['User', 'Machine']) {
      const file = join(session.server.userDataDir, folder, 'settings.json');
      if (!existsSync(file)) continue;
      const settings = JSON.parse(readFileSync(file, 'utf8')) as { 'authCodeFlow.apps'?: { id: string; name: string }[] };
      for (const app of settings['authCodeFlow.apps'] ?? []) ids.set(app.name, app.id);
    }
    return ids;
  }

  /** The status bar names the active app and counts its token down, e.g. "Sandbox by discovery · 59m". */
  async function waitForStatusBar(name: string): Promise<string> {
    const item = tokenStatusItem(session.page).filter({ hasText: new RegExp(`${name} · \\d+m`) });
    await item.waitFor({ timeout: 15_000 });
    return (await item.innerText()).trim();
  }

  async function authorizeActiveApp(provider: Sandbox, name: string): Promise<void> {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser(session, provider, approve);
    const done = await waitForNotification(page, /Authorized as .* The access token expires in/);
    assert.match(await notificationMessage(done), new RegExp(name), 'the message names the app it authorized');
    await tab.close().catch(() => undefined);
  }

  /**
   * Show Tokens, then Reveal Token Values: the access token shown must be one that `issuer` issued and
   * `other` did not. Returns it and the revealed view's text; the view is closed again (its text is dropped).
   */
  async function revealedTokens(issuer: Sandbox, other: Sandbox): Promise<{ accessToken: string; text: string }> {
    await runCommand(session.page, 'Auth Code Flow: Show Tokens');
    await waitForViewText(session.page, 'Tokens.md', /Token values are masked/);
    await clickEditorTitleAction(session.page, 'Reveal Token Values');
    const text = await waitForViewText(session.page, 'Tokens.md', /Token values are shown in full/);
    const accessToken = /^- Value: `([^`]+)`$/m.exec(text)?.[1] ?? '';
    assert.ok((await issuer.issued()).includes(accessToken), `the access token shown is one ${issuer.info.issuer} issued`);
    assert.ok(!(await other.issued()).includes(accessToken), 'and not one of the other provider\'s');
    await runCommand(session.page, 'View: Close Editor');
    return { accessToken, text };
  }

  let discoveredAccessToken: string;
  let secondAccessToken: string;

  it('adds the first app by discovery from the sandbox\'s issuer URL and authorizes it (ID token verified)', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    const outcome = await answerConfigureByDiscovery(page, {
      name: DISCOVERED, issuer: first.info.issuer,
      clientId: first.info.clients.basic.client_id, clientSecret: first.info.clients.basic.client_secret,
    });
    // The summary modal names the issuer and what was found and chosen.
    assert.match(outcome.summary, new RegExp(`Discovered ${first.info.issuer.replace(/\./g, '\\.')}`));
    assert.match(outcome.summary, /Found the authorization endpoint .*\/auth and the token endpoint .*\/token/);
    assert.match(outcome.summary, /Chose scope openid/);
    assert.equal(outcome.offeredScopes, 'openid offline_access', 'the Scopes step offers what discovery chose');
    await tokenStatusItem(page).filter({ hasText: `${DISCOVERED} · Authorize` }).waitFor({ timeout: 15_000 });
    await authorizeActiveApp(first, DISCOVERED);
    await waitForStatusBar(DISCOVERED);
    assert.deepEqual(await grants(first), ['authorization_code sandbox-basic-client 200']);
    const { accessToken, text } = await revealedTokens(first, second);
    discoveredAccessToken = accessToken;
    assert.match(text, /^- ID token: verified by signature/m);
    assert.match(text, /^- Scopes: .*`openid`/m);
  });

  it('adds the second issuer\'s app beside it ("Add a new app…"), authorizes it, and the first keeps its tokens', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    await chooseAppToConfigure(page, { name: SECOND, addNew: true });
    await pickQuickItem(page, 'Local sandbox');
    await answerInputBox(page, 'URL of the local sandbox', second.info.issuer);
    await answerInputBox(page, 'Application (client) ID');
    await answerInputBox(page, 'Application secret');
    await answerInputBox(page, 'Subscription key');
    await pickQuickItem(page, 'Loopback redirect');
    await answerInputBox(page, 'Loopback port', '0');
    await answerInputBox(page, 'Scopes');
    await waitForNotification(page, 'Saved. Register this redirect URI');
    // The new app is the active one: the status bar offers to authorize it, not the first app's countdown.
    await tokenStatusItem(page).filter({ hasText: new RegExp(`${SECOND} · Authorize`) }).waitFor({ timeout: 15_000 });
    await authorizeActiveApp(second, SECOND);
    await waitForStatusBar(SECOND);
    assert.deepEqual(await grants(second), ['authorization_code second-basic-client 200']);
    secondAccessToken = (await revealedTokens(second, first)).accessToken;
    assert.notEqual(secondAccessToken, discoveredAccessToken);
    assert.deepEqual(await grants(first), ['authorization_code sandbox-basic-client 200'], 'nothing happened at the first provider');
  });

  it('the status bar switches (tooltip → Switch App… with each app\'s token state), follows, and its click refreshes only the active app', async () => {
    const { page } = session;
    await tokenStatusItem(page).hover();
    const link = page.locator('.workbench-hover a', { hasText: 'Switch App…' }).first();
    await link.waitFor({ state: 'visible', timeout: 15_000 });
    await link.click();
    for (const [name, state] of [[DISCOVERED, /^authorized, expires in \d+ min$/], [SECOND, /^active · authorized, expires in \d+ min$/]] as const) {
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first();
      await row.waitFor({ timeout: 15_000 });
      const description = (await row.locator('.label-description').first().innerText()).trim();
      assert.match(description, state, `${name}'s state in Switch App`);
    }
    await page.mouse.move(1, 1);
    await pickQuickItem(page, DISCOVERED);
    await waitForStatusBar(DISCOVERED);

    // The status bar's click acts on the app it shows: a refresh at the first provider, none at the second.
    await clearNotifications(page);
    await tokenStatusItem(page).click();
    await waitForNotification(page, /Refreshed/);
    assert.deepEqual(await grants(first), ['authorization_code sandbox-basic-client 200', 'refresh_token sandbox-basic-client 200']);
    assert.deepEqual(await grants(second), ['authorization_code second-basic-client 200']);
    await waitForStatusBar(DISCOVERED);
  });

  it('the Apps view shows both; an item\'s inline Call the API makes its app active and calls with that app\'s token', async () => {
    const { page } = session;
    const icon = await activityBarIcon(page);
    assert.match(decodeURIComponent(icon.url), /\/media\/apps-view\.svg/, `the activity-bar button draws the icon package.json names: ${icon.url}`);
    assert.equal(icon.status, 200, `the icon is shipped: ${icon.url}`);
    await openAppsView(page);
    await waitForAppRow(page, DISCOVERED, new RegExp(`^${DISCOVERED}, active app, authorized, expires in \\d+ min`));
    await waitForAppRow(page, SECOND, new RegExp(`^${SECOND}, authorized, expires in \\d+ min`));
    await page.screenshot({ path: screenshotPath('apps-view-two-apps') });

    await clearNotifications(page);
    await clickInlineAppAction(page, SECOND, 'Call the API');
    await answerInputBox(page, 'Path to GET');
    const response = await waitForViewText(page, 'API Response.md', /→ 200 OK/);
    assert.match(response, /"client_id": "second-basic-client"/, 'the second issuer\'s API saw the second app\'s client');
    await waitForStatusBar(SECOND);
    await waitForAppRow(page, SECOND, new RegExp(`^${SECOND}, active app, `));
    await waitForAppRow(page, DISCOVERED, new RegExp(`^${DISCOVERED}, authorized`));

    // Back with the view's Switch App (title bar): a quick pick again, and the first app active.
    await clickAppsViewTitleAction(page, 'Switch App');
    await pickQuickItem(page, DISCOVERED);
    await waitForStatusBar(DISCOVERED);
    await waitForAppRow(page, DISCOVERED, new RegExp(`^${DISCOVERED}, active app, `));
    await page.screenshot({ path: screenshotPath('apps-view-switched') });

    // Each kept its own tokens through the switching: no new authorization anywhere, and the second app's
    // token is still the one it was given.
    assert.deepEqual(await grants(second), ['authorization_code second-basic-client 200']);
    assert.deepEqual((await grants(first)).filter((grant) => grant.startsWith('authorization_code')), ['authorization_code sandbox-basic-client 200']);
    const stored = await storedSecrets(page);
    const ids = appIds();
    assert.ok(stored.get(`authCodeFlow.app.${ids.get(SECOND)}.tokenSet`)?.includes(secondAccessToken), 'the second app\'s stored token is the one it was issued');
    assert.ok(!stored.get(`authCodeFlow.app.${ids.get(DISCOVERED)}.tokenSet`)?.includes(discoveredAccessToken), 'the first app\'s token was replaced by its refresh');
  });

  it('Remove App (the item\'s context menu) deletes every secret of that app and leaves the other\'s as they were', async () => {
    const { page } = session;
    const ids = appIds();
    const removedId = ids.get(SECOND);
    const keptId = ids.get(DISCOVERED);
    assert.ok(removedId && keptId && removedId !== keptId, `both apps have ids: ${JSON.stringify([...ids])}`);
    const before = await storedSecrets(page);
    const keptKeys = [...before.keys()].filter((key) => key.startsWith(`authCodeFlow.app.${keptId}.`)).sort();
    const removedKeys = [...before.keys()].filter((key) => key.startsWith(`authCodeFlow.app.${removedId}.`)).sort();
    assert.deepEqual(removedKeys, ['clientSecret', 'subscriptionKey', 'tokenSet'].map((name) => `authCodeFlow.app.${removedId}.${name}`));
    assert.deepEqual(keptKeys, ['clientSecret', 'tokenSet'].map((name) => `authCodeFlow.app.${keptId}.${name}`));

    await clearNotifications(page);
    await openAppsView(page);
    await clickAppContextMenuItem(page, SECOND, 'Remove App');
    const dialog = page.locator('.monaco-dialog-box', { hasText: `Remove the app “${SECOND}”?` });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.monaco-button', { hasText: /^Remove App$/ }).first().click();
    await waitForNotification(page, `Removed “${SECOND}”.`);
    await appRow(page, SECOND).waitFor({ state: 'detached', timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('apps-view-after-remove') });

    const after = await storedSecrets(page);
    assert.deepEqual([...after.keys()].filter((key) => key.includes(removedId)), [], 'no key of the removed app is left');
    assert.deepEqual([...after.keys()].sort(), keptKeys, 'only the other app\'s keys remain');
    for (const key of keptKeys) assert.equal(after.get(key), before.get(key), `${key} is unchanged`);
    assert.ok(!appIds().has(SECOND), 'the removed app is gone from authCodeFlow.apps');
    await waitForStatusBar(DISCOVERED);
  });

  it('leaves no secret, key, code or token of either provider in the user-data folder or the logs', async () => {
    const secrets = [
      first.info.clients.basic.client_secret,
      second.info.clients.basic.client_secret,
      second.info.subscription_key,
      ...(await first.issued()),
      ...(await second.issued()),
    ];
    assertNoSecretsInUserData(session, secrets);
  });
});
