// When tokens stop working and when to renew them: the one reading of an access token's expiry that the
// status bar, the success messages, Show Tokens and Call the API all render, so they cannot disagree.
import { formatDuration } from '../text/duration';
import type { TokenSet } from './tokenSet';

/**
 * The most a token is treated as expired early. The provider's clock, not ours, decides expiry, and a
 * request takes time to arrive, so a token is not sent in its last seconds to be rejected.
 */
export const MAX_EXPIRY_MARGIN_MS = 30_000;
/**
 * The margin never takes more than a tenth of the token's life. Both things it covers (transit time and
 * clock difference) are seconds at most with a synchronised clock, so 30 s is generous for the usual hour;
 * a provider issuing 20 s tokens would otherwise see them "expired" the moment they arrive. A tenth still
 * leaves a 20 s token a 2 s margin, far more than a request takes, and reaches the full 30 s at 5 minutes.
 */
export const MAX_EXPIRY_MARGIN_SHARE = 0.1;
/** How long before (usable) expiry the status bar warns, for tokens that live long enough for it. */
export const MAX_WARNING_WINDOW_MS = 300_000;

export interface AccessTokenState {
  kind: 'valid' | 'expiring' | 'expired' | 'unknown';
  /** Usable time left, i.e. after the margin (negative once expired); absent when `unknown`. */
  msLeft?: number;
  /** How much earlier than the provider's `expiresAt` the token counts as expired; absent when `unknown`. */
  marginMs?: number;
  /** `msLeft` at or below which the token is `expiring`; absent when `unknown`. */
  warnBelowMs?: number;
}

export type RefreshTokenState = 'valid' | 'expired' | 'unknown' | 'absent';

/** The access token's state at `now`: everything that shows or acts on its expiry derives from this. */
export function accessTokenState(tokenSet: TokenSet, now: number): AccessTokenState {
  const { expiresAt } = tokenSet;
  if (!isTime(expiresAt)) return { kind: 'unknown' };
  const marginMs = expiryMarginMs(tokenSet, expiresAt);
  const warnBelowMs = warningWindowMs(tokenSet, expiresAt, marginMs);
  const msLeft = expiresAt - marginMs - now;
  const kind = msLeft <= 0 ? 'expired' : msLeft <= warnBelowMs ? 'expiring' : 'valid';
  return { kind, msLeft, marginMs, warnBelowMs };
}

/** The access token's expiry in words, e.g. "expires in 18 s", for a sentence about "The access token". */
export function accessTokenExpiryWords(state: AccessTokenState): string {
  switch (state.kind) {
    case 'unknown': return 'has no stated expiry';
    case 'expired': return 'has already expired';
    default: return `expires in ${formatDuration(state.msLeft ?? 0)}`;
  }
}

/** The status bar's word for the same state: "18s", "57m", "expired", "no expiry". */
export function accessTokenLabel(state: AccessTokenState): string {
  switch (state.kind) {
    case 'unknown': return 'no expiry';
    case 'expired': return 'expired';
    default: return countdownLabel(state.msLeft ?? 0);
  }
}

/** formatDuration abbreviated for the narrow status bar: "1h 5m", "45s", "0s" once past. */
export function countdownLabel(msLeft: number): string {
  return formatDuration(msLeft).replace(/ ([a-z])[a-z]*/g, '$1');
}

/**
 * At most MAX_EXPIRY_MARGIN_MS and at most MAX_EXPIRY_MARGIN_SHARE of the lifetime the provider granted
 * (`expiresAt - obtainedAt`); the full margin when a damaged record hides the lifetime, none for a token
 * that arrived already expired.
 */
function expiryMarginMs(tokenSet: TokenSet, expiresAt: number): number {
  const lifetime = expiresAt - tokenSet.obtainedAt;
  if (!Number.isFinite(lifetime)) return MAX_EXPIRY_MARGIN_MS;
  return Math.min(MAX_EXPIRY_MARGIN_MS, Math.max(0, lifetime) * MAX_EXPIRY_MARGIN_SHARE);
}

/**
 * Five minutes, or the second half of a shorter usable life: a fresh short-lived token is not a warning,
 * and the warning then coincides with the automatic refresh (due halfway, see refreshDueAt).
 */
function warningWindowMs(tokenSet: TokenSet, expiresAt: number, marginMs: number): number {
  const usableLife = expiresAt - marginMs - tokenSet.obtainedAt;
  if (!Number.isFinite(usableLife)) return MAX_WARNING_WINDOW_MS;
  return Math.min(MAX_WARNING_WINDOW_MS, Math.max(0, usableLife) / 2);
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
