// Finding 8 of issue 10: two editor windows share SecretStorage but not a RefreshCoordinator, so a refresh
// started in each (window B gains focus while A's request is out, Call the API in an unfocused window, two
// manual refreshes) would spend one rotating refresh token twice. A provider that detects refresh-token reuse
// (RFC 9700 §4.14.2) then revokes the whole grant. These tests run two coordinators ("windows") on one
// shared fake store against such a provider.
import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { RefreshCoordinator, type RefreshDependencies, type RefreshOutcome } from '../../../../src/core/tokens/refreshCoordinator';
import { refreshTokenFingerprint, type RefreshLease } from '../../../../src/core/tokens/refreshLease';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { recordFigure } from '../../../harness/figures';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What every window sees: one SecretStorage. Each read and write takes a turn of the event loop. */
class SharedStorage {
  tokenSet: TokenSet | undefined;
  lease: RefreshLease | undefined;
  readonly leaseWrites: string[] = [];
}

/** Refresh tokens rotate; spending one twice revokes the grant and every token issued from it. */
class ReuseDetectingProvider {
  requests = 0;
  revoked = false;
  private generation = 1;
  private readonly spent = new Set<string>();
  private live = 'refresh-1';

  constructor(private readonly latencyMs: number) {}

  initial(): TokenSet {
    return tokenSet(1);
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    this.requests += 1;
    await pause(this.latencyMs);
    if (this.spent.has(refreshToken)) {
      this.revoked = true;
      throw new OAuthError({ code: 'invalid_grant', description: 'Refresh token reuse detected; the grant is revoked.' });
    }
    if (this.revoked || refreshToken !== this.live) throw new OAuthError({ code: 'invalid_grant' });
    this.spent.add(refreshToken);
    this.generation += 1;
    this.live = `refresh-${this.generation}`;
    return tokenSet(this.generation);
  }

  isValid(set: TokenSet | undefined): boolean {
    return !this.revoked && set?.refreshToken === this.live;
  }
}

function tokenSet(generation: number): TokenSet {
  return {
    accessToken: `access-${generation}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000,
    refreshToken: `refresh-${generation}`, obtainedAt: Date.now(), extra: {},
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One window's view of the shared storage and the provider, as tokenRefresher.ts builds it in the editor. */
function windowDependencies(storage: SharedStorage, provider: ReuseDetectingProvider, owner: string): RefreshDependencies {
  return {
    load: async () => { await tick(); return storage.tokenSet; },
    refresh: (current) => provider.refresh(current.refreshToken ?? ''),
    store: async (next) => { await tick(); storage.tokenSet = next; },
    clear: async () => { await tick(); storage.tokenSet = undefined; },
    settle: () => pause(25),
    lease: {
      owner,
      ttlMs: 500,
      settleMs: 15,
      pollMs: 5,
      now: () => Date.now(),
      pause,
      read: async () => { await tick(); return storage.lease; },
      write: async (lease) => {
        await tick();
        storage.leaseWrites.push(JSON.stringify(lease));
        storage.lease = lease;
      },
      remove: async () => { await tick(); storage.lease = undefined; },
    },
  };
}

function refreshed(outcome: RefreshOutcome): TokenSet {
  assert.equal(outcome.kind, 'refreshed', `outcome: ${outcome.kind === 'refreshed' ? '' : outcome.error.message}`);
  return (outcome as Extract<RefreshOutcome, { kind: 'refreshed' }>).tokenSet;
}

async function twoWindows(staggerMs: number): Promise<{ provider: ReuseDetectingProvider; storage: SharedStorage; sets: TokenSet[] }> {
  const storage = new SharedStorage();
  const provider = new ReuseDetectingProvider(30);
  storage.tokenSet = provider.initial();
  const windowA = new RefreshCoordinator(windowDependencies(storage, provider, 'window-a'));
  const windowB = new RefreshCoordinator(windowDependencies(storage, provider, 'window-b'));
  const first = windowA.refresh();
  if (staggerMs > 0) await pause(staggerMs);
  const second = windowB.refresh();
  const outcomes = await Promise.all([first, second]);
  return { provider, storage, sets: outcomes.map(refreshed) };
}

describe('RefreshCoordinator across two windows (refresh lease in the shared storage)', function () {
  this.timeout(10_000);

  it('makes one token request when both windows start a refresh at once, and both get the same valid new set', async function () {
    const { provider, storage, sets } = await twoWindows(0);
    recordFigure('parallel-refresh-requests-two-windows', 'token requests made by refreshes started at once in two windows', provider.requests);
    assert.equal(provider.requests, 1, 'token requests');
    assert.equal(provider.revoked, false, 'the provider saw no reuse');
    assert.deepEqual(sets[0], sets[1]);
    assert.ok(provider.isValid(sets[0]), 'the set both windows hold is the live one');
    assert.deepEqual(storage.tokenSet, sets[0]);
  });

  // A's timeline: lease write and settle (~15 ms), the request (30 ms), storing. B starts in each phase.
  for (const staggerMs of [1, 8, 20, 35, 45]) {
    it(`makes one token request when the second window starts ${staggerMs} ms after the first`, async function () {
      const { provider, sets } = await twoWindows(staggerMs);
      assert.equal(provider.requests, 1, 'token requests');
      assert.equal(provider.revoked, false);
      assert.deepEqual(sets[0], sets[1]);
      assert.ok(provider.isValid(sets[1]));
    });
  }

  it('keeps the refresh token out of the lease: only its fingerprint is written', async function () {
    const { storage } = await twoWindows(0);
    assert.ok(storage.leaseWrites.length > 0, 'a lease was taken');
    for (const written of storage.leaseWrites) {
      assert.doesNotMatch(written, /refresh-\d/);
      assert.match(written, new RegExp(refreshTokenFingerprint('refresh-1')));
    }
    assert.notEqual(refreshTokenFingerprint('refresh-1'), refreshTokenFingerprint('refresh-2'));
  });

  it('releases the lease when done, so the next refresh does not wait', async function () {
    const { storage } = await twoWindows(0);
    assert.equal(storage.lease, undefined);
  });

  it('ignores an expired lease left by a window that closed mid-refresh', async function () {
    const storage = new SharedStorage();
    const provider = new ReuseDetectingProvider(5);
    storage.tokenSet = provider.initial();
    storage.lease = { owner: 'closed-window', fingerprint: refreshTokenFingerprint('refresh-1'), expiresAt: Date.now() - 1 };
    const started = Date.now();
    refreshed(await new RefreshCoordinator(windowDependencies(storage, provider, 'window-a')).refresh());
    assert.equal(provider.requests, 1);
    assert.ok(Date.now() - started < 400, 'did not wait for the stale lease');
  });

  it('ignores a live lease taken for a refresh token that is no longer stored', async function () {
    const storage = new SharedStorage();
    const provider = new ReuseDetectingProvider(5);
    storage.tokenSet = provider.initial();
    storage.lease = { owner: 'window-b', fingerprint: refreshTokenFingerprint('refresh-0'), expiresAt: Date.now() + 60_000 };
    refreshed(await new RefreshCoordinator(windowDependencies(storage, provider, 'window-a')).refresh());
    assert.equal(provider.requests, 1);
  });

  it('takes over when the holder gives up (its request failed) instead of waiting out the lease', async function () {
    const storage = new SharedStorage();
    const provider = new ReuseDetectingProvider(5);
    storage.tokenSet = provider.initial();
    const failing = windowDependencies(storage, provider, 'window-a');
    failing.refresh = async () => {
      await pause(30);
      throw new OAuthError({ code: 'network_error' });
    };
    const windowA = new RefreshCoordinator(failing);
    const windowB = new RefreshCoordinator(windowDependencies(storage, provider, 'window-b'));
    const first = windowA.refresh();
    await pause(20);
    const started = Date.now();
    const [outcomeA, outcomeB] = await Promise.all([first, windowB.refresh()]);
    assert.equal(outcomeA.kind, 'failed');
    refreshed(outcomeB);
    assert.equal(provider.requests, 1, 'window B spent the token once, window A never reached the provider');
    assert.ok(Date.now() - started < 400, 'did not wait for the lease to expire');
  });

  it('gives up, bounded, with a clear error when another window keeps holding the lease', async function () {
    const storage = new SharedStorage();
    const provider = new ReuseDetectingProvider(5);
    storage.tokenSet = provider.initial();
    const deps = windowDependencies(storage, provider, 'window-a');
    // A holder that renews its lease forever (a bug elsewhere) must not make this window wait forever.
    const holder = setInterval(() => {
      storage.lease = { owner: 'window-b', fingerprint: refreshTokenFingerprint('refresh-1'), expiresAt: Date.now() + 50 };
    }, 2);
    try {
      const outcome = await new RefreshCoordinator(deps).refresh();
      assert.equal(outcome.kind, 'failed');
      assert.match((outcome as { error: Error }).error.message, /another editor window/i);
      assert.equal(provider.requests, 0);
    } finally {
      clearInterval(holder);
    }
  });
});
