import * as assert from 'node:assert/strict';
import { appState } from '../../../../src/core/apps/appState';
import { formatDuration } from '../../../../src/core/text/duration';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const MINUTE = 60_000;

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: 'at', tokenType: 'Bearer', obtainedAt: NOW - 17 * MINUTE, expiresAt: NOW + 43 * MINUTE + 30_000, refreshToken: 'rt', extra: {}, ...overrides };
}

describe('appState (Apps view and Switch App)', function () {
  it('says "not configured" for an app with problems and no tokens, and points to Configure App', function () {
    const state = appState({ problems: ['The application ID (client_id) is missing.'], tokenSet: undefined }, NOW);
    assert.equal(state.kind, 'notConfigured');
    assert.equal(state.text, 'not configured');
    assert.match(state.hint, /Configure App/);
    assert.equal(state.authorized, false);
    assert.equal(state.refreshable, false);
    assert.equal(state.nextChangeInMs, undefined);
  });

  it('says "not authorized" for a configured app without tokens', function () {
    const state = appState({ problems: [], tokenSet: undefined }, NOW);
    assert.equal(state.text, 'not authorized');
    assert.match(state.hint, /Authorize App/);
  });

  it('says "authorized, expires in 43 min" after the expiry margin, and when that text next changes', function () {
    const state = appState({ problems: [], tokenSet: tokens() }, NOW);
    assert.equal(state.kind, 'valid');
    assert.equal(state.text, 'authorized, expires in 43 min');
    assert.equal(state.authorized, true);
    assert.equal(state.refreshable, true);
    // 43 min 30 s stated, 30 s margin: 43 min left; "43 min" turns into "42 min" half a second under 43 min.
    assert.equal(state.nextChangeInMs, 501);
    const later = appState({ problems: [], tokenSet: tokens() }, NOW + (state.nextChangeInMs ?? 0));
    assert.equal(later.text, 'authorized, expires in 42 min');
    const justBefore = appState({ problems: [], tokenSet: tokens() }, NOW + (state.nextChangeInMs ?? 0) - 2);
    assert.equal(justBefore.text, 'authorized, expires in 43 min');
  });

  it('schedules every change of the text exactly, across seconds, minutes, hours and the warning threshold', function () {
    const tokenSet = tokens({ obtainedAt: NOW, expiresAt: NOW + 26 * 3_600_000 });
    let now = NOW;
    let previous = appState({ problems: [], tokenSet }, now);
    let changes = 0;
    // Bounded: the walk ends at expiry, and each step moves at least 1 ms.
    for (let step = 0; step < 10_000 && previous.nextChangeInMs !== undefined; step += 1) {
      const next = appState({ problems: [], tokenSet }, now + previous.nextChangeInMs);
      const before = appState({ problems: [], tokenSet }, now + previous.nextChangeInMs - 1);
      assert.equal(before.text, previous.text, `no change before the scheduled instant (at ${previous.text})`);
      assert.equal(before.kind, previous.kind);
      assert.ok(next.text !== previous.text || next.kind !== previous.kind, `a change at the scheduled instant (after ${previous.text})`);
      now += previous.nextChangeInMs;
      previous = next;
      changes += 1;
    }
    assert.equal(previous.kind, 'expired');
    assert.ok(changes > 60 + 59 + 23, `${changes} changes`);
  });

  it('says "expired" once the access token is past its usable life, offering Refresh when a refresh token is stored', function () {
    const state = appState({ problems: [], tokenSet: tokens({ expiresAt: NOW - 1 }) }, NOW);
    assert.equal(state.kind, 'expired');
    assert.equal(state.text, 'expired');
    assert.match(state.hint, /Refresh/);
    assert.equal(state.nextChangeInMs, undefined);
    const withoutRefresh = appState({ problems: [], tokenSet: tokens({ expiresAt: NOW - 1, refreshToken: undefined }) }, NOW);
    assert.equal(withoutRefresh.refreshable, false);
    assert.match(withoutRefresh.hint, /Authorize App/);
  });

  it('marks the last five minutes as expiring, with the same words', function () {
    const state = appState({ problems: [], tokenSet: tokens({ obtainedAt: NOW - 3_000_000, expiresAt: NOW + 4 * MINUTE }) }, NOW);
    assert.equal(state.kind, 'expiring');
    assert.equal(state.text, `authorized, expires in ${formatDuration(4 * MINUTE - 30_000)}`);
  });

  it('says "refresh failed" while the last refresh failed, whatever the expiry', function () {
    const state = appState({ problems: [], tokenSet: tokens(), refreshFailed: true }, NOW);
    assert.equal(state.kind, 'refreshFailed');
    assert.equal(state.text, 'refresh failed');
    assert.equal(state.authorized, true);
  });

  it('counts stored tokens even when the configuration has problems now, and a refresh token past its expiry as not refreshable', function () {
    const state = appState({ problems: ['x'], tokenSet: tokens({ refreshTokenExpiresAt: NOW - 1 }) }, NOW);
    assert.equal(state.authorized, true);
    assert.equal(state.refreshable, false);
  });

  it('says "no stated expiry" when the provider did not say', function () {
    const state = appState({ problems: [], tokenSet: tokens({ expiresAt: undefined }) }, NOW);
    assert.equal(state.kind, 'noExpiry');
    assert.equal(state.text, 'authorized, no stated expiry');
    assert.equal(state.nextChangeInMs, undefined);
  });
});
