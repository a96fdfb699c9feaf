// What the status bar says about the stored tokens: the countdown, its colour, the tooltip and what a
// click does. Plain data, so every state is unit-tested without an editor.
import { accessTokenState, countdownLabel, refreshTokenState } from './expiry';
import { formatDuration, tokenEnvironment, tokenSubject } from './tokenSummary';
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
  let label: string;
  let severity: StatusSeverity;
  let nextChangeInMs: number | undefined;
  switch (access.kind) {
    case 'unknown':
      label = 'no expiry';
      severity = 'normal';
      lines.push('Access token: the provider did not say when it expires.');
      break;
    case 'expired':
      label = 'expired';
      severity = 'error';
      lines.push(`Access token: expired${tokenSet.expiresAt === undefined ? '' : ` (${formatTime(tokenSet.expiresAt)})`}.`);
      break;
    default: {
      const msLeft = access.msLeft ?? 0;
      label = countdownLabel(msLeft);
      severity = access.kind === 'expiring' ? 'warning' : 'normal';
      lines.push(`Access token: valid for ${formatDuration(msLeft)} (until ${formatTime(now + msLeft)}).`);
      nextChangeInMs = nextLabelChange(msLeft);
    }
  }
  lines.push(refreshLine(tokenSet, refresh, formatTime));
  const subject = tokenSubject(tokenSet);
  const environment = tokenEnvironment(tokenSet);
  if (subject) lines.push(`Signed in as ${subject}${environment ? ` in ${environment}` : ''}.`);
  if (tokenSet.scopes?.length) lines.push(`Scopes: ${tokenSet.scopes.join(' ')}.`);
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
function nextLabelChange(msLeft: number): number {
  if (msLeft <= 61_000) return Math.min(1000, msLeft);
  // formatDuration rounds to whole seconds, so "k min" turns into "k-1 min" just under k minutes left.
  const toNextMinute = (msLeft % 60_000) + 1000;
  const toWarning = msLeft - 300_000;
  return Math.max(1000, toWarning > 0 ? Math.min(toNextMinute, toWarning) : toNextMinute);
}
