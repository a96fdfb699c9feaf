// One app's state in a few words, for the Apps view's item description and Switch App's quick pick:
// "not configured", "not authorized", "authorized, expires in 43 min", "expired", "refresh failed".
// It reads the same expiry as the status bar (tokens/expiry.ts), so the two never disagree.
import { formatDuration } from '../text/duration';
import { accessTokenState, refreshTokenState } from '../tokens/expiry';
import type { TokenSet } from '../tokens/tokenSet';

export type AppStateKind = 'notConfigured' | 'notAuthorized' | 'valid' | 'expiring' | 'expired' | 'noExpiry' | 'refreshFailed';

export interface AppStateInput {
  /** What validateConfiguration found missing or wrong; empty when the app can authorize. */
  problems: readonly string[];
  /** The token set stored for this app (already checked to belong to its configuration). */
  tokenSet: TokenSet | undefined;
  /** The last refresh of this app's tokens failed and none has succeeded since. */
  refreshFailed?: boolean;
}

export interface AppState {
  kind: AppStateKind;
  /** A few words, lower case, for a description: "authorized, expires in 43 min". */
  text: string;
  /** One sentence saying what to do next, for a tooltip or a quick-pick detail. */
  hint: string;
  /** Tokens are stored (Show Tokens, Call the API make sense). */
  authorized: boolean;
  /** A refresh token that is not known to be expired is stored (Refresh makes sense). */
  refreshable: boolean;
  /** When `text` next changes by itself; undefined when it will not. */
  nextChangeInMs?: number;
}

export function appState(input: AppStateInput, now: number): AppState {
  const { tokenSet } = input;
  if (!tokenSet) {
    return input.problems.length > 0
      ? { kind: 'notConfigured', text: 'not configured', hint: 'Run Configure App to finish its settings.', authorized: false, refreshable: false }
      : { kind: 'notAuthorized', text: 'not authorized', hint: 'Run Authorize App to get tokens.', authorized: false, refreshable: false };
  }
  const refresh = refreshTokenState(tokenSet, now);
  const refreshable = refresh === 'valid' || refresh === 'unknown';
  const next = refreshable ? 'Refresh gets a new access token.' : 'Authorize App gets new tokens.';
  if (input.refreshFailed) {
    return { kind: 'refreshFailed', text: 'refresh failed', hint: `The last refresh failed (Show Log says why). ${next}`, authorized: true, refreshable };
  }
  const access = accessTokenState(tokenSet, now);
  switch (access.kind) {
    case 'unknown':
      return { kind: 'noExpiry', text: 'authorized, no stated expiry', hint: 'The provider did not say when the access token expires.', authorized: true, refreshable };
    case 'expired':
      return { kind: 'expired', text: 'expired', hint: `The access token has expired. ${next}`, authorized: true, refreshable };
    default: {
      const msLeft = access.msLeft ?? 0;
      return {
        kind: access.kind, text: `authorized, expires in ${formatDuration(msLeft)}`,
        hint: access.kind === 'expiring' ? `The access token expires soon. ${next}` : 'The access token is valid.',
        authorized: true, refreshable, nextChangeInMs: nextTextChange(msLeft, access.warnBelowMs ?? 0),
      };
    }
  }
}

/**
 * formatDuration rounds to whole seconds, then shows seconds under a minute, minutes under a day and
 * whole hours beyond: "43 min" holds until msLeft drops below 43 min less half a second. The next change
 * is that instant, the warning threshold or expiry, whichever comes first.
 */
function nextTextChange(msLeft: number, warnBelowMs: number): number {
  const seconds = Math.round(msLeft / 1000);
  const unitSeconds = seconds < 60 ? 1 : seconds < 86_400 ? 60 : 3_600;
  const shownMs = Math.floor(seconds / unitSeconds) * unitSeconds * 1000;
  const toTextChange = msLeft - (shownMs - 500) + 1;
  const toWarning = msLeft > warnBelowMs ? msLeft - warnBelowMs : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(toTextChange, toWarning, msLeft));
}
