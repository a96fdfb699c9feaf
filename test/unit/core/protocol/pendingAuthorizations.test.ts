import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { PendingAuthorizations, type CallbackOutcome } from '../../../../src/core/protocol/pendingAuthorizations';

const REDIRECT_URI = 'http://localhost:5000/callback';

function fakeClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms: number) => { time += ms; } };
}

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}

function errorOf(outcome: CallbackOutcome): OAuthError {
  assert.notEqual(outcome.kind, 'accepted');
  return (outcome as Exclude<CallbackOutcome, { kind: 'accepted' }>).error;
}

describe('PendingAuthorizations', () => {
  let registry: PendingAuthorizations;
  let clock: ReturnType<typeof fakeClock>;

  beforeEach(() => {
    clock = fakeClock();
    registry = new PendingAuthorizations({ now: clock.now });
  });

  afterEach(() => registry.dispose());

  it('resolves the waiting request with the code from its callback', async () => {
    const pending = registry.begin({ state: 'state-1', redirectUri: REDIRECT_URI });
    assert.equal(registry.size, 1);
    assert.deepEqual(registry.deliver(new URLSearchParams({ code: 'code-1', state: 'state-1' })), { kind: 'accepted', state: 'state-1' });
    assert.deepEqual(await pending.result, { code: 'code-1', state: 'state-1', redirectUri: REDIRECT_URI });
    assert.equal(registry.size, 0);
  });

  it('keeps the request\'s nonce with it, for the ID-token check after the exchange', () => {
    assert.equal(registry.begin({ state: 'state-n', redirectUri: REDIRECT_URI, nonce: 'nonce-1' }).nonce, 'nonce-1');
    assert.equal(registry.begin({ state: 'state-m', redirectUri: REDIRECT_URI }).nonce, undefined);
  });

  it('accepts each state once and calls a second delivery a replay', async () => {
    const pending = registry.begin({ state: 'state-1', redirectUri: REDIRECT_URI });
    registry.deliver({ code: 'code-1', state: 'state-1' });
    await pending.result;
    const replay = registry.deliver({ code: 'code-2', state: 'state-1' });
    assert.deepEqual({ kind: replay.kind, othersWaiting: replay.kind === 'noPending' && replay.othersWaiting }, { kind: 'noPending', othersWaiting: false });
    assert.equal(errorOf(replay).code, 'callback_replayed');
    assert.match(errorOf(replay).message, /already received.*accepted once/);
  });

  it('keeps the real request waiting when a forged callback arrives first', async () => {
    const pending = registry.begin({ state: 'real', redirectUri: REDIRECT_URI });
    const forged = registry.deliver({ code: 'attacker-code', state: 'forged' });
    assert.equal(forged.kind, 'noPending');
    assert.equal(forged.kind === 'noPending' && forged.othersWaiting, true, 'the real request still waits');
    assert.equal(errorOf(forged).code, 'state_mismatch');
    const noState = registry.deliver({ code: 'attacker-code' });
    assert.equal(errorOf(noState).code, 'state_mismatch');
    const doubled = registry.deliver(new URLSearchParams('code=attacker-code&state=real&state=forged'));
    assert.equal(errorOf(doubled).code, 'invalid_callback');
    assert.equal(registry.size, 1);

    registry.deliver({ code: 'real-code', state: 'real' });
    assert.equal((await pending.result).code, 'real-code');
  });

  it('rejects the request with the provider\'s error, description sanitized', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI });
    const outcome = registry.deliver({ state: 's', error: 'access_denied', error_description: '<script>alert(1)</script>Denied' });
    assert.equal(outcome.kind, 'rejected');
    const error = await rejection(pending.result);
    assert.equal(error, errorOf(outcome));
    assert.equal(error.code, 'access_denied');
    assert.equal(error.description, 'Denied');
  });

  it('rejects on an iss that is not the configured issuer', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI, issuer: 'https://idp.example.com' });
    registry.deliver({ state: 's', code: 'c', iss: 'https://evil.example' });
    assert.equal((await rejection(pending.result)).code, 'issuer_mismatch');
  });

  it('passes requireIssuer on to the check: a response without iss is then refused', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI, issuer: 'https://idp.example.com', requireIssuer: true });
    assert.equal(registry.deliver({ state: 's', code: 'c' }).kind, 'rejected');
    assert.equal((await rejection(pending.result)).code, 'issuer_missing');
  });

  it('expires a request after the ttl, lazily, on a fake clock', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI });
    clock.advance(5 * 60_000 - 1);
    assert.equal(registry.size, 1);
    clock.advance(1);
    assert.equal(registry.size, 0);
    const error = await rejection(pending.result);
    assert.equal(error.code, 'authorization_expired');
    assert.match(error.message, /within 5 minutes/);

    const late = registry.deliver({ state: 's', code: 'c' });
    assert.equal(late.kind, 'noPending');
    assert.equal(errorOf(late).code, 'authorization_expired');
  });

  it('rejects a callback that arrives after expiry even before anything else looked', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI });
    clock.advance(10 * 60_000);
    const outcome = registry.deliver({ state: 's', code: 'c' });
    assert.equal(outcome.kind, 'rejected');
    assert.equal((await rejection(pending.result)).code, 'authorization_expired');
  });

  it('expires by timer too', async () => {
    const timed = new PendingAuthorizations({ ttlMs: 30 });
    try {
      const pending = timed.begin({ state: 's', redirectUri: REDIRECT_URI });
      const error = await rejection(pending.result);
      assert.equal(error.code, 'authorization_expired');
      assert.equal(timed.size, 0);
    } finally {
      timed.dispose();
    }
  });

  it('does not keep Node alive while a request waits', function () {
    this.timeout(10_000);
    const moduleUnderTest = path.resolve(__dirname, '../../../../src/core/protocol/pendingAuthorizations.js');
    const script = `
      const { PendingAuthorizations } = require(${JSON.stringify(moduleUnderTest)});
      new PendingAuthorizations().begin({ state: 's', redirectUri: 'http://localhost/cb' });
    `;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['-e', script], { timeout: 8_000, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(Date.now() - started < 8_000);
  });

  it('says no_pending_authorization when nothing waits', () => {
    const outcome = registry.deliver({ state: 's', code: 'c' });
    assert.equal(errorOf(outcome).code, 'no_pending_authorization');
  });

  it('cancels one request', async () => {
    const pending = registry.begin({ state: 's', redirectUri: REDIRECT_URI });
    pending.cancel('You closed the walkthrough.');
    const error = await rejection(pending.result);
    assert.equal(error.code, 'cancelled');
    assert.equal(error.description, 'You closed the walkthrough.');
    assert.equal(registry.size, 0);
    assert.match(errorOf(registry.deliver({ state: 's', code: 'c' })).message, /cancelled/);
  });

  it('rejects every waiting request on dispose and refuses new ones', async () => {
    const first = registry.begin({ state: 'a', redirectUri: REDIRECT_URI });
    const second = registry.begin({ state: 'b', redirectUri: REDIRECT_URI });
    registry.dispose();
    assert.equal((await rejection(first.result)).code, 'cancelled');
    assert.equal((await rejection(second.result)).code, 'cancelled');
    assert.throws(() => registry.begin({ state: 'c', redirectUri: REDIRECT_URI }), OAuthError);
  });

  it('refuses to reuse a state', () => {
    registry.begin({ state: 's', redirectUri: REDIRECT_URI });
    assert.throws(() => registry.begin({ state: 's', redirectUri: REDIRECT_URI }), /already used/);
    assert.throws(() => registry.begin({ state: '', redirectUri: REDIRECT_URI }), /non-empty state/);
  });

  it('does not turn an abandoned request into an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', listener);
    try {
      registry.begin({ state: 'abandoned', redirectUri: REDIRECT_URI });
      registry.dispose();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});

describe('PendingAuthorizations.cancelForApp (Remove App)', () => {
  it('cancels only the requests begun for that app, so a late response stores nothing for it', async () => {
    const pending = new PendingAuthorizations();
    try {
      const removed = pending.begin({ state: 'state-of-removed-app-0123456789', redirectUri: REDIRECT_URI, appId: 'removed' });
      const kept = pending.begin({ state: 'state-of-kept-app-0123456789abc', redirectUri: REDIRECT_URI, appId: 'kept' });
      const untagged = pending.begin({ state: 'state-without-app-0123456789ab', redirectUri: REDIRECT_URI });
      assert.equal(pending.cancelForApp('removed', 'The app was removed.'), 1);
      const error = await rejection(removed.result);
      assert.equal(error.code, 'cancelled');
      assert.match(error.message, /The app was removed/);
      assert.equal(pending.size, 2);
      const late = pending.deliver({ state: removed.state, code: 'late-code' });
      assert.equal(late.kind, 'noPending');
      assert.equal(pending.cancelForApp('removed', 'again'), 0);
      assert.equal(pending.deliver({ state: kept.state, code: 'code' }).kind, 'accepted');
      assert.equal((await kept.result).code, 'code');
      assert.equal(pending.size, 1, `${untagged.state} still waits`);
    } finally {
      pending.dispose();
    }
  });
});
