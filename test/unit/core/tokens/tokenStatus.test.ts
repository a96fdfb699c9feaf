import * as assert from 'node:assert/strict';
import { countdownLabel } from '../../../../src/core/tokens/expiry';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { tokenStatusView } from '../../../../src/core/tokens/tokenStatus';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const SKEW = 30_000;

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'at', tokenType: 'Bearer', obtainedAt: NOW - 60_000, expiresAt: NOW + 3_600_000,
    refreshToken: 'rt', scopes: ['api'], extra: { email: 'ada@example.com', environment_name: 'Sandbox' }, ...overrides,
  };
}

describe('tokenStatusView (status bar)', function () {
  it('offers Authorize App when nothing is stored, and schedules nothing', function () {
    const view = tokenStatusView(undefined, NOW);
    assert.equal(view.text, '$(key) Authorize');
    assert.equal(view.action, 'authorize');
    assert.equal(view.nextChangeInMs, undefined);
  });

  it('shows the time left after the skew margin, in the normal colour, and refreshes on click', function () {
    const view = tokenStatusView(tokens(), NOW);
    assert.equal(view.text, '$(key) 59m');
    assert.equal(view.severity, 'normal');
    assert.equal(view.action, 'refresh');
    assert.ok(view.tooltip.some((line) => line.includes('ada@example.com in Sandbox')));
    assert.ok(view.tooltip.some((line) => line === 'Scopes: api.'));
  });

  it('turns to the warning colour under 5 minutes and the error colour once expired', function () {
    const hourOld = { obtainedAt: NOW - 3_600_000 };
    assert.equal(tokenStatusView(tokens({ ...hourOld, expiresAt: NOW + SKEW + 299_000 }), NOW).severity, 'warning');
    assert.equal(tokenStatusView(tokens({ ...hourOld, expiresAt: NOW + SKEW + 301_000 }), NOW).severity, 'normal');
    const expired = tokenStatusView(tokens({ ...hourOld, expiresAt: NOW + SKEW - 1 }), NOW);
    assert.equal(expired.text, '$(key) expired');
    assert.equal(expired.severity, 'error');
    assert.equal(expired.nextChangeInMs, undefined);
    assert.equal(expired.action, 'refresh');
  });

  it('shows a failed refresh in the error colour even while the token is valid', function () {
    const view = tokenStatusView(tokens(), NOW, { refreshFailed: true });
    assert.equal(view.severity, 'error');
    assert.ok(view.tooltip.some((line) => line.includes('last refresh failed')));
  });

  it('authorizes on click when there is no usable refresh token', function () {
    assert.equal(tokenStatusView(tokens({ refreshToken: undefined }), NOW).action, 'authorize');
    assert.equal(tokenStatusView(tokens({ refreshTokenExpiresAt: NOW - 1 }), NOW).action, 'authorize');
    assert.equal(tokenStatusView(tokens({ refreshTokenExpiresAt: NOW + 1 }), NOW).action, 'refresh');
  });

  it('says so when the provider gave no expiry', function () {
    const view = tokenStatusView(tokens({ expiresAt: undefined }), NOW);
    assert.equal(view.text, '$(key) no expiry');
    assert.equal(view.nextChangeInMs, undefined);
  });

  it('repaints exactly when the label or colour changes, never later', function () {
    // Walk a whole hour in the repaint steps the view asks for and compare with a per-second reference.
    const set = tokens({ expiresAt: NOW + SKEW + 3_600_000 });
    let now = NOW;
    let steps = 0;
    while (true) {
      const view = tokenStatusView(set, now);
      if (view.nextChangeInMs === undefined) break;
      for (let t = now + 1000; t < now + view.nextChangeInMs; t += 1000) {
        const between = tokenStatusView(set, t);
        assert.equal(between.text, view.text, `label changed at ${t - NOW} ms before the repaint`);
        assert.equal(between.severity, view.severity);
      }
      now += view.nextChangeInMs;
      steps += 1;
      assert.ok(steps < 200, 'too many repaints');
    }
    assert.equal(tokenStatusView(set, now).text, '$(key) expired');
    assert.ok(steps > 60 && steps < 200, `${steps} repaints in an hour`);
  });

  it('shows a fresh 20 s token as its 18 usable seconds in the normal colour, not "expired" (issue 9)', function () {
    const view = tokenStatusView(tokens({ obtainedAt: NOW, expiresAt: NOW + 20_000 }), NOW);
    assert.equal(view.text, '$(key) 18s');
    assert.equal(view.severity, 'normal');
    assert.ok(view.tooltip.includes(`Access token: valid for 18 s (until ${new Date(NOW + 18_000).toISOString()}).`), view.tooltip.join('\n'));
    const expired = tokenStatusView(tokens({ obtainedAt: NOW, expiresAt: NOW + 20_000 }), NOW + 19_000);
    assert.equal(expired.text, '$(key) expired');
    assert.ok(expired.tooltip.includes(`Access token: expired (${new Date(NOW + 18_000).toISOString()}).`), expired.tooltip.join('\n'));
  });

  for (const lifetime of [20_000, 300_000]) {
    it(`repaints exactly when the label or colour changes for a ${lifetime / 1000} s token, whose warning is not at 5 minutes`, function () {
      const set = tokens({ obtainedAt: NOW, expiresAt: NOW + lifetime });
      let now = NOW;
      let steps = 0;
      let warned = false;
      while (true) {
        const view = tokenStatusView(set, now);
        warned ||= view.severity === 'warning';
        if (view.nextChangeInMs === undefined) break;
        for (let t = now + 250; t < now + view.nextChangeInMs; t += 250) {
          const between = tokenStatusView(set, t);
          assert.equal(between.text, view.text, `label changed at ${t - NOW} ms before the repaint`);
          assert.equal(between.severity, view.severity, `colour changed at ${t - NOW} ms before the repaint`);
        }
        now += view.nextChangeInMs;
        steps += 1;
        assert.ok(steps < 400, 'too many repaints');
      }
      assert.ok(warned, 'the warning colour showed before expiry');
      assert.equal(tokenStatusView(set, now).text, '$(key) expired');
    });
  }

  it('abbreviates the countdown for the narrow status bar', function () {
    assert.equal(countdownLabel(3_900_000), '1h 5m');
    assert.equal(countdownLabel(45_000), '45s');
  });
});
