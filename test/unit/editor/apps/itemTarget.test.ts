import * as assert from 'node:assert/strict';
import { APP_ITEM_KIND, appItem, readItemArgument } from '../../../../src/editor/apps/appItemArgument';
import { itemTarget } from '../../../../src/editor/apps/itemTarget';
import { FakeAppRegistry } from '../../support/fakeAppRegistry';
import { sandboxApp, skyApp } from '../../support/namedApps';

describe('readItemArgument (the shape check on a command argument)', function () {
  it('accepts the Apps view element', function () {
    assert.deepEqual(readItemArgument(appItem('app-sky')), { kind: 'app', appId: 'app-sky' });
    assert.deepEqual(readItemArgument(JSON.parse('{"kind":"authCodeFlow.app","appId":"x","extra":1}')), { kind: 'app', appId: 'x' });
  });

  it('passes through what is not an app item: palette (no argument), walkthrough kinds, an editor URI, arrays', function () {
    for (const value of [undefined, null, 'tokenExchange', 42, ['authCodeFlow.app', 'x'], { scheme: 'file', path: '/a.ts' },
      { kind: 'other', appId: 'app-sky' }, Object.create({ kind: APP_ITEM_KIND, appId: 'app-sky' })]) {
      assert.deepEqual(readItemArgument(value), { kind: 'none' }, JSON.stringify(value));
    }
  });

  it('refuses an item whose appId is missing, not a string, empty or oversized', function () {
    for (const appId of [undefined, 7, {}, '', 'a'.repeat(201)]) {
      assert.equal(readItemArgument({ kind: APP_ITEM_KIND, appId }).kind, 'malformed', String(appId));
    }
    assert.equal(readItemArgument({ kind: APP_ITEM_KIND, appId: 'a'.repeat(200) }).kind, 'app');
  });

  it('never calls an accessor and survives a Proxy whose traps throw', function () {
    let called = false;
    const withGetter = Object.defineProperty({ kind: APP_ITEM_KIND }, 'appId', { get: () => { called = true; return 'app-sky'; }, enumerable: true });
    assert.equal(readItemArgument(withGetter).kind, 'malformed');
    const kindGetter = Object.defineProperty({ appId: 'app-sky' }, 'kind', { get: () => { called = true; return APP_ITEM_KIND; } });
    assert.equal(readItemArgument(kindGetter).kind, 'none');
    assert.equal(called, false);
    const hostile = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('trap'); } });
    assert.equal(readItemArgument(hostile).kind, 'malformed');
  });
});

describe('itemTarget (commands run from an Apps view item act on that app)', function () {
  it('makes the item\'s app active, then runs the command without the item arguments', async function () {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp()], 'app-sky');
    const element = appItem('app-sandbox');
    const target = await itemTarget(registry, 'authCodeFlow.refresh', [element, [element]]);
    assert.deepEqual(target, { kind: 'run', args: [] });
    assert.deepEqual(registry.activations, ['app-sandbox']);
    assert.equal(registry.active()?.id, 'app-sandbox');
  });

  it('does not set the active app again when the item is the active one', async function () {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp()], 'app-sky');
    assert.deepEqual(await itemTarget(registry, 'authCodeFlow.callApi', [appItem('app-sky')]), { kind: 'run', args: [] });
    assert.deepEqual(registry.activations, []);
  });

  it('hands Remove App and Switch App the app id instead of making it active', async function () {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp()], 'app-sky');
    assert.deepEqual(await itemTarget(registry, 'authCodeFlow.removeApp', [appItem('app-sandbox')]), { kind: 'run', args: ['app-sandbox'] });
    assert.deepEqual(await itemTarget(registry, 'authCodeFlow.switchApp', [appItem('app-sandbox')]), { kind: 'run', args: ['app-sandbox'] });
    assert.deepEqual(registry.activations, []);
  });

  it('runs palette and walkthrough invocations unchanged', async function () {
    const registry = new FakeAppRegistry([skyApp()]);
    assert.deepEqual(await itemTarget(registry, 'authCodeFlow.insertSnippet', ['tokenExchange']), { kind: 'run', args: ['tokenExchange'] });
    assert.deepEqual(await itemTarget(registry, 'authCodeFlow.authorize', []), { kind: 'run', args: [] });
    assert.deepEqual(registry.activations, []);
  });

  it('runs nothing for an app that no longer exists, saying so, nor for a malformed item, without a message', async function () {
    const registry = new FakeAppRegistry([skyApp()]);
    const gone = await itemTarget(registry, 'authCodeFlow.authorize', [appItem('app-removed')]);
    assert.equal(gone.kind, 'refused');
    assert.match(gone.kind === 'refused' ? gone.message ?? '' : '', /no longer exists/);
    const malformed = await itemTarget(registry, 'authCodeFlow.authorize', [{ kind: APP_ITEM_KIND, appId: 3 }]);
    assert.equal(malformed.kind, 'refused');
    assert.equal(malformed.kind === 'refused' ? malformed.message : 'x', undefined);
    assert.deepEqual(registry.activations, []);
  });

  it('runs nothing when the item\'s app cannot be made active, rather than acting on the active one', async function () {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp()], 'app-sky');
    registry.setActive = () => Promise.reject(new Error('settings are read-only'));
    const target = await itemTarget(registry, 'authCodeFlow.refresh', [appItem('app-sandbox')]);
    assert.equal(target.kind, 'refused');
    assert.match(target.kind === 'refused' ? target.message ?? '' : '', /settings are read-only.*nothing was run/);
  });
});
