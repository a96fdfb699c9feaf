import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { configurationFromPreset, presetById } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { migrateLegacyApp, type MigrationHost } from '../../src/editor/apps/legacyMigration';
import { SettingsAppRegistry } from '../../src/editor/apps/settingsAppRegistry';
import { SecretStore } from '../../src/editor/secretStore';
import { SETTINGS_SECTION, authorizationTimeoutMs, readActiveApp, readConfiguration, requestTimeoutMs } from '../../src/editor/settings';
import { clearApps, useSingleApp } from './appSettings';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

function tokenSet(accessToken: string): TokenSet {
  return { accessToken, tokenType: 'Bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000, refreshToken: `${accessToken}-refresh`, extra: {} };
}

/**
 * The extension's own SecretStorage is private to it; SecretStore is exercised over a SecretStorage
 * with the same contract, built from the editor's real EventEmitter.
 */
function inMemorySecrets(): vscode.SecretStorage & { keys(): Promise<string[]> } {
  const values = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => { values.set(key, value); changed.fire({ key }); },
    delete: async (key) => { values.delete(key); changed.fire({ key }); },
    keys: async () => [...values.keys()],
    onDidChange: changed.event,
  } as vscode.SecretStorage & { keys(): Promise<string[]> };
}

describe('apps in settings and secret storage in the real editor', () => {
  const log = vscode.window.createOutputChannel('Auth Code Flow in-host test', { log: true });
  let registry: SettingsAppRegistry;
  beforeEach(() => { registry = new SettingsAppRegistry(log); });
  afterEach(async () => {
    registry.dispose();
    await clearApps();
  });
  after(() => log.dispose());

  it('adds apps to authCodeFlow.apps, makes the new one active and reads the same configuration back', async () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'app-1234', scopes: ['a', 'b'], loopbackPort: 5001 });
    let changes = 0;
    const listener = registry.onDidChange(() => { changes += 1; });
    try {
      const first = await registry.add('SKY production', sky);
      assert.deepEqual(readConfiguration(), sky);
      const sandbox = configurationFromPreset(presetById('generic'), { clientId: 'other', tokenEndpoint: 'https://b.example/token' });
      const second = await registry.add('Staging', sandbox);
      assert.equal(registry.active()?.id, second.id);
      assert.deepEqual(readConfiguration(), sandbox);
      assert.deepEqual(registry.list().map((app) => app.name), ['SKY production', 'Staging']);
      await assert.rejects(registry.add('staging ', sky), /already exists/);
      await registry.setActive(first.id);
      assert.equal(readConfiguration().clientId, 'app-1234');
      const stored = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<{ id: string; clientId: string }[]>('apps');
      assert.deepEqual(stored?.map((entry) => entry.clientId), ['app-1234', 'other']);
      assert.ok(changes >= 3, `onDidChange fired ${changes} times`);
    } finally {
      listener.dispose();
    }
  });

  it('falls back to the first app when the active one is removed, and to the empty configuration with none', async () => {
    const a = await registry.add('A', configurationFromPreset(presetById('sky'), { clientId: 'a' }));
    const b = await registry.add('B', configurationFromPreset(presetById('sky'), { clientId: 'b' }));
    await registry.remove(b.id);
    assert.equal(registry.active()?.id, a.id);
    assert.equal(vscode.workspace.getConfiguration(SETTINGS_SECTION).get('activeApp'), a.id);
    await registry.remove(a.id);
    assert.equal(registry.active(), undefined);
    assert.equal(readConfiguration().clientId, '');
  });

  it('keeps SKY\'s environment ID for a SKY app only', async () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'app-1234', environmentId: 'p-abcdef1234567890ABCDEFG' });
    const app = await registry.add('SKY', sky);
    assert.deepEqual(readConfiguration(), sky);
    await registry.update(app.id, { ...sky, preset: 'generic' });
    assert.equal(readConfiguration().environmentId, undefined, 'another provider is not sent SKY\'s environment_id');
  });

  it('keeps an entry it cannot read in settings.json when it writes the list', async () => {
    const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const broken = { id: 'broken', name: 'Broken', loopbackPort: 'five thousand' };
    await settings.update('apps', [broken], vscode.ConfigurationTarget.Global);
    assert.deepEqual(registry.list(), []);
    await registry.add('Fine', configurationFromPreset(presetById('sky'), { clientId: 'fine' }));
    // A WorkspaceConfiguration is a snapshot: read the written value from a fresh one.
    const stored = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown[]>('apps');
    assert.deepEqual(stored?.[0], broken);
    assert.deepEqual(registry.list().map((app) => app.name), ['Fine']);
  });

  it('declares no setting that could hold a secret, in the app objects either', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const properties = (extension?.packageJSON.contributes.configuration.properties ?? {}) as Record<string, { type?: string; items?: { properties?: Record<string, { type?: string }> } }>;
    assert.ok(Object.keys(properties).length > 5);
    const appFields = properties['authCodeFlow.apps']?.items?.properties ?? {};
    assert.ok(Object.keys(appFields).includes('clientId'), 'the app objects are described');
    for (const [key, schema] of [...Object.entries(properties), ...Object.entries(appFields)]) {
      // A switch such as preserveRefreshToken names a token but cannot hold one.
      if (schema.type === 'boolean') continue;
      assert.doesNotMatch(key, /secret(?!Basic)|password|token(?!Endpoint)|subscriptionKey$/i, key);
    }
  });

  it('lets the upgrade remove a single-app setting that package.json no longer declares', async () => {
    // What legacyMigration does last; VS Code refuses to write an undeclared key, but not to remove one.
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('clientId', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect('clientId')?.globalValue, undefined);
  });
});

describe('secret storage per app', () => {
  const app = { tokenEndpoint: 'https://provider.example/token', clientId: 'app-1', apiBaseUrl: 'https://api.provider.example' };

  it('keeps each app\'s token set under its own key, and tells which app changed', async () => {
    const secrets = inMemorySecrets();
    const store = new SecretStore(secrets);
    const changed: string[] = [];
    const listener = store.onDidChangeTokens(({ appId }) => { changed.push(appId); });
    try {
      await store.forApp('app-a').storeTokenSet(app, tokenSet('access-a'));
      await store.forApp('app-b').storeTokenSet(app, tokenSet('access-b'));
      assert.equal((await store.forApp('app-a').tokenSet(app))?.accessToken, 'access-a');
      assert.equal((await store.forApp('app-b').tokenSet(app))?.accessToken, 'access-b');
      assert.equal(await store.forApp('app-a').tokenSet({ ...app, clientId: 'another-app' }), undefined, 'tokens of another client are not reused');
      await store.forApp('app-a').deleteTokenSet();
      assert.equal(await store.forApp('app-a').tokenSet(app), undefined);
      assert.equal((await store.forApp('app-b').tokenSet(app))?.accessToken, 'access-b', 'the other app keeps its tokens');
      assert.deepEqual(changed, ['app-a', 'app-b', 'app-a']);
      assert.deepEqual((await secrets.keys()).sort(), ['authCodeFlow.app.app-b.tokenSet']);
    } finally {
      listener.dispose();
      store.dispose();
    }
  });

  it('deleteAll removes every secret of one app and nothing of another', async () => {
    const secrets = inMemorySecrets();
    const store = new SecretStore(secrets);
    try {
      for (const id of ['app-a', 'app-b']) {
        const appStore = store.forApp(id);
        await appStore.storeClientSecret(`secret-${id}`, app);
        await appStore.storeSubscriptionKey(`key-${id}`, app);
        await appStore.storeTokenSet(app, tokenSet(`access-${id}`));
        await appStore.storeRefreshLease({ owner: 'window', fingerprint: 'hash', expiresAt: Date.now() + 1000 });
      }
      await store.forApp('app-a').deleteAll();
      assert.deepEqual((await secrets.keys()).filter((key) => key.includes('app-a')), []);
      assert.equal((await secrets.keys()).filter((key) => key.includes('app-b')).length, 4);
      assert.deepEqual(await store.forApp('app-b').appSecrets(), { clientSecret: 'secret-app-b', subscriptionKey: 'key-app-b' });
    } finally {
      store.dispose();
    }
  });
});

describe('secrets remember where they may be sent (issue 10, finding 6)', () => {
  const appA = { tokenEndpoint: 'https://a.example/token', clientId: 'app-1', apiBaseUrl: 'https://api.a.example' };
  const appB = { ...appA, tokenEndpoint: 'https://b.example/token', apiBaseUrl: 'https://api.b.example' };

  it('stores the app secret and the subscription key bound to their origins, and rebinds only when told', async () => {
    const store = new SecretStore(inMemorySecrets()).forApp('app-a');
    await store.storeClientSecret('secret-1', appA);
    await store.storeSubscriptionKey('key-1', appA);
    assert.deepEqual(await store.appSecrets(), { clientSecret: 'secret-1', subscriptionKey: 'key-1' });
    assert.deepEqual(await store.storedBinding('clientSecret', appB), { origin: 'https://a.example', clientId: 'app-1' });
    assert.deepEqual(await store.storedBinding('subscriptionKey', appB), { origin: 'https://api.a.example' });
    await store.bind('subscriptionKey', appB, { origin: 'https://api.b.example' });
    assert.deepEqual(await store.storedBinding('subscriptionKey', appB), { origin: 'https://api.b.example' });
    assert.deepEqual(await store.appSecrets(), { clientSecret: 'secret-1', subscriptionKey: 'key-1' });
  });

  it('reads secrets stored before bindings as unbound, values unchanged', async () => {
    const secrets = inMemorySecrets();
    await secrets.store('authCodeFlow.app.app-a.clientSecret', 'legacy-secret');
    const store = new SecretStore(secrets).forApp('app-a');
    assert.equal(await store.storedBinding('clientSecret', appA), 'unbound');
    assert.deepEqual(await store.appSecrets(), { clientSecret: 'legacy-secret' });
    assert.equal(await store.storedBinding('subscriptionKey', appA), 'absent');
  });

  it('binds a first token set to the API origin and keeps that binding through refreshes', async () => {
    const store = new SecretStore(inMemorySecrets()).forApp('app-a');
    await store.storeTokenSet(appA, tokenSet('access-1'));
    assert.deepEqual(await store.storedBinding('accessToken', appA), { origin: 'https://api.a.example' });
    await store.storeTokenSet({ ...appA, apiBaseUrl: 'https://api.b.example' }, tokenSet('access-2'));
    assert.deepEqual(await store.storedBinding('accessToken', appA), { origin: 'https://api.a.example' }, 'a refresh does not rebind');
    assert.equal((await store.tokenSet(appA))?.accessToken, 'access-2');
  });
});

describe('workspace settings cannot redirect the flow', () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const settingsFile = folder && vscode.Uri.joinPath(folder, '.vscode', 'settings.json');

  after(async () => {
    if (settingsFile) await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await clearApps();
  });

  it('ignores a workspace .vscode/settings.json that points the token endpoint elsewhere', async () => {
    assert.ok(settingsFile, 'the in-host suite runs with a workspace folder');
    await useSingleApp(configurationFromPreset(presetById('sky'), { clientId: 'app-1234' }));
    // A repository's settings: editor.tabSize is harmless and shows when the file has been read. Every
    // authCodeFlow setting is machine scope, the timeouts included (a huge one overflowed setTimeout).
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify({
      'authCodeFlow.apps': [{ id: 'attacker', name: 'Attacker', tokenEndpoint: 'https://attacker.example/token', clientId: 'attacker-app' }],
      'authCodeFlow.activeApp': 'attacker',
      'authCodeFlow.requestTimeoutSeconds': 1e12,
      'authCodeFlow.authorizationTimeoutMinutes': 'x',
      'editor.tabSize': 7,
    })));
    const deadline = Date.now() + 10_000;
    while (vscode.workspace.getConfiguration('editor').get('tabSize') !== 7) {
      assert.ok(Date.now() < deadline, 'the workspace settings file was not picked up within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const config = readConfiguration();
    assert.equal(config.tokenEndpoint, 'https://oauth2.sky.blackbaud.com/token');
    assert.equal(config.clientId, 'app-1234');
    assert.equal(requestTimeoutMs(), 30_000);
    assert.equal(authorizationTimeoutMs(), 5 * 60_000);
  });
});

describe('the upgrade from single-app settings, in the real editor', () => {
  const LEGACY = { 'authCodeFlow.provider': 'sandbox', 'authCodeFlow.clientId': 'legacy-app', 'authCodeFlow.tokenEndpoint': 'http://127.0.0.1:4477/token',
    'authCodeFlow.redirectMode': 'uriHandler', 'authCodeFlow.loopbackPort': 0 };
  const log = vscode.window.createOutputChannel('Auth Code Flow migration test', { log: true });

  after(async () => {
    await clearApps();
    log.dispose();
  });

  /**
   * The old keys are no longer declared, so settings.update() refuses to write them: they go into the user
   * settings.json the way an older version left them there, through the editor's own settings file.
   */
  async function writeLegacyUserSettings(): Promise<void> {
    // Machine-scoped settings written at the user level land in the remote machine's settings in a remote
    // window (code-server), in the user's settings.json otherwise: where the old version wrote them.
    await vscode.commands.executeCommand(vscode.env.remoteName ? 'workbench.action.openRemoteSettingsFile' : 'workbench.action.openSettingsJson');
    // The command may return before its editor is shown.
    const opened = Date.now() + 10_000;
    const settingsEditor = (): vscode.TextEditor | undefined => vscode.window.visibleTextEditors.find((editor) => /settings\.json$/.test(editor.document.uri.path));
    while (!settingsEditor() && Date.now() < opened) await new Promise((resolve) => setTimeout(resolve, 100));
    const document = settingsEditor()?.document;
    assert.ok(document, `no settings.json was opened; visible: ${vscode.window.visibleTextEditors.map((editor) => editor.document.uri.toString()).join(', ')}`);
    const current = document.getText().trim() ? JSON.parse(document.getText()) as Record<string, unknown> : {};
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // Written as a file, not through the editor: save participants can time out on a loaded machine.
    await vscode.workspace.fs.writeFile(document.uri, Buffer.from(JSON.stringify({ ...current, ...LEGACY }, undefined, 2)));
    const deadline = Date.now() + 10_000;
    while (vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect('clientId')?.globalValue !== 'legacy-app') {
      assert.ok(Date.now() < deadline, `the edited ${document.uri.toString()} was not picked up within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('makes the first app of them, moves the secrets and state, and clears the old keys', async () => {
    await writeLegacyUserSettings();
    const secrets = inMemorySecrets();
    await secrets.store('authCodeFlow.clientSecret', 'old-secret');
    await secrets.store('authCodeFlow.tokenSet', 'old-token-record');
    const state = new Map<string, unknown>([['authCodeFlow.lastApiPath', { apiBaseUrl: 'x', clientId: 'legacy-app', path: '/me' }]]);
    const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const app = await migrateLegacyApp({
      userValue: (key) => settings().inspect<unknown>(key)?.globalValue,
      updateUserValue: (key, value) => settings().update(key, value, vscode.ConfigurationTarget.Global),
      secrets,
      globalState: {
        get: <T>(key: string): T | undefined => state.get(key) as T | undefined,
        update: async (key: string, value: unknown) => { if (value === undefined) state.delete(key); else state.set(key, value); },
      } as MigrationHost['globalState'],
      log,
    });
    assert.equal(app?.name, 'Local sandbox (npm run sandbox)');
    const active = readActiveApp();
    assert.equal(active?.id, app?.id);
    assert.equal(active?.configuration.clientId, 'legacy-app');
    assert.equal(active?.configuration.redirectMode, 'uriHandler');
    assert.equal(active?.configuration.loopbackPort, 0);
    for (const key of Object.keys(LEGACY)) {
      assert.equal(settings().inspect(key.replace('authCodeFlow.', ''))?.globalValue, undefined, `${key} is left in settings.json`);
    }
    assert.deepEqual((await secrets.keys()).sort(), [`authCodeFlow.app.${app?.id}.clientSecret`, `authCodeFlow.app.${app?.id}.tokenSet`]);
    assert.equal(await secrets.get(`authCodeFlow.app.${app?.id}.tokenSet`), 'old-token-record');
    assert.deepEqual([...state.keys()], [`authCodeFlow.app.${app?.id}.lastApiPath`]);
  });
});
