import * as assert from 'node:assert/strict';
import { RefreshFailures } from '../../../../src/editor/apps/refreshFailures';

describe('RefreshFailures (the Apps view\'s "refresh failed", per app)', function () {
  it('keeps a mark per app and tells listeners only when a mark changes', function () {
    const failures = new RefreshFailures();
    const heard: string[] = [];
    const subscription = failures.onDidChange((appId) => heard.push(appId));
    failures.note('a', true);
    failures.note('a', true);
    failures.note('b', false);
    assert.equal(failures.has('a'), true);
    assert.equal(failures.has('b'), false);
    failures.note('a', false);
    assert.equal(failures.has('a'), false);
    assert.deepEqual(heard, ['a', 'a']);
    subscription.dispose();
    failures.note('a', true);
    assert.deepEqual(heard, ['a', 'a']);
    failures.forget('a');
    assert.equal(failures.has('a'), false);
  });
});
