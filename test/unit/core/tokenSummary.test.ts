import { notificationLinksIn } from '../support/vscodeLinkSyntax';
import * as assert from 'node:assert/strict';
import { describeTokenSet, formatDuration, tokenEnvironment } from '../../../src/core/tokens/tokenSummary';
import type { TokenSet } from '../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'access-token-value-0123456789',
    tokenType: 'Bearer',
    obtainedAt: NOW,
    extra: {},
    ...overrides,
  };
}

describe('tokenSummary', function () {
  describe('formatDuration', function () {
    it('says 0 s for a damaged (non-finite) duration rather than NaN', function () {
      assert.equal(formatDuration(Number.NaN), '0 s');
      assert.equal(formatDuration(Number.POSITIVE_INFINITY), '0 s');
    });

    const cases: Array<[number, string]> = [
      [0, '0 s'],
      [-5 * SECOND, '0 s'],
      [400, '0 s'],
      [59 * SECOND, '59 s'],
      [60 * SECOND, '1 min'],
      [61 * SECOND, '1 min'],
      [119 * SECOND, '1 min'],
      [59 * MINUTE, '59 min'],
      [59 * MINUTE + 59 * SECOND, '59 min'],
      [HOUR, '1 h'],
      [HOUR + 5 * MINUTE, '1 h 5 min'],
      [23 * HOUR + 59 * MINUTE, '23 h 59 min'],
      [24 * HOUR, '1 d'],
      [25 * HOUR, '1 d 1 h'],
      [48 * HOUR + 30 * MINUTE, '2 d'],
    ];
    for (const [ms, expected] of cases) {
      it(`formats ${ms} ms as "${expected}"`, function () {
        assert.equal(formatDuration(ms), expected);
      });
    }

    it('rounds to the nearest second before choosing the unit', function () {
      assert.equal(formatDuration(59_499), '59 s');
      assert.equal(formatDuration(59_500), '1 min');
      assert.equal(formatDuration(HOUR - 400), '1 h');
    });
  });

  describe('tokenEnvironment', function () {
    it('prefers environment_name over environment_id', function () {
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_id: 'p-env', environment_name: 'Production' } })), 'Production');
    });

    it('falls back to environment_id, trimmed', function () {
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_id: ' p-env ' } })), 'p-env');
    });

    it('falls back to environment_id when the name is blank or not a string', function () {
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_name: ' ', environment_id: 'p-env' } })), 'p-env');
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_name: 3, environment_id: 'p-env' } })), 'p-env');
    });

    it('is undefined when absent, blank or not a string', function () {
      assert.equal(tokenEnvironment(tokenSet()), undefined);
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_id: '  ' } })), undefined);
      assert.equal(tokenEnvironment(tokenSet({ extra: { environment_id: 7 } })), undefined);
    });
  });

  describe('describeTokenSet', function () {
    it('describes an expiring SKY token set with subject, environment, scopes and refresh token', function () {
      const tokens = tokenSet({
        expiresAt: NOW + HOUR,
        refreshToken: 'refresh-token-value-0123456789',
        scopes: ['api', 'offline_access'],
        extra: { email: 'alice@example.com', user_id: 'u-1', environment_name: 'Sandbox Environment', environment_id: 'p-sandbox' },
      });
      assert.equal(
        describeTokenSet(tokens, NOW),
        'Authorized as alice@example.com in Sandbox Environment. The access token expires in 59 min; '
          + 'scopes: api offline_access; a refresh token is stored (the provider did not say for how long).',
      );
    });

    it('says how long the refresh token lasts only by the provider\'s refresh_token_expires_in', function () {
      const stated = tokenSet({ refreshToken: 'r-0123456789', refreshTokenExpiresAt: NOW + 60 * 24 * HOUR, refreshTokenExpiresIn: 60 * 24 * 3600 });
      assert.match(describeTokenSet(stated, NOW), /; a refresh token is stored, valid for 60 d by the provider's refresh_token_expires_in\.$/);
      assert.match(describeTokenSet(tokenSet({ refreshToken: 'r-0123456789', refreshTokenExpiresAt: NOW - 1 }), NOW),
        /; the stored refresh token has expired\.$/);
    });

    it('shows the provider\'s user and environment names as one inert line', function () {
      const text = describeTokenSet(tokenSet({ extra: { email: 'eve@example.org\n<b>Click</b>\u202E', environment_name: 'Prod\r\nEnvironment' } }), NOW);
      assert.match(text, /^Authorized as eve@example\.org Click in Prod Environment\. /);
    });

    it('says how long is left relative to now, after the 30 s margin the status bar counts too', function () {
      const text = describeTokenSet(tokenSet({ expiresAt: NOW + 90 * MINUTE }), NOW + 25 * MINUTE);
      assert.match(text, /expires in 1 h 4 min/);
    });

    it('gives a 20 s token the time the status bar shows, not "expired" (issue 9)', function () {
      assert.match(describeTokenSet(tokenSet({ expiresAt: NOW + 20 * SECOND }), NOW), /The access token expires in 18 s;/);
    });

    it('says an expired token has already expired (expiry equal to now included)', function () {
      assert.match(describeTokenSet(tokenSet({ expiresAt: NOW - SECOND }), NOW), /The access token has already expired/);
      assert.match(describeTokenSet(tokenSet({ expiresAt: NOW }), NOW), /The access token has already expired/);
    });

    it('says when there is no stated expiry', function () {
      assert.equal(
        describeTokenSet(tokenSet(), NOW),
        'Authorized. The access token has no stated expiry; no refresh token was issued.',
      );
    });

    it('distinguishes a stored refresh token from none (an empty one counts as none)', function () {
      assert.match(describeTokenSet(tokenSet({ refreshToken: 'r-0123456789' }), NOW), /; a refresh token is stored \(the provider did not say for how long\)\.$/);
      assert.match(describeTokenSet(tokenSet({ refreshToken: '' }), NOW), /; no refresh token was issued\.$/);
      assert.match(describeTokenSet(tokenSet(), NOW), /; no refresh token was issued\.$/);
    });

    it('lists scopes only when there are some', function () {
      assert.match(describeTokenSet(tokenSet({ scopes: ['read'] }), NOW), /; scopes: read;/);
      assert.doesNotMatch(describeTokenSet(tokenSet({ scopes: [] }), NOW), /scopes/);
      assert.doesNotMatch(describeTokenSet(tokenSet(), NOW), /scopes/);
    });

    it('neutralises provider-controlled environment names and scopes: no markup, no command links, no controls', function () {
      const text = describeTokenSet(tokenSet({
        scopes: ['[run](command:workbench.action.terminal.new)'],
        extra: { environment_name: 'Prod\u202Euction <b>[x](https://evil.example)</b>\n' },
      }), NOW);
      assert.deepEqual(notificationLinksIn(text), []);
      assert.doesNotMatch(text, /[<>\u202E\n]/);
      assert.match(text, /^Authorized in Production \[x\] \(https:\/\/evil\.example\)\. /);
    });

    it('names only the environment when there is no subject', function () {
      assert.match(describeTokenSet(tokenSet({ extra: { environment_id: 'p-env' } }), NOW), /^Authorized in p-env\. /);
    });

    it('never includes token values', function () {
      const tokens = tokenSet({ refreshToken: 'refresh-token-value-0123456789', idToken: 'id-token-value-0123456789', expiresAt: NOW + MINUTE });
      const text = describeTokenSet(tokens, NOW);
      for (const secret of [tokens.accessToken, tokens.refreshToken as string, tokens.idToken as string]) {
        assert.ok(!text.includes(secret), `description must not contain ${secret}`);
      }
    });
  });
});
