/**
 * A lease on the stored refresh token, kept in the storage every editor window shares (SecretStorage), so
 * that only one window spends a rotating refresh token. Spending one twice is what a provider with
 * refresh-token reuse detection (RFC 9700 §4.14.2) answers by revoking the whole grant.
 *
 * SecretStorage has no compare-and-swap, so a lease is taken by writing it, waiting `settleMs` and reading
 * it back: of two windows that both found no lease and both wrote one, both read back the one written last,
 * and only its owner goes on. This fails only if one window's read and its write are further apart than the
 * other's whole write-settle-read, i.e. if a write takes longer than `settleMs` to reach the other windows.
 * In VS Code a secret write reaches the shared application storage within its flush delay (100 ms,
 * Storage.DEFAULT_FLUSH_DELAY in microsoft/vscode src/vs/base/parts/storage/common/storage.ts), well inside
 * the settle the editor uses. Even then, the winner re-reads the stored token set right before spending it
 * and adopts a set another window stored meanwhile, so a loss needs both windows inside that same window
 * of time; the invalid_grant settle in refreshCoordinator.ts is the last line behind it.
 *
 * The lease holds a fingerprint of the refresh token (a hash, never the token) so a lease taken for a token
 * that has since been replaced is recognised as over, and an expiry a little past the request timeout so
 * a window closed mid-refresh blocks nobody for long.
 */
import { createHash } from 'node:crypto';
import { OAuthError } from '../errors/oauthError';
import type { TokenSet } from './tokenSet';

export interface RefreshLease {
  /** Random per editor window. */
  owner: string;
  /** refreshTokenFingerprint of the token about to be spent. */
  fingerprint: string;
  /** Epoch ms after which the lease is void. */
  expiresAt: number;
}

export interface RefreshLeaseDependencies {
  owner: string;
  /** How long a lease lasts: a little longer than the longest refresh (request timeout, retries, settle). */
  ttlMs: number;
  /** How long a written lease is given to reach the other windows before it is read back. */
  settleMs: number;
  /** How often a waiting window looks for the holder's new token set. */
  pollMs: number;
  now(): number;
  pause(ms: number): Promise<void>;
  read(): Promise<RefreshLease | undefined>;
  write(lease: RefreshLease): Promise<void>;
  remove(): Promise<void>;
}

/** What to do with the stored set: spend its refresh token, or take the set another window stored. */
export type RefreshTurn =
  | { kind: 'spend'; current: TokenSet }
  | { kind: 'adopt'; latest: TokenSet | undefined };

/** Rounds of take-or-wait before giving up; each round's wait is bounded by the lease it waits on. */
const MAX_ROUNDS = 3;

/** A short, non-reversible name for a refresh token: SHA-256, base64url, first 22 characters (128 bits). */
export function refreshTokenFingerprint(refreshToken: string): string {
  return createHash('sha256').update(refreshToken, 'utf8').digest('base64url').slice(0, 22);
}

/**
 * Takes the lease for `current`'s refresh token, or waits for the window that holds it to store its new
 * set. Resolves to 'spend' only while this window holds the lease (release it with releaseRefreshLease);
 * rejects with an OAuthError when another window keeps holding it past the bound.
 */
export async function takeRefreshTurn(
  lease: RefreshLeaseDependencies, load: () => Promise<TokenSet | undefined>, current: TokenSet,
): Promise<RefreshTurn> {
  let stored: TokenSet = current;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const fingerprint = refreshTokenFingerprint(stored.refreshToken ?? '');
    const held = await lease.read();
    if (heldByAnother(held, lease, fingerprint)) {
      const latest = await waitForHolder(lease, load, stored, held);
      if (latest !== 'retry') return { kind: 'adopt', latest };
    } else {
      await lease.write({ owner: lease.owner, fingerprint, expiresAt: lease.now() + lease.ttlMs });
      await lease.pause(lease.settleMs);
      const confirmed = await lease.read();
      const latest = await load();
      if (!sameRefreshToken(latest, stored)) {
        await releaseRefreshLease(lease);
        return { kind: 'adopt', latest };
      }
      if (confirmed?.owner === lease.owner && confirmed.fingerprint === fingerprint) return { kind: 'spend', current: stored };
      // Another window's write landed last: it spends, this one waits in the next round.
    }
    const reloaded = await load();
    if (!sameRefreshToken(reloaded, stored)) return { kind: 'adopt', latest: reloaded };
    stored = reloaded ?? stored;
  }
  throw new OAuthError({
    code: 'refresh_in_progress',
    description: 'Another editor window is still refreshing the tokens.',
    hint: 'Try again in a moment; if it persists, close the other editor windows of this workspace and try again.',
  });
}

/** Removes the lease if it is still this window's (best effort; an unreleased lease simply expires). */
export async function releaseRefreshLease(lease: RefreshLeaseDependencies): Promise<void> {
  const held = await lease.read();
  if (held?.owner === lease.owner) await lease.remove();
}

function heldByAnother(held: RefreshLease | undefined, lease: RefreshLeaseDependencies, fingerprint: string): held is RefreshLease {
  return held !== undefined && held.owner !== lease.owner && held.fingerprint === fingerprint && held.expiresAt > lease.now();
}

/**
 * Polls until the holder's new set is stored ('adopt' it), or the lease ends without one: released after
 * a failed request, expired, or replaced ('retry', to take it). Bounded by the lease's expiry and by a
 * poll count, so a clock that stands still cannot keep it here.
 */
async function waitForHolder(
  lease: RefreshLeaseDependencies, load: () => Promise<TokenSet | undefined>, stored: TokenSet, held: RefreshLease,
): Promise<TokenSet | undefined | 'retry'> {
  const polls = Math.ceil(Math.min(held.expiresAt - lease.now(), lease.ttlMs) / lease.pollMs) + 1;
  for (let poll = 0; poll < polls; poll += 1) {
    await lease.pause(lease.pollMs);
    const latest = await load();
    if (!sameRefreshToken(latest, stored)) return latest;
    if (!heldByAnother(await lease.read(), lease, held.fingerprint)) return 'retry';
  }
  return 'retry';
}

function sameRefreshToken(latest: TokenSet | undefined, stored: TokenSet): boolean {
  return latest !== undefined && latest.refreshToken === stored.refreshToken && latest.accessToken === stored.accessToken;
}
