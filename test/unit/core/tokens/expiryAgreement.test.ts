import * as assert from 'node:assert/strict';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { tokenReport } from '../../../../src/core/tokens/tokenReport';
import { tokenStatusView } from '../../../../src/core/tokens/tokenStatus';
import { describeTokenSet } from '../../../../src/core/tokens/tokenSummary';

// Issue 9: "expires in 20 s" in the message beside a red "expired" in the status bar. Whatever the
// lifetime and the instant, the success message (Authorize App, and Refresh, which reuses it), the status
// bar and Show Tokens must say the same: both expired, or the same time left.

const NOW = 1_700_000_000_000;
const SECOND = 1000;

/** "1 h 5 min" → "1h 5m": how the status bar abbreviates the message's words, written out independently. */
function abbreviated(words: string): string {
  const units: Record<string, string> = { s: 's', min: 'm', h: 'h', d: 'd' };
  return words.replace(/(\d+) (s|min|h|d)\b/g, (_match, count: string, unit: string) => `${count}${units[unit]}`);
}

function tellings(set: TokenSet, now: number): { message: string; label: string; severity: string; report: string } {
  const view = tokenStatusView(set, now);
  const report = tokenReport(set, now, { reveal: false }).split('\n').find((line) => line.startsWith('- Expires:')) ?? '';
  return { message: describeTokenSet(set, now), label: view.text.replace('$(key) ', ''), severity: view.severity, report };
}

describe('the messages, the status bar and Show Tokens agree on the access token\'s expiry', function () {
  const cases: Array<[name: string, lifetime: number, step: number]> = [
    ['20 s', 20 * SECOND, 250],
    ['60 s', 60 * SECOND, 500],
    ['1 h', 3600 * SECOND, 7 * SECOND],
  ];
  for (const [name, lifetime, step] of cases) {
    it(`for a ${name} token, at every ${step / SECOND} s from its arrival to past its expiry`, function () {
      const set: TokenSet = { accessToken: 'a', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + lifetime, refreshToken: 'r', extra: {} };
      let expiredSeen = false;
      let validSeen = false;
      for (let now = NOW; now <= NOW + lifetime + 10 * SECOND; now += step) {
        const { message, label, severity, report } = tellings(set, now);
        const at = `${(now - NOW) / SECOND} s after arrival: "${message}" / "${label}" / "${report}"`;
        if (label === 'expired') {
          expiredSeen = true;
          assert.match(message, /The access token has already expired;/, at);
          assert.equal(severity, 'error', at);
          assert.match(report, /^- Expires: expired /, at);
        } else {
          validSeen = true;
          const words = /The access token expires in ([^;]+);/.exec(message)?.[1];
          assert.ok(words, at);
          assert.equal(abbreviated(words), label, at);
          assert.notEqual(severity, 'error', at);
          assert.ok(report.startsWith(`- Expires: in ${words}, `), at);
        }
      }
      assert.ok(expiredSeen && validSeen, 'the walk crossed the expiry');
    });

    it(`for a ${name} token: fresh, it reads as valid for at least 90% of its life in all three`, function () {
      const set: TokenSet = { accessToken: 'a', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + lifetime, extra: {} };
      const { message, label, severity } = tellings(set, NOW);
      assert.equal(severity, 'normal', 'a fresh token is neither a warning nor an error');
      assert.notEqual(label, 'expired');
      assert.doesNotMatch(message, /expired/);
      assert.equal(tellings(set, NOW + lifetime * 0.9 - 1).label === 'expired', false);
    });
  }
});
