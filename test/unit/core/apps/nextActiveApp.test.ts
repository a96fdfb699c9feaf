import * as assert from 'node:assert/strict';
import { nextActiveApp } from '../../../../src/core/apps/nextActiveApp';
import { sandboxApp, skyApp, unconfiguredApp } from '../../support/namedApps';

describe('nextActiveApp (Remove App of the active app)', function () {
  const apps = [skyApp('a'), sandboxApp('b'), unconfiguredApp('c')];

  it('is the app after the removed one', function () {
    assert.equal(nextActiveApp(apps, 'a')?.id, 'b');
    assert.equal(nextActiveApp(apps, 'b')?.id, 'c');
  });

  it('is the one before when the last app was removed', function () {
    assert.equal(nextActiveApp(apps, 'c')?.id, 'b');
  });

  it('is none when no app is left, and the first when the removed id was not listed', function () {
    assert.equal(nextActiveApp([skyApp('a')], 'a'), undefined);
    assert.equal(nextActiveApp(apps, 'gone')?.id, 'a');
  });
});
