// Words for a token set: how long is left, who it belongs to, what it allows. Shared by the success
// message, the status bar and the tokens view so they never disagree.
import { sanitizeForDisplay } from '../protocol/displayText';
import type { TokenSet } from './tokenSet';

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h": coarse enough to read at a glance. */
export function formatDuration(ms: number): string {
  // A damaged stored expiry must not print "NaN d".
  const seconds = Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : 0;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Who the tokens were issued for, from the non-secret fields providers return (SKY: email, user_id). */
export function tokenSubject(tokenSet: TokenSet): string | undefined {
  return firstText(tokenSet, ['email', 'preferred_username', 'user_id', 'sub']);
}

/** SKY's environment the consent was given for, when the provider says. */
export function tokenEnvironment(tokenSet: TokenSet): string | undefined {
  return firstText(tokenSet, ['environment_name', 'environment_id']);
}

/** The provider wrote these values: one short inert line each, whatever they contain. */
function firstText(tokenSet: TokenSet, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = tokenSet.extra[key];
    const text = typeof value === 'string' ? sanitizeForDisplay(value, 120) : '';
    if (text !== '') return text;
  }
  return undefined;
}

/** One sentence about a fresh token set, e.g. for the message after Authorize App. */
export function describeTokenSet(tokenSet: TokenSet, now: number): string {
  const parts: string[] = [];
  const subject = tokenSubject(tokenSet);
  const environment = tokenEnvironment(tokenSet);
  if (subject) parts.push(`as ${subject}`);
  if (environment) parts.push(`in ${environment}`);
  const who = parts.length ? ` ${parts.join(' ')}` : '';
  const expiry = tokenSet.expiresAt === undefined
    ? 'The access token has no stated expiry'
    : tokenSet.expiresAt <= now
      ? 'The access token has already expired'
      : `The access token expires in ${formatDuration(tokenSet.expiresAt - now)}`;
  const scopes = tokenSet.scopes && tokenSet.scopes.length ? `; scopes: ${tokenSet.scopes.join(' ')}` : '';
  const refresh = !tokenSet.refreshToken ? '; no refresh token was issued'
    : tokenSet.refreshTokenExpiresAt === undefined || !Number.isFinite(tokenSet.refreshTokenExpiresAt)
      ? '; a refresh token is stored (the provider did not say for how long)'
      : tokenSet.refreshTokenExpiresAt <= now ? '; the stored refresh token has expired'
      // The provider's own refresh_token_expires_in, never a documented number.
      : `; a refresh token is stored, valid for ${formatDuration(tokenSet.refreshTokenExpiresAt - now)} by the provider's refresh_token_expires_in`;
  return `Authorized${who}. ${expiry}${scopes}${refresh}.`;
}
