import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { RefreshCoordinator, type RefreshDependencies, type RefreshOutcome } from '../../../../src/core/tokens/refreshCoordinator';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;

function tokenSet(generation: number, overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: `access-${generation}`,
    tokenType: 'Bearer',
    expiresAt: NOW + 3_600_000,
    refreshToken: `refresh-${generation}`,
    obtainedAt: NOW,
    extra: {},
    ...overrides,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An in-memory token store and provider that write every call, in order, to `log`. */
class FakeStore implements RefreshDependencies {
  readonly log: string[] = [];
  /** What the provider does with a refresh request; rotates to the next generation by default. */
  respond: (current: TokenSet) => Promise<TokenSet> = async (current) => tokenSet(generationOf(current) + 1);
  storeFailure: Error | undefined;
  clearFailure: Error | undefined;

  constructor(public stored: TokenSet | undefined) {}

  async load(): Promise<TokenSet | undefined> {
    this.log.push('load');
    return this.stored;
  }

  async refresh(current: TokenSet): Promise<TokenSet> {
    this.log.push(`refresh ${current.refreshToken}`);
    return this.respond(current);
  }

  async store(next: TokenSet): Promise<void> {
    // A keychain write takes a turn of the event loop; a caller resolved before it ends would show in the log.
    await new Promise((resolve) => setImmediate(resolve));
    this.log.push(`store ${next.refreshToken}`);
    if (this.storeFailure) throw this.storeFailure;
    this.stored = next;
  }

  async clear(): Promise<void> {
    this.log.push('clear');
    if (this.clearFailure) throw this.clearFailure;
    this.stored = undefined;
  }

  calls(prefix: string): number {
    return this.log.filter((entry) => entry.startsWith(prefix)).length;
  }
}

function generationOf(set: TokenSet): number {
  return Number(set.refreshToken?.split('-')[1]);
}

function expectKind<K extends RefreshOutcome['kind']>(outcome: RefreshOutcome, kind: K): Extract<RefreshOutcome, { kind: K }> {
  assert.equal(outcome.kind, kind, `outcome: ${JSON.stringify(outcome)}`);
  return outcome as Extract<RefreshOutcome, { kind: K }>;
}

describe('RefreshCoordinator', function () {
  it('refreshes the stored set and stores the rotated one', async function () {
    const store = new FakeStore(tokenSet(1));
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'refreshed');
    assert.deepEqual(outcome.tokenSet, tokenSet(2));
    assert.equal(store.stored, outcome.tokenSet);
    assert.deepEqual(store.log, ['load', 'refresh refresh-1', 'load', 'store refresh-2']);
  });

  it('shares one request among 20 concurrent callers, who all get the same outcome', async function () {
    const store = new FakeStore(tokenSet(1));
    const response = deferred<TokenSet>();
    store.respond = () => response.promise;
    const coordinator = new RefreshCoordinator(store);
    const outcomes = Promise.all(Array.from({ length: 20 }, () => coordinator.refresh()));
    assert.equal(coordinator.inFlight, true);
    response.resolve(tokenSet(2));
    const [first, ...rest] = await outcomes;
    assert.equal(store.calls('refresh'), 1);
    for (const outcome of rest) assert.equal(outcome, first);
    assert.deepEqual(expectKind(first as RefreshOutcome, 'refreshed').tokenSet, tokenSet(2));
    assert.equal(coordinator.inFlight, false);
  });

  it('stores the rotated set before any caller sees it', async function () {
    const store = new FakeStore(tokenSet(1));
    const coordinator = new RefreshCoordinator(store);
    await Promise.all(Array.from({ length: 3 }, (_, caller) => coordinator.refresh().then((outcome) => {
      store.log.push(`caller ${caller} resolved`);
      assert.equal(store.stored, expectKind(outcome, 'refreshed').tokenSet, 'what the caller got is what is stored');
    })));
    assert.deepEqual(store.log, ['load', 'refresh refresh-1', 'load', 'store refresh-2', 'caller 0 resolved', 'caller 1 resolved', 'caller 2 resolved']);
  });

  it('fails and keeps the old set when storing the new one fails', async function () {
    const old = tokenSet(1);
    const store = new FakeStore(old);
    store.storeFailure = new Error('keychain locked');
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'failed');
    assert.equal(outcome.error, store.storeFailure);
    assert.equal(store.stored, old);
    assert.equal(store.calls('clear'), 0);
  });

  it('clears the set and asks for a new authorization on invalid_grant', async function () {
    const store = new FakeStore(tokenSet(1));
    const rejection = new OAuthError({ code: 'invalid_grant', description: 'Refresh token revoked.' });
    store.respond = async () => { throw rejection; };
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'reauthorize');
    assert.equal(outcome.error, rejection);
    assert.equal(store.stored, undefined);
    assert.deepEqual(store.log, ['load', 'refresh refresh-1', 'load', 'clear']);
  });

  it('still asks for a new authorization on invalid_grant when clearing fails', async function () {
    const store = new FakeStore(tokenSet(1));
    store.respond = async () => { throw new OAuthError({ code: 'invalid_grant' }); };
    store.clearFailure = new Error('keychain locked');
    expectKind(await new RefreshCoordinator(store).refresh(), 'reauthorize');
  });

  for (const code of ['network_error', 'timeout', 'http_error', 'server_error', 'temporarily_unavailable', 'invalid_client']) {
    it(`keeps the old set untouched on ${code}`, async function () {
      const old = tokenSet(1);
      const store = new FakeStore(old);
      const failure = new OAuthError({ code });
      store.respond = async () => { throw failure; };
      const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'failed');
      assert.equal(outcome.error, failure);
      assert.equal(store.stored, old);
      assert.deepEqual(store.log, ['load', 'refresh refresh-1']);
    });
  }

  it('turns anything thrown, even synchronously or a non-Error, into a failed outcome', async function () {
    const store = new FakeStore(tokenSet(1));
    store.respond = () => { throw 'secret-ish text'; };
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'failed');
    assert.ok(outcome.error instanceof Error);
    assert.doesNotMatch(outcome.error.message, /secret-ish/);
    assert.equal(outcome.error.cause, 'secret-ish text');
  });

  it('fails when the stored set cannot be read', async function () {
    const store = new FakeStore(tokenSet(1));
    const failure = new Error('keychain locked');
    store.load = async () => { throw failure; };
    assert.equal(expectKind(await new RefreshCoordinator(store).refresh(), 'failed').error, failure);
  });

  it('asks for a new authorization, without a request, when nothing is stored', async function () {
    const store = new FakeStore(undefined);
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'reauthorize');
    assert.equal(outcome.error.code, 'no_refresh_token');
    assert.match(outcome.error.message, /No tokens are stored/);
    assert.deepEqual(store.log, ['load']);
  });

  it('asks for a new authorization, without a request, when the set has no refresh token', async function () {
    const store = new FakeStore(tokenSet(1, { refreshToken: undefined }));
    const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'reauthorize');
    assert.equal(outcome.error.code, 'no_refresh_token');
    assert.doesNotMatch(outcome.error.message, /access-1/);
    assert.deepEqual(store.log, ['load']);
  });

  it('starts a new request once the previous one has settled', async function () {
    const store = new FakeStore(tokenSet(1));
    const coordinator = new RefreshCoordinator(store);
    await coordinator.refresh();
    const second = expectKind(await coordinator.refresh(), 'refreshed');
    assert.deepEqual(second.tokenSet, tokenSet(3));
    assert.equal(store.calls('refresh'), 2);
    assert.ok(store.log.includes('refresh refresh-2'), 'the second request uses the rotated refresh token');
  });

  it('starts a new request after a failure, too', async function () {
    const store = new FakeStore(tokenSet(1));
    store.respond = async () => { throw new OAuthError({ code: 'network_error' }); };
    const coordinator = new RefreshCoordinator(store);
    expectKind(await coordinator.refresh(), 'failed');
    store.respond = async () => tokenSet(2);
    expectKind(await coordinator.refresh(), 'refreshed');
    assert.equal(store.calls('refresh'), 2);
  });

  describe('when the stored set changes while the request is out', function () {
    it('does not bring back tokens the user signed out of', async function () {
      const store = new FakeStore(tokenSet(1));
      store.respond = async () => {
        store.stored = undefined;
        return tokenSet(2);
      };
      expectKind(await new RefreshCoordinator(store).refresh(), 'reauthorize');
      assert.equal(store.stored, undefined);
      assert.equal(store.calls('store'), 0);
    });

    it('keeps a newer authorization and hands it out instead', async function () {
      const store = new FakeStore(tokenSet(1));
      store.respond = async () => {
        store.stored = tokenSet(7);
        return tokenSet(2);
      };
      const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'refreshed');
      assert.deepEqual(outcome.tokenSet, tokenSet(7));
      assert.deepEqual(store.stored, tokenSet(7));
    });

    it('does not clear a set another window refreshed first when ours gets invalid_grant', async function () {
      const store = new FakeStore(tokenSet(1));
      store.respond = async () => {
        store.stored = tokenSet(2);
        throw new OAuthError({ code: 'invalid_grant' });
      };
      const outcome = expectKind(await new RefreshCoordinator(store).refresh(), 'refreshed');
      assert.deepEqual(outcome.tokenSet, tokenSet(2));
      assert.equal(store.calls('clear'), 0);
    });

    it('waits for settle() before believing invalid_grant, and keeps the set another window stored meanwhile', async function () {
      const store = new FakeStore(tokenSet(1));
      store.respond = async () => { throw new OAuthError({ code: 'invalid_grant' }); };
      // The other window's response arrives while this one waits.
      const outcome = expectKind(await new RefreshCoordinator({
        load: () => store.load(), refresh: (current) => store.refresh(current), store: (next) => store.store(next),
        clear: () => store.clear(), settle: async () => { store.stored = tokenSet(2); },
      }).refresh(), 'refreshed');
      assert.deepEqual(outcome.tokenSet, tokenSet(2));
      assert.equal(store.calls('clear'), 0);
    });
  });
});
