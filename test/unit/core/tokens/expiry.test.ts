import * as assert from 'node:assert/strict';
import { accessTokenState, countdownLabel, refreshDueAt, refreshTokenState } from '../../../../src/core/tokens/expiry';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SKEW = 30 * SECOND;

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: 'access', tokenType: 'Bearer', obtainedAt: NOW, extra: {}, ...overrides };
}

describe('expiry', function () {
  describe('countdownLabel', function () {
    const cases: Array<[number, string]> = [
      [-5 * SECOND, '0s'],
      [0, '0s'],
      [45 * SECOND, '45s'],
      [59 * SECOND, '59s'],
      [MINUTE, '1m'],
      [57 * MINUTE + 59 * SECOND, '57m'],
      [HOUR, '1h'],
      [HOUR + 5 * MINUTE, '1h 5m'],
      [23 * HOUR + 59 * MINUTE, '23h 59m'],
      [DAY, '1d'],
      [2 * DAY + 3 * HOUR, '2d 3h'],
    ];
    for (const [ms, expected] of cases) {
      it(`shows ${ms} ms as "${expected}"`, function () {
        assert.equal(countdownLabel(ms), expected);
      });
    }
  });

  describe('accessTokenState', function () {
    it('is unknown without an expiry, or with one lost in storage', function () {
      assert.deepEqual(accessTokenState(tokenSet(), NOW), { kind: 'unknown' });
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: null as unknown as number }), NOW), { kind: 'unknown' });
    });

    it('is valid outside the warning window, counting time left after the skew', function () {
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: NOW + HOUR }), NOW), { kind: 'valid', msLeft: HOUR - SKEW });
    });

    it('is expiring within 5 minutes of the skewed expiry, inclusive', function () {
      const expiresAt = NOW + 5 * MINUTE + SKEW;
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt }), NOW), { kind: 'expiring', msLeft: 5 * MINUTE });
      assert.equal(accessTokenState(tokenSet({ expiresAt: expiresAt + 1 }), NOW).kind, 'valid');
    });

    it('is expired exactly at the skew boundary, before the stated expiry', function () {
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: NOW + SKEW }), NOW), { kind: 'expired', msLeft: 0 });
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: NOW + SKEW + 1 }), NOW), { kind: 'expiring', msLeft: 1 });
    });

    it('reports how long ago an expired token ran out, as a negative msLeft', function () {
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: NOW - MINUTE }), NOW), { kind: 'expired', msLeft: -MINUTE - SKEW });
    });

    it('takes the skew and warning window from options', function () {
      const set = tokenSet({ expiresAt: NOW + 2 * MINUTE });
      assert.deepEqual(accessTokenState(set, NOW, { skewMs: 0, warnBeforeMs: MINUTE }), { kind: 'valid', msLeft: 2 * MINUTE });
      assert.deepEqual(accessTokenState(set, NOW, { skewMs: 0, warnBeforeMs: 2 * MINUTE }), { kind: 'expiring', msLeft: 2 * MINUTE });
      assert.equal(accessTokenState(set, NOW, { skewMs: 2 * MINUTE }).kind, 'expired');
    });
  });

  describe('refreshDueAt', function () {
    it('is a minute before expiry by default', function () {
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + HOUR, refreshToken: 'r' })), NOW + HOUR - MINUTE);
    });

    it('takes the lead from options', function () {
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + HOUR, refreshToken: 'r' }), { leadMs: 5 * MINUTE }), NOW + 55 * MINUTE);
    });

    it('is halfway through a lifetime shorter than twice the lead, so short tokens do not refresh in a loop', function () {
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + 20 * SECOND, refreshToken: 'r' })), NOW + 10 * SECOND);
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + 2 * MINUTE, refreshToken: 'r' })), NOW + MINUTE);
      // A set that arrived already expired is due at once.
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW - MINUTE, refreshToken: 'r' })), NOW);
    });

    it('is undefined without an expiry or without a refresh token', function () {
      assert.equal(refreshDueAt(tokenSet({ refreshToken: 'r' })), undefined);
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + HOUR })), undefined);
      assert.equal(refreshDueAt(tokenSet({ expiresAt: NOW + HOUR, refreshToken: '' })), undefined);
    });
  });

  describe('refreshTokenState', function () {
    it('is absent without a refresh token', function () {
      assert.equal(refreshTokenState(tokenSet({ refreshTokenExpiresAt: NOW + DAY }), NOW), 'absent');
      assert.equal(refreshTokenState(tokenSet({ refreshToken: '' }), NOW), 'absent');
    });

    it('is unknown when the provider gave no lifetime', function () {
      assert.equal(refreshTokenState(tokenSet({ refreshToken: 'r' }), NOW), 'unknown');
    });

    it('is expired from its expiry on, valid before', function () {
      assert.equal(refreshTokenState(tokenSet({ refreshToken: 'r', refreshTokenExpiresAt: NOW }), NOW), 'expired');
      assert.equal(refreshTokenState(tokenSet({ refreshToken: 'r', refreshTokenExpiresAt: NOW + 1 }), NOW), 'valid');
    });
  });
});
