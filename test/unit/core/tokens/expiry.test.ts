import * as assert from 'node:assert/strict';
import {
  accessTokenExpiryWords, accessTokenLabel, accessTokenState, countdownLabel, MAX_EXPIRY_MARGIN_MS, MAX_EXPIRY_MARGIN_SHARE,
  refreshDueAt, refreshTokenState,
} from '../../../../src/core/tokens/expiry';
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

    it('is valid outside the warning window, counting time left after the margin', function () {
      assert.deepEqual(accessTokenState(tokenSet({ expiresAt: NOW + HOUR }), NOW),
        { kind: 'valid', msLeft: HOUR - SKEW, marginMs: SKEW, warnBelowMs: 5 * MINUTE });
    });

    it('is expiring within 5 minutes of the usable expiry, inclusive, for a token that lives long enough', function () {
      const set = tokenSet({ obtainedAt: NOW - HOUR, expiresAt: NOW + 5 * MINUTE + SKEW });
      assert.deepEqual(accessTokenState(set, NOW), { kind: 'expiring', msLeft: 5 * MINUTE, marginMs: SKEW, warnBelowMs: 5 * MINUTE });
      assert.equal(accessTokenState(set, NOW - 1).kind, 'valid');
    });

    it('is expired exactly at the margin boundary, before the stated expiry', function () {
      const set = tokenSet({ obtainedAt: NOW - HOUR, expiresAt: NOW + SKEW });
      assert.equal(accessTokenState(set, NOW).kind, 'expired');
      assert.equal(accessTokenState(set, NOW).msLeft, 0);
      assert.equal(accessTokenState(set, NOW - 1).kind, 'expiring');
    });

    it('reports how long ago an expired token ran out, as a negative msLeft', function () {
      const set = tokenSet({ obtainedAt: NOW - HOUR, expiresAt: NOW - MINUTE });
      assert.equal(accessTokenState(set, NOW).msLeft, -MINUTE - SKEW);
    });

    it('never lets the margin exceed a tenth of the lifetime the provider granted', function () {
      for (const lifetime of [1 * SECOND, 20 * SECOND, MINUTE, 5 * MINUTE, HOUR, DAY]) {
        const { marginMs } = accessTokenState(tokenSet({ expiresAt: NOW + lifetime }), NOW);
        assert.ok(marginMs !== undefined && marginMs <= lifetime * MAX_EXPIRY_MARGIN_SHARE, `margin ${marginMs} for ${lifetime}`);
        assert.equal(marginMs, Math.min(MAX_EXPIRY_MARGIN_MS, lifetime / 10));
      }
    });

    it('keeps no margin for a set that arrived already expired, and the full one when the lifetime is lost', function () {
      assert.equal(accessTokenState(tokenSet({ expiresAt: NOW - SECOND }), NOW).marginMs, 0);
      const damaged = tokenSet({ obtainedAt: null as unknown as number, expiresAt: NOW + HOUR });
      assert.deepEqual(accessTokenState(damaged, NOW), { kind: 'valid', msLeft: HOUR - SKEW, marginMs: SKEW, warnBelowMs: 5 * MINUTE });
    });

    // 20 s (the short-lived tokens of issue 9), 60 s and 1 h tokens obtained at NOW, read at several instants.
    const table: Array<[lifetime: number, at: number, kind: string, msLeft: number, label: string, words: string]> = [
      [20 * SECOND, 0, 'valid', 18 * SECOND, '18s', 'expires in 18 s'],
      [20 * SECOND, 8 * SECOND, 'valid', 10 * SECOND, '10s', 'expires in 10 s'],
      [20 * SECOND, 9 * SECOND, 'expiring', 9 * SECOND, '9s', 'expires in 9 s'],
      [20 * SECOND, 17 * SECOND, 'expiring', 1 * SECOND, '1s', 'expires in 1 s'],
      [20 * SECOND, 18 * SECOND, 'expired', 0, 'expired', 'has already expired'],
      [20 * SECOND, 19 * SECOND, 'expired', -1 * SECOND, 'expired', 'has already expired'],
      [20 * SECOND, 25 * SECOND, 'expired', -7 * SECOND, 'expired', 'has already expired'],
      [MINUTE, 0, 'valid', 54 * SECOND, '54s', 'expires in 54 s'],
      [MINUTE, 26 * SECOND, 'valid', 28 * SECOND, '28s', 'expires in 28 s'],
      [MINUTE, 27 * SECOND, 'expiring', 27 * SECOND, '27s', 'expires in 27 s'],
      [MINUTE, 53 * SECOND, 'expiring', 1 * SECOND, '1s', 'expires in 1 s'],
      [MINUTE, 54 * SECOND, 'expired', 0, 'expired', 'has already expired'],
      [MINUTE, 70 * SECOND, 'expired', -16 * SECOND, 'expired', 'has already expired'],
      [HOUR, 0, 'valid', HOUR - SKEW, '59m', 'expires in 59 min'],
      [HOUR, 30 * MINUTE, 'valid', 30 * MINUTE - SKEW, '29m', 'expires in 29 min'],
      [HOUR, 55 * MINUTE - SKEW - 1, 'valid', 5 * MINUTE + 1, '5m', 'expires in 5 min'],
      [HOUR, 55 * MINUTE - SKEW, 'expiring', 5 * MINUTE, '5m', 'expires in 5 min'],
      [HOUR, 59 * MINUTE, 'expiring', MINUTE - SKEW, '30s', 'expires in 30 s'],
      [HOUR, HOUR - SKEW, 'expired', 0, 'expired', 'has already expired'],
      [HOUR, HOUR, 'expired', -SKEW, 'expired', 'has already expired'],
    ];
    for (const [lifetime, at, kind, msLeft, label, words] of table) {
      it(`reads a ${lifetime / SECOND} s token ${at / SECOND} s after it arrived as ${kind}: "${label}", "${words}"`, function () {
        const state = accessTokenState(tokenSet({ expiresAt: NOW + lifetime }), NOW + at);
        assert.equal(state.kind, kind);
        assert.equal(state.msLeft, msLeft);
        assert.equal(accessTokenLabel(state), label);
        assert.equal(accessTokenExpiryWords(state), words);
      });
    }

    it('is never "expired" while a fresh token still has most of its life, however short', function () {
      for (const lifetime of [2 * SECOND, 20 * SECOND, MINUTE, HOUR]) {
        assert.notEqual(accessTokenState(tokenSet({ expiresAt: NOW + lifetime }), NOW + lifetime * 0.85).kind, 'expired');
      }
    });
  });

  describe('accessTokenLabel and accessTokenExpiryWords', function () {
    it('say "no expiry" and "has no stated expiry" when the provider gave none', function () {
      assert.equal(accessTokenLabel({ kind: 'unknown' }), 'no expiry');
      assert.equal(accessTokenExpiryWords({ kind: 'unknown' }), 'has no stated expiry');
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
