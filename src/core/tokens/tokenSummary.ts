// Words for a token set: how long is left, who it belongs to, what it allows. Shared by the success
// messages, the status bar and the tokens view so they never disagree.
import { sanitizeForDisplay } from '../text/displayText';
import { accessTokenExpiryWords, accessTokenState } from './expiry';
import { formatDuration } from '../text/duration';
import { signedInAs } from './identity';
import type { TokenSet } from './tokenSet';

export { formatDuration } from '../text/duration';

/** SKY's environment the consent was given for, when the provider says; neutralised for display. */
export function tokenEnvironment(tokenSet: TokenSet): string | undefined {
  for (const key of ['environment_name', 'environment_id']) {
    const value = tokenSet.extra[key];
    const clean = typeof value === 'string' ? sanitizeForDisplay(value, 80) : '';
    if (clean !== '') return clean;
  }
  return undefined;
}

/**
 * One sentence about a fresh token set, e.g. for the message after Authorize App: who signed in, and the
 * access token's expiry as the status bar reads it at the same instant (accessTokenState).
 */
export function describeTokenSet(tokenSet: TokenSet, now: number): string {
  const parts: string[] = [];
  const subject = signedInAs(tokenSet);
  const environment = tokenEnvironment(tokenSet);
  if (subject) parts.push(`as ${subject}`);
  if (environment) parts.push(`in ${environment}`);
  const who = parts.length ? ` ${parts.join(' ')}` : '';
  const expiry = `The access token ${accessTokenExpiryWords(accessTokenState(tokenSet, now))}`;
  const scopes = tokenSet.scopes && tokenSet.scopes.length ? `; scopes: ${sanitizeForDisplay(tokenSet.scopes.join(' '))}` : '';
  const refresh = !tokenSet.refreshToken ? '; no refresh token was issued'
    : tokenSet.refreshTokenExpiresAt === undefined || !Number.isFinite(tokenSet.refreshTokenExpiresAt)
      ? '; a refresh token is stored (the provider did not say for how long)'
      : tokenSet.refreshTokenExpiresAt <= now ? '; the stored refresh token has expired'
      // The provider's own refresh_token_expires_in, never a documented number.
      : `; a refresh token is stored, valid for ${formatDuration(tokenSet.refreshTokenExpiresAt - now)} by the provider's refresh_token_expires_in`;
  return `Authorized${who}. ${expiry}${scopes}${refresh}.`;
}
