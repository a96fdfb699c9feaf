// The upgrade from the single-app settings, run against fakes of the user settings, SecretStorage and
// globalState that behave like VS Code's: each await is a point where a window can be closed, and two
// windows share all three stores.
import * as assert from 'node:assert/strict';
import { parseAppList } from '../../../src/core/apps/appList';
import { MIGRATED_APP_ID } from '../../../src/core/apps/legacyMigration';
import { legacyDataPresent, migrateLegacyApp, type MigrationHost } from '../../../src/editor/apps/legacyMigration';

const TOKEN_RECORD = JSON.stringify({ version: 1, tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token', clientId: 'app-1234', tokenSet: { accessToken: 'at' } });
const OLD_SETTINGS: Record<string, unknown> = {
  provider: 'sky', tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token', authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization',
  apiBaseUrl: 'https://api.sky.blackbaud.com', clientId: 'app-1234', subscriptionKeyHeader: 'Bb-Api-Subscription-Key', redirectMode: 'loopback',
};
const OLD_SECRETS: Record<string, string> = {
  'authCodeFlow.clientSecret': '{"v":"secret"}',
  'authCodeFlow.subscriptionKey': '{"v":"key"}',
  'authCodeFlow.tokenSet': TOKEN_RECORD,
  'authCodeFlow.refreshLease': '{"owner":"w"}',
};
const OLD_STATE: Record<string, unknown> = {
  'authCodeFlow.basicCredentialEncodings': [{ tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token', clientId: 'app-1234', encoding: 'raw' }],
  'authCodeFlow.lastApiPath': { apiBaseUrl: 'https://api.sky.blackbaud.com', clientId: 'app-1234', path: '/constituent/v1/constituents?limit=1' },
};

/** The stores two windows share. */
interface Machine {
  settings: Map<string, unknown>;
  secrets: Map<string, string>;
  state: Map<string, unknown>;
  /** Every operation, for the interruption test. */
  operations: number;
}

function machine(): Machine {
  return {
    settings: new Map(Object.entries(OLD_SETTINGS)),
    secrets: new Map(Object.entries(OLD_SECRETS)),
    state: new Map(Object.entries(OLD_STATE)),
    operations: 0,
  };
}

class Interrupted extends Error {}

/** One window's view of the machine; with `stopAfter`, the window "closes" once that many writes were done. */
function host(m: Machine, stopAfter = Number.POSITIVE_INFINITY): MigrationHost & { secretReads: number } {
  let writes = 0;
  const write = async (apply: () => void): Promise<void> => {
    await Promise.resolve();
    if (writes >= stopAfter) throw new Interrupted();
    writes += 1;
    m.operations += 1;
    apply();
  };
  const result = {
    secretReads: 0,
    userValue: (key: string) => m.settings.get(key),
    updateUserValue: (key: string, value: unknown) => write(() => { if (value === undefined) m.settings.delete(key); else m.settings.set(key, structuredClone(value)); }),
    secrets: {
      get: async (key: string) => { result.secretReads += 1; await Promise.resolve(); return m.secrets.get(key); },
      store: (key: string, value: string) => write(() => { m.secrets.set(key, value); }),
      delete: (key: string) => write(() => { m.secrets.delete(key); }),
    },
    globalState: {
      get: <T>(key: string) => m.state.get(key) as T,
      keys: () => [...m.state.keys()],
      update: (key: string, value: unknown) => write(() => { if (value === undefined) m.state.delete(key); else m.state.set(key, value); }),
    },
    log: { info: () => undefined, warn: () => undefined },
  };
  return result as unknown as MigrationHost & { secretReads: number };
}

/** What a fully migrated machine holds: the app, its secrets and state under its keys, nothing old. */
function assertMigrated(m: Machine): void {
  const { apps, problems } = parseAppList(m.settings.get('apps'));
  assert.deepEqual(problems, []);
  assert.equal(apps.length, 1, 'exactly one app');
  assert.equal(apps[0]?.id, MIGRATED_APP_ID);
  assert.equal(apps[0]?.name, 'Blackbaud SKY API');
  assert.equal(apps[0]?.configuration.clientId, 'app-1234');
  assert.equal(m.settings.get('activeApp'), MIGRATED_APP_ID);
  assert.deepEqual([...m.settings.keys()].sort(), ['activeApp', 'apps'], 'no old setting is left');
  assert.deepEqual(Object.fromEntries(m.secrets), {
    'authCodeFlow.app.migrated-app.clientSecret': OLD_SECRETS['authCodeFlow.clientSecret'],
    'authCodeFlow.app.migrated-app.subscriptionKey': OLD_SECRETS['authCodeFlow.subscriptionKey'],
    'authCodeFlow.app.migrated-app.tokenSet': TOKEN_RECORD,
  });
  assert.deepEqual(Object.fromEntries(m.state), {
    'authCodeFlow.app.migrated-app.basicCredentialEncodings': OLD_STATE['authCodeFlow.basicCredentialEncodings'],
    'authCodeFlow.app.migrated-app.lastApiPath': OLD_STATE['authCodeFlow.lastApiPath'],
  });
}

describe('the upgrade to named apps, at activation', () => {
  it('moves settings, secrets and state to the first app, leaving nothing under the old keys', async () => {
    const m = machine();
    const app = await migrateLegacyApp(host(m));
    assert.equal(app?.id, MIGRATED_APP_ID);
    assertMigrated(m);
  });

  it('does not touch SecretStorage when there is nothing to migrate, and again after a migration', async () => {
    const fresh: Machine = { settings: new Map(), secrets: new Map(), state: new Map(), operations: 0 };
    const window = host(fresh);
    assert.equal(legacyDataPresent(window), false);
    assert.equal(await migrateLegacyApp(window), undefined);
    assert.equal(window.secretReads, 0);
    assert.equal(fresh.operations, 0);

    const m = machine();
    await migrateLegacyApp(host(m));
    const next = host(m);
    const operations = m.operations;
    assert.equal(await migrateLegacyApp(next), undefined);
    assert.equal(next.secretReads, 0);
    assert.equal(m.operations, operations, 'a second activation writes nothing');
  });

  it('finishes the job at the next activation, whichever write a window closed after', async () => {
    const total = (() => {
      const m = machine();
      return migrateLegacyApp(host(m)).then(() => m.operations);
    })();
    const writes = await total;
    assert.ok(writes >= 12, `${writes} writes`);
    for (let stopAfter = 0; stopAfter < writes; stopAfter += 1) {
      const m = machine();
      // A secret write that fails comes back wrapped (secretWrite), so any rejection counts.
      await assert.rejects(migrateLegacyApp(host(m, stopAfter)));
      // Nothing is lost in between: every old value is still under its old key or already under the new one.
      for (const [key, value] of Object.entries(OLD_SECRETS)) {
        if (key === 'authCodeFlow.refreshLease') continue;
        const moved = m.secrets.get(key.replace('authCodeFlow.', 'authCodeFlow.app.migrated-app.'));
        assert.ok(m.secrets.get(key) === value || moved === value, `after ${stopAfter} writes, ${key} is lost`);
      }
      await migrateLegacyApp(host(m));
      assertMigrated(m);
    }
  });

  it('ends in the same state when two windows migrate at once', async () => {
    const m = machine();
    await Promise.all([migrateLegacyApp(host(m)), migrateLegacyApp(host(m))]);
    assertMigrated(m);
  });

  it('never overwrites tokens already under the app\'s key with the old ones', async () => {
    const m = machine();
    m.settings.set('apps', [{ id: MIGRATED_APP_ID, name: 'Blackbaud SKY API', clientId: 'app-1234' }]);
    m.secrets.set('authCodeFlow.app.migrated-app.tokenSet', 'newer');
    await migrateLegacyApp(host(m));
    assert.equal(m.secrets.get('authCodeFlow.app.migrated-app.tokenSet'), 'newer');
    assert.equal(m.secrets.has('authCodeFlow.tokenSet'), false);
  });

  it('adds the migrated app after the user\'s own apps and leaves the active one alone', async () => {
    const m = machine();
    m.settings.set('apps', [{ id: 'mine', name: 'Mine' }]);
    m.settings.set('activeApp', 'mine');
    await migrateLegacyApp(host(m));
    const { apps } = parseAppList(m.settings.get('apps'));
    assert.deepEqual(apps.map((app) => app.id), ['mine', MIGRATED_APP_ID]);
    assert.equal(m.settings.get('activeApp'), 'mine');
  });
});
