import * as assert from 'node:assert/strict';
import type { NamedApp } from '../../../../src/core/apps/namedApp';
import { removeAppEverywhere, type AppRemovalDependencies } from '../../../../src/editor/apps/appRemoval';
import { FakeAppRegistry } from '../../support/fakeAppRegistry';
import { sandboxApp, skyApp, unconfiguredApp } from '../../support/namedApps';

/** Secrets per app id, as SecretStore.forApp(id) would hold them; every step is recorded in order. */
function setUp(apps: NamedApp[], activeId: string, options: { deleteFails?: boolean; removeFails?: boolean } = {}) {
  const registry = new FakeAppRegistry(apps, activeId);
  const secrets = new Map(apps.map((app) => [app.id, ['clientSecret', 'subscriptionKey', 'tokenSet', 'refreshLease']]));
  const steps: string[] = [];
  const remove = registry.remove.bind(registry);
  registry.remove = async (id) => {
    steps.push(`remove settings ${id}`);
    if (options.removeFails) throw new Error('settings are read-only');
    await remove(id);
  };
  const deps: AppRemovalDependencies = {
    registry,
    tokens: {
      deleteAll: async (appId) => {
        steps.push(`delete secrets ${appId}`);
        if (options.deleteFails) throw new Error('keyring locked');
        secrets.delete(appId);
      },
    },
    stopAuthorization: (appId) => { steps.push(`stop authorization ${appId}`); },
    forget: (appId) => steps.push(`forget ${appId}`),
  };
  return { registry, secrets, steps, deps };
}

describe('removeAppEverywhere (Remove App, once confirmed)', function () {
  it('stops its authorization, deletes every secret, then its settings, and activates the next app', async function () {
    const { registry, secrets, steps, deps } = setUp([skyApp(), sandboxApp(), unconfiguredApp()], 'app-sky');
    const outcome = await removeAppEverywhere(deps, skyApp());
    assert.deepEqual(steps, ['stop authorization app-sky', 'delete secrets app-sky', 'remove settings app-sky', 'forget app-sky']);
    assert.equal(secrets.has('app-sky'), false);
    assert.deepEqual([...secrets.keys()], ['app-sandbox', 'app-new'], 'other apps keep their secrets');
    assert.deepEqual(registry.list().map((app) => app.id), ['app-sandbox', 'app-new']);
    assert.equal(outcome.kind, 'removed');
    assert.equal(outcome.kind === 'removed' ? outcome.successor?.id : undefined, 'app-sandbox');
    assert.equal(registry.active()?.id, 'app-sandbox');
  });

  it('leaves the active app alone when another app is removed', async function () {
    const { registry, deps } = setUp([skyApp(), sandboxApp()], 'app-sky');
    const outcome = await removeAppEverywhere(deps, sandboxApp());
    assert.deepEqual(outcome, { kind: 'removed', wasActive: false, appsLeft: 1 });
    assert.deepEqual(registry.activations, []);
    assert.equal(registry.active()?.id, 'app-sky');
  });

  it('activates the one before when the last app in the list was active, and none when no app is left', async function () {
    const two = setUp([skyApp(), sandboxApp()], 'app-sandbox');
    const outcome = await removeAppEverywhere(two.deps, sandboxApp());
    assert.equal(outcome.kind === 'removed' ? outcome.successor?.id : undefined, 'app-sky');
    const one = setUp([skyApp()], 'app-sky');
    assert.deepEqual(await removeAppEverywhere(one.deps, skyApp()), { kind: 'removed', wasActive: true, appsLeft: 0 });
    assert.equal(one.registry.active(), undefined);
  });

  it('keeps the app listed when its secrets cannot be deleted, so nothing is left unreachable', async function () {
    const { registry, secrets, steps, deps } = setUp([skyApp(), sandboxApp()], 'app-sky', { deleteFails: true });
    const outcome = await removeAppEverywhere(deps, skyApp());
    assert.equal(outcome.kind, 'secretsKept');
    assert.deepEqual(steps, ['stop authorization app-sky', 'delete secrets app-sky']);
    assert.ok(registry.byId('app-sky'));
    assert.ok(secrets.has('app-sky'));
    assert.equal(registry.active()?.id, 'app-sky');
  });

  it('says when the secrets went but the settings entry stayed', async function () {
    const { registry, secrets, deps } = setUp([skyApp(), sandboxApp()], 'app-sky', { removeFails: true });
    const outcome = await removeAppEverywhere(deps, skyApp());
    assert.equal(outcome.kind, 'settingsKept');
    assert.equal(secrets.has('app-sky'), false);
    assert.ok(registry.byId('app-sky'), 'a second Remove App finishes the job');
  });
});
