// What the status bar says about the stored tokens: the countdown, its colour, the tooltip and what a
// click does. Plain data, so every state is unit-tested without an editor.
import { sanitizeForDisplay } from '../text/displayText';
import { accessTokenLabel, accessTokenState, refreshTokenState } from './expiry';
import { signedInAs } from './identity';
import { formatDuration, tokenEnvironment } from './tokenSummary';
import type { TokenSet } from './tokenSet';

export type StatusSeverity = 'normal' | 'warning' | 'error';

export interface TokenStatusView {
  /** With the codicon, e.g. "$(key) 57m". */
  text: string;
  severity: StatusSeverity;
  /** Tooltip lines, plain text. */
  tooltip: string[];
  /** What clicking does: refresh when a usable refresh token is stored, authorize otherwise. */
  action: 'refresh' | 'authorize';
  /** When the text or colour next changes; undefined when nothing will change by itself. */
  nextChangeInMs?: number;
}

export interface TokenStatusOptions {
  /** The last refresh failed (network, provider): shown in the error colour until one succeeds. */
  refreshFailed?: boolean;
  /** Absolute times in the tooltip; the editor passes the user's locale. */
  formatTime?: (epochMs: number) => string;
}

export function tokenStatusView(tokenSet: TokenSet | undefined, now: number, options: TokenStatusOptions = {}): TokenStatusView {
  const formatTime = options.formatTime ?? ((ms: number) => new Date(ms).toISOString());
  if (!tokenSet) {
    return {
      text: '$(key) Authorize', severity: 'normal', action: 'authorize',
      tooltip: ['No tokens are stored for the configured app.', 'Click to run Authorize App.'],
    };
  }
  const access = accessTokenState(tokenSet, now);
  const refresh = refreshTokenState(tokenSet, now);
  const canRefresh = refresh === 'valid' || refresh === 'unknown';
  const lines: string[] = [];
  // The label comes from the same state as the messages' words (accessTokenExpiryWords), so they agree.
  const label = accessTokenLabel(access);
  let severity: StatusSeverity;
  let nextChangeInMs: number | undefined;
  switch (access.kind) {
    case 'unknown':
      severity = 'normal';
      lines.push('Access token: the provider did not say when it expires.');
      break;
    case 'expired':
      severity = 'error';
      // The instant it stopped being usable, as "valid … until" said before: the provider's expiry less the margin.
      lines.push(`Access token: expired (${formatTime(now + (access.msLeft ?? 0))}).`);
      break;
    default: {
      const msLeft = access.msLeft ?? 0;
      severity = access.kind === 'expiring' ? 'warning' : 'normal';
      lines.push(`Access token: valid for ${formatDuration(msLeft)} (until ${formatTime(now + msLeft)}).`);
      nextChangeInMs = nextLabelChange(msLeft, access.warnBelowMs ?? 0);
    }
  }
  lines.push(refreshLine(tokenSet, refresh, formatTime));
  const subject = signedInAs(tokenSet);
  const environment = tokenEnvironment(tokenSet);
  if (subject) lines.push(`Signed in as ${subject}${environment ? ` in ${environment}` : ''}.`);
  if (tokenSet.scopes?.length) lines.push(`Scopes: ${sanitizeForDisplay(tokenSet.scopes.join(' '))}.`);
  if (options.refreshFailed) {
    severity = 'error';
    lines.push('The last refresh failed; the log says why.');
  }
  lines.push(canRefresh ? 'Click to refresh the access token.' : 'Click to run Authorize App.');
  return {
    text: `$(key) ${label}`, severity, tooltip: lines, action: canRefresh ? 'refresh' : 'authorize',
    ...(nextChangeInMs === undefined ? {} : { nextChangeInMs }),
  };
}

function refreshLine(tokenSet: TokenSet, state: ReturnType<typeof refreshTokenState>, formatTime: (ms: number) => string): string {
  switch (state) {
    case 'absent': return 'Refresh token: none was issued (authorize again when the access token expires).';
    case 'expired': return 'Refresh token: expired; authorize again.';
    case 'unknown': return 'Refresh token: stored (the provider did not say when it expires).';
    case 'valid': return `Refresh token: stored, valid until ${formatTime(tokenSet.refreshTokenExpiresAt ?? 0)}.`;
  }
}

/**
 * The label shows minutes above one minute and seconds below it; the colour changes at the warning
 * threshold and at expiry. The next repaint is the earliest of those, so the timer idles between them.
 */
function nextLabelChange(msLeft: number, warnBelowMs: number): number {
  // formatDuration rounds to whole seconds, so the shown number drops once msLeft falls below n - 0.5 of
  // its unit: "18s" turns into "17s" at 17 499 ms, "4m" into "3m" at 239 499 ms.
  const seconds = Math.round(msLeft / 1000);
  const unitMs = seconds < 60 ? 1000 : 60_000;
  const shownMs = Math.floor((seconds * 1000) / unitMs) * unitMs;
  const toLabelChange = msLeft - (shownMs - 500) + 1;
  const toWarning = msLeft > warnBelowMs ? msLeft - warnBelowMs : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(toLabelChange, toWarning, msLeft));
}
