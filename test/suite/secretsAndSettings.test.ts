import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { configurationFromPreset, presetById } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { SecretStore } from '../../src/editor/secretStore';
import { SETTINGS_SECTION, authorizationTimeoutMs, readConfiguration, requestTimeoutMs, writeConfiguration } from '../../src/editor/settings';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

function tokenSet(accessToken: string): TokenSet {
  return { accessToken, tokenType: 'Bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000, refreshToken: `${accessToken}-refresh`, extra: {} };
}

/**
 * The extension's own SecretStorage is private to it; SecretStore is exercised over a SecretStorage
 * with the same contract, built from the editor's real EventEmitter.
 */
function inMemorySecrets(): vscode.SecretStorage {
  const values = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => { values.set(key, value); changed.fire({ key }); },
    delete: async (key) => { values.delete(key); changed.fire({ key }); },
    keys: async () => [...values.keys()],
    onDidChange: changed.event,
  } as vscode.SecretStorage;
}

describe('settings and secret storage in the real editor', () => {
  afterEach(async () => {
    const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    for (const key of ['provider', 'clientId', 'tokenEndpoint', 'authorizationEndpoint', 'redirectMode', 'loopbackPort', 'scopes', 'skyEnvironmentId']) {
      await settings.update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('writes the configuration to authCodeFlow.* settings and reads the same back', async () => {
    const config = configurationFromPreset(presetById('sky'), { clientId: 'app-1234', scopes: ['a', 'b'], loopbackPort: 5001 });
    await writeConfiguration(config);
    assert.deepEqual(readConfiguration(), config);
    assert.equal(vscode.workspace.getConfiguration(SETTINGS_SECTION).get('clientId'), 'app-1234');
  });

  it('keeps SKY\'s environment ID in authCodeFlow.skyEnvironmentId, and uses it only for SKY', async () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'app-1234', environmentId: 'p-abcdef1234567890ABCDEFG' });
    await writeConfiguration(sky);
    assert.equal(vscode.workspace.getConfiguration(SETTINGS_SECTION).get('skyEnvironmentId'), 'p-abcdef1234567890ABCDEFG');
    assert.deepEqual(readConfiguration(), sky);
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('provider', 'generic', vscode.ConfigurationTarget.Global);
    assert.equal(readConfiguration().environmentId, undefined, 'another provider is not sent SKY\'s environment_id');
  });

  it('declares no setting that could hold a secret', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const properties = (extension?.packageJSON.contributes.configuration.properties ?? {}) as Record<string, { type?: string }>;
    assert.ok(Object.keys(properties).length > 5);
    for (const [key, schema] of Object.entries(properties)) {
      // A switch such as preserveRefreshToken names a token but cannot hold one.
      if (schema.type === 'boolean') continue;
      assert.doesNotMatch(key, /secret(?!Basic)|password|token(?!Endpoint)|subscriptionKey$/i, key);
    }
  });

  it('keeps the token set for the application it was issued to, and forgets it on delete', async () => {
    const store = new SecretStore(inMemorySecrets());
    const app = { tokenEndpoint: 'https://provider.example/token', clientId: 'app-1', apiBaseUrl: 'https://api.provider.example' };
    let changes = 0;
    const listener = store.onDidChangeTokens(() => { changes += 1; });
    try {
      await store.storeTokenSet(app, tokenSet('access-1'));
      assert.equal((await store.tokenSet(app))?.accessToken, 'access-1');
      assert.equal(await store.tokenSet({ ...app, clientId: 'another-app' }), undefined, 'tokens of another app are not reused');
      await store.deleteTokenSet();
      assert.equal(await store.tokenSet(app), undefined);
      assert.ok(changes >= 2, `onDidChangeTokens fired ${changes} times`);
    } finally {
      listener.dispose();
      store.dispose();
    }
  });
});

describe('secrets remember where they may be sent (issue 10, finding 6)', () => {
  const appA = { tokenEndpoint: 'https://a.example/token', clientId: 'app-1', apiBaseUrl: 'https://api.a.example' };
  const appB = { ...appA, tokenEndpoint: 'https://b.example/token', apiBaseUrl: 'https://api.b.example' };

  it('stores the app secret and the subscription key bound to their origins, and rebinds only when told', async () => {
    const store = new SecretStore(inMemorySecrets());
    try {
      await store.storeClientSecret('secret-1', appA);
      await store.storeSubscriptionKey('key-1', appA);
      assert.deepEqual(await store.appSecrets(), { clientSecret: 'secret-1', subscriptionKey: 'key-1' });
      assert.deepEqual(await store.storedBinding('clientSecret', appB), { origin: 'https://a.example', clientId: 'app-1' });
      assert.deepEqual(await store.storedBinding('subscriptionKey', appB), { origin: 'https://api.a.example' });
      await store.bind('subscriptionKey', appB, { origin: 'https://api.b.example' });
      assert.deepEqual(await store.storedBinding('subscriptionKey', appB), { origin: 'https://api.b.example' });
      assert.deepEqual(await store.appSecrets(), { clientSecret: 'secret-1', subscriptionKey: 'key-1' });
    } finally {
      store.dispose();
    }
  });

  it('reads secrets stored before bindings as unbound, values unchanged', async () => {
    const secrets = inMemorySecrets();
    await secrets.store('authCodeFlow.clientSecret', 'legacy-secret');
    const store = new SecretStore(secrets);
    try {
      assert.equal(await store.storedBinding('clientSecret', appA), 'unbound');
      assert.deepEqual(await store.appSecrets(), { clientSecret: 'legacy-secret' });
      assert.equal(await store.storedBinding('subscriptionKey', appA), 'absent');
    } finally {
      store.dispose();
    }
  });

  it('binds a first token set to the API origin and keeps that binding through refreshes', async () => {
    const store = new SecretStore(inMemorySecrets());
    try {
      await store.storeTokenSet(appA, tokenSet('access-1'));
      assert.deepEqual(await store.storedBinding('accessToken', appA), { origin: 'https://api.a.example' });
      await store.storeTokenSet({ ...appA, apiBaseUrl: 'https://api.b.example' }, tokenSet('access-2'));
      assert.deepEqual(await store.storedBinding('accessToken', appA), { origin: 'https://api.a.example' }, 'a refresh does not rebind');
      assert.equal((await store.tokenSet(appA))?.accessToken, 'access-2');
    } finally {
      store.dispose();
    }
  });
});

describe('workspace settings cannot redirect the flow', () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const settingsFile = folder && vscode.Uri.joinPath(folder, '.vscode', 'settings.json');

  after(async () => {
    if (settingsFile) await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
  });

  it('ignores a workspace .vscode/settings.json that points the token endpoint elsewhere', async () => {
    assert.ok(settingsFile, 'the in-host suite runs with a workspace folder');
    await writeConfiguration(configurationFromPreset(presetById('sky'), { clientId: 'app-1234' }));
    // A repository's settings: editor.tabSize is harmless and shows when the file has been read. Every
    // authCodeFlow setting is machine scope, the timeouts included (a huge one overflowed setTimeout).
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify({
      'authCodeFlow.tokenEndpoint': 'https://attacker.example/token',
      'authCodeFlow.clientId': 'attacker-app',
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
