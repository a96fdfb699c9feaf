// When tokens stop working and when to renew them: the status bar's countdown and the auto-refresh timer.
import { formatDuration } from './tokenSummary';
import type { TokenSet } from './tokenSet';

export interface AccessTokenState {
  kind: 'valid' | 'expiring' | 'expired' | 'unknown';
  /** Usable time left, i.e. after the skew margin (negative once expired); absent when `unknown`. */
  msLeft?: number;
}

export interface ExpiryOptions {
  /** How much earlier than `expiresAt` to call the token expired (default 30 s). */
  skewMs?: number;
  /** How long before that point the token counts as `expiring` (default 5 min). */
  warnBeforeMs?: number;
}

export type RefreshTokenState = 'valid' | 'expired' | 'unknown' | 'absent';

/**
 * The provider's clock, not ours, decides expiry, and a request takes time to arrive, so a token is
 * treated as expired `skewMs` early rather than sent in its last seconds and rejected.
 */
export function accessTokenState(tokenSet: TokenSet, now: number, options: ExpiryOptions = {}): AccessTokenState {
  const { expiresAt } = tokenSet;
  if (!isTime(expiresAt)) return { kind: 'unknown' };
  const msLeft = expiresAt - (options.skewMs ?? 30_000) - now;
  const kind = msLeft <= 0 ? 'expired' : msLeft <= (options.warnBeforeMs ?? 300_000) ? 'expiring' : 'valid';
  return { kind, msLeft };
}

/** formatDuration abbreviated for the narrow status bar: "1h 5m", "45s", "0s" once past. */
export function countdownLabel(msLeft: number): string {
  return formatDuration(msLeft).replace(/ ([a-z])[a-z]*/g, '$1');
}

/**
 * When to refresh automatically: `leadMs` (default 60 s) before expiry, so the new token is in place
 * before the old one fails, but no earlier than halfway through the token's life: a provider that issues
 * tokens shorter-lived than twice the lead would otherwise be asked for a new one the moment each arrives,
 * in a loop. Undefined when there is nothing to schedule.
 */
export function refreshDueAt(tokenSet: TokenSet, options: { leadMs?: number } = {}): number | undefined {
  const { expiresAt, refreshToken, obtainedAt } = tokenSet;
  if (!isTime(expiresAt) || !refreshToken) return undefined;
  const halfway = obtainedAt + Math.max(0, expiresAt - obtainedAt) / 2;
  return Math.max(halfway, expiresAt - (options.leadMs ?? 60_000));
}

export function refreshTokenState(tokenSet: TokenSet, now: number): RefreshTokenState {
  const { refreshToken, refreshTokenExpiresAt } = tokenSet;
  if (!refreshToken) return 'absent';
  if (!isTime(refreshTokenExpiresAt)) return 'unknown';
  return refreshTokenExpiresAt <= now ? 'expired' : 'valid';
}

/** Stored records are parsed JSON, where a lost number comes back as null rather than undefined. */
function isTime(value: number | undefined): value is number {
  return Number.isFinite(value);
}
