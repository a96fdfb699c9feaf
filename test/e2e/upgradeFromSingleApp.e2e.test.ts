// A user of the single-app release upgrades: the release they had is installed from git, configured and
// authorized as they did it, then this build is installed over it and the window reloads. Their app, its
// secrets and its tokens must become the first named app, usable at once, with nothing left under the
// old keys (read from the editor's real SecretStorage, not from anything the extension reports).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix } from '../harness/codeServer';
import { consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { packagedExtension, screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { previousReleaseVsix } from '../harness/previousRelease';
import { READABLE_VIEW_SETTINGS, waitForViewText } from '../harness/readOnlyViews';
import { storedSecrets } from '../harness/secretStorage';
import {
  answerInputBox, clearNotifications, pickQuickItem, runCommand, tokenStatusItem, waitForNotification,
} from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

const LEGACY_SECRET_KEYS = ['authCodeFlow.clientSecret', 'authCodeFlow.subscriptionKey', 'authCodeFlow.tokenSet'];
/** The fixed id the migration gives the app (src/core/apps/legacyMigration.ts, MIGRATED_APP_ID). */
const MIGRATED_APP_ID = 'migrated-app';
const LEGACY_SETTING = /"authCodeFlow\.(provider|authorizationEndpoint|tokenEndpoint|apiBaseUrl|clientId|scopes|clientAuthentication|redirectMode|loopbackPort|loopbackHost|subscriptionKeyHeader|pkce|issuer|extraAuthorizationParameters|skyEnvironmentId)"/;

describe('upgrading from the single-app release keeps the app, its secrets and its tokens', function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let session: EditorSession;

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true });
    session = await startEditorSession('upgrade', {
      vsix: previousReleaseVsix(),
      env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer },
      userSettings: { 'authCodeFlow.autoRefresh': false, ...READABLE_VIEW_SETTINGS },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  function settingsFiles(): string[] {
    return ['User', 'Machine'].map((folder) => join(session.server.userDataDir, folder, 'settings.json')).filter((file) => existsSync(file));
  }

  let legacySecrets: Map<string, string>;
  let oldAccessToken: string | undefined;

  it('the single-app release: Configure App and Authorize App store the secrets and tokens under its keys', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    // That release's questions, as its users answered them.
    await pickQuickItem(page, 'Local sandbox');
    await answerInputBox(page, 'URL of the local sandbox');
    await answerInputBox(page, 'Application (client) ID');
    await answerInputBox(page, 'Application secret');
    await answerInputBox(page, 'Subscription key');
    await pickQuickItem(page, 'Loopback redirect');
    await answerInputBox(page, 'Loopback port', '0');
    await answerInputBox(page, 'Scopes');
    await waitForNotification(page, 'Saved. Register this redirect URI');
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await consentInBrowser(session, sandbox, approve);
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close().catch(() => undefined);
    legacySecrets = await storedSecrets(page);
    assert.deepEqual([...legacySecrets.keys()].sort(), [...LEGACY_SECRET_KEYS].sort());
    assert.ok(settingsFiles().some((file) => LEGACY_SETTING.test(readFileSync(file, 'utf8'))), 'the release kept its app in authCodeFlow.* settings');
  });

  it('after installing this build and reloading: the app is the first named app, its secrets and tokens moved, nothing left behind', async () => {
    const { page } = session;
    installVsix(session.stateDir, packagedExtension(), { force: true });
    await page.reload();
    // The status bar names the app (the old preset's label, as the migration names it) and counts the
    // migrated token down: no new authorization happened. While the migration runs it shows the app
    // before its tokens have moved ("· Authorize"), so only the countdown means the tokens arrived.
    await tokenStatusItem(page).filter({ hasText: /Local sandbox \(npm run sandbox\) · \d+m/ }).waitFor({ timeout: 60_000 });
    // The old keys are deleted after each value is copied; the extension logs the end of the migration.
    await waitForExtensionLog(session, /Upgrade: the app ".+" has the old secrets, tokens and state; the old settings were cleared\./,
      'The migration did not finish', 30_000);
    const after = await storedSecrets(page);
    for (const key of LEGACY_SECRET_KEYS) assert.ok(!after.has(key), `${key} is gone after the migration`);
    // Each value is now under the migrated app's key of the same name, and nothing else is stored.
    const movedTo = (legacyKey: string): string => `authCodeFlow.app.${MIGRATED_APP_ID}.${legacyKey.replace('authCodeFlow.', '')}`;
    assert.deepEqual([...after.keys()].sort(), LEGACY_SECRET_KEYS.map(movedTo).sort(), 'only the migrated app\'s keys');
    for (const key of ['authCodeFlow.clientSecret', 'authCodeFlow.subscriptionKey']) {
      assert.equal(after.get(movedTo(key)), legacySecrets.get(key), `the value stored under ${key} moved as it was`);
    }
    // The token record keeps the tokens the old release stored (its format may carry more fields now).
    const oldTokens = (JSON.parse(legacySecrets.get('authCodeFlow.tokenSet') ?? '{}') as { tokenSet?: { accessToken?: string; refreshToken?: string } }).tokenSet;
    assert.ok(oldTokens?.accessToken && oldTokens.refreshToken, 'the old release stored an access and a refresh token');
    oldAccessToken = oldTokens.accessToken;
    const newRecord = after.get(movedTo('authCodeFlow.tokenSet')) ?? '';
    assert.ok(newRecord.includes(oldTokens.accessToken) && newRecord.includes(oldTokens.refreshToken), 'the migrated token record holds the same tokens');
    for (const file of settingsFiles()) assert.doesNotMatch(readFileSync(file, 'utf8'), LEGACY_SETTING, `no single-app setting left in ${file}`);
    assert.ok(settingsFiles().some((file) => /"authCodeFlow\.apps"/.test(readFileSync(file, 'utf8'))), 'the app is in authCodeFlow.apps');
  });

  it('Call the API works at once with the migrated token, without a new authorization', async () => {
    const { page } = session;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Call the API');
    await answerInputBox(page, 'Path to GET');
    const response = await waitForViewText(page, 'API Response.md', /→ 200 OK/);
    assert.ok(oldAccessToken && (await sandbox.issued()).includes(oldAccessToken), 'the old release\'s access token was issued by this sandbox');
    assert.match(response, /"client_id": "sandbox-basic-client"/);
    // The token endpoint saw the old release's one authorization and nothing since: no new consent, no refresh.
    assert.deepEqual((await sandbox.events()).map((event) => `${event.grant_type} ${event.status}`), ['authorization_code 200']);
    assertNoSecretsInUserData(session, [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key, ...(await sandbox.issued())]);
  });
});
