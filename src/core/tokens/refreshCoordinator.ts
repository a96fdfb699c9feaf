/**
 * One refresh at a time. Providers that rotate refresh tokens (SKY API does) invalidate the old one when
 * it is used, so two overlapping requests would make the second fail with invalid_grant and wipe a set
 * that the first had just renewed. Every caller therefore shares the request in flight, and its result
 * is persisted before any caller sees it.
 */
import { isOAuthError, OAuthError } from '../errors/oauthError';
import { releaseRefreshLease, takeRefreshTurn, type RefreshLeaseDependencies } from './refreshLease';
import { STORAGE_FAILED } from './secretWrite';
import type { TokenSet } from './tokenSet';

export interface RefreshDependencies {
  /** The current stored set. */
  load(): Promise<TokenSet | undefined>;
  /** The token request (wraps refreshAccessToken). */
  refresh(current: TokenSet): Promise<TokenSet>;
  /** Persists the new set; runs before anyone can use it. */
  store(next: TokenSet): Promise<void>;
  /** Drops a set whose refresh token the provider rejected (invalid_grant). */
  clear(): Promise<void>;
  /**
   * Waits before an invalid_grant is believed. Another editor window sharing the storage may have just
   * spent the same rotating refresh token, and its new set may still be on the way to storage; clearing
   * now would make that window discard it too.
   */
  settle?(): Promise<void>;
  /** The lease that keeps other editor windows from spending the same refresh token (refreshLease.ts). */
  lease?: RefreshLeaseDependencies;
}

export type RefreshOutcome =
  | { kind: 'refreshed'; tokenSet: TokenSet }
  /** Only a new authorization helps: no refresh token, or the provider rejected it. */
  | { kind: 'reauthorize'; error: OAuthError }
  /** Transient (network, timeout, provider or storage failure); the stored set is unchanged. */
  | { kind: 'failed'; error: Error };

export class RefreshCoordinator {
  private flight: Promise<RefreshOutcome> | undefined;

  constructor(private readonly deps: RefreshDependencies) {}

  get inFlight(): boolean {
    return this.flight !== undefined;
  }

  /** Never rejects. Calls made while a refresh is in flight get its outcome. */
  refresh(): Promise<RefreshOutcome> {
    this.flight ??= refreshStoredSet(this.deps).finally(() => {
      this.flight = undefined;
    });
    return this.flight;
  }
}

async function refreshStoredSet(deps: RefreshDependencies): Promise<RefreshOutcome> {
  try {
    const stored = await deps.load();
    if (!stored?.refreshToken) return noRefreshToken(stored);
    if (!deps.lease) return await spend(deps, stored);
    // Other editor windows share the storage but not this coordinator: take the lease or adopt their set.
    const turn = await takeRefreshTurn(deps.lease, () => deps.load(), stored);
    // As after a supersession: the set another window stored wins; none stored means it signed out.
    if (turn.kind === 'adopt') return turn.latest ? { kind: 'refreshed', tokenSet: turn.latest } : noRefreshToken(undefined);
    const lease = deps.lease;
    try {
      return await spend(deps, turn.current);
    } finally {
      await releaseRefreshLease(lease).catch(() => undefined);
    }
  } catch (error) {
    return { kind: 'failed', error: error instanceof Error ? error : new Error('Refreshing the tokens failed.', { cause: error }) };
  }
}

/** Spends `current`'s refresh token and stores the result, unless the stored set changed meanwhile. */
async function spend(deps: RefreshDependencies, current: TokenSet): Promise<RefreshOutcome> {
  let next: TokenSet;
  try {
    next = await deps.refresh(current);
  } catch (error) {
    if (!isOAuthError(error) || error.code !== 'invalid_grant') throw error;
    await deps.settle?.();
    const superseded = await supersession(deps, current);
    if (superseded) return superseded;
    // The verdict stands even if clearing fails: the set is dead and the next attempt clears it again.
    await deps.clear().catch(() => undefined);
    return { kind: 'reauthorize', error };
  }
  const superseded = await supersession(deps, current);
  if (superseded) return superseded;
  await deps.store(next);
  return { kind: 'refreshed', tokenSet: next };
}

/**
 * A sign-out or a new authorization while the request was out wins over its result: storing it would
 * bring back tokens the user signed out of, and clearing would drop the newer set.
 */
async function supersession(deps: RefreshDependencies, current: TokenSet): Promise<RefreshOutcome | undefined> {
  const latest = await deps.load();
  if (!latest) return noRefreshToken(latest);
  const same = latest.accessToken === current.accessToken && latest.refreshToken === current.refreshToken;
  return same ? undefined : { kind: 'refreshed', tokenSet: latest };
}

function noRefreshToken(stored: TokenSet | undefined): RefreshOutcome {
  const description = stored ? 'The stored tokens include no refresh token.' : 'No tokens are stored.';
  return { kind: 'reauthorize', error: new OAuthError({ code: 'no_refresh_token', description }) };
}

/**
 * Whether an outcome must be shown although nobody asked (the auto-refresh timer). A failed network call
 * is retried by the timer; a refresh whose new tokens could not be stored is not recoverable that way,
 * because the provider may already have rotated the refresh token the stored set still holds.
 */
export function reportEvenUnasked(outcome: RefreshOutcome): boolean {
  return outcome.kind === 'failed' && isOAuthError(outcome.error) && outcome.error.code === STORAGE_FAILED;
}
