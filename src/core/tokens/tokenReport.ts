/**
 * The tokens view (Show Tokens, tutorial step 5) as markdown: what is stored, for how long, for whom, and
 * what a JWT says about itself. Token values are masked unless the user asked to reveal them; decoded JWT
 * claims are labelled unverified, because nothing here checks a signature.
 */
import { fence, inlineCode, singleLine, tableCell } from '../text/markdown';
import { mask } from '../text/redact';
import { accessTokenState } from './expiry';
import { idTokenVerificationWords } from './idTokenVerification';
import { decodeJwt, type DecodedJwt } from './jwt';
import { formatDuration } from './tokenSummary';
import type { TokenSet } from './tokenSet';

export interface TokenReportOptions {
  /** Show the token values in full (Reveal Token Values); masked otherwise. */
  reveal: boolean;
  /** Absolute times; the editor passes the user's locale. Default: ISO 8601 (UTC). */
  formatTime?: (epochMs: number) => string;
}

/** JWT claims that are times (RFC 7519 §4.1, OpenID Connect Core §2), shown as dates too. */
const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time'] as const;

export function tokenReport(tokenSet: TokenSet, now: number, options: TokenReportOptions): string {
  const when = timeWords(now, options.formatTime ?? ((ms) => new Date(ms).toISOString()));
  const value = (token: string): string => inlineCode(options.reveal ? token : mask(token));
  const sections = [
    header(tokenSet, options.reveal, when),
    accessTokenSection(tokenSet, value, when),
    refreshTokenSection(tokenSet, value, when),
    idTokenSection(tokenSet, value, when),
    whoAndWhereSection(tokenSet.extra),
    providerFieldsSection(tokenSet.extra),
    jwtSection('access token', tokenSet.accessToken, when),
    tokenSet.idToken ? jwtSection('ID token', tokenSet.idToken, when, tokenSet.idTokenVerification?.status === 'verified') : undefined,
  ];
  return sections.filter((section): section is string => section !== undefined).join('\n');
}

interface TimeWords {
  /** "2025-01-01T12:00:00.000Z (in 5 min)" or "(5 min ago)". */
  absoluteAndRelative(epochMs: number): string;
  format(epochMs: number): string;
  now: number;
}

function timeWords(now: number, format: (epochMs: number) => string): TimeWords {
  return {
    now,
    format,
    absoluteAndRelative: (epochMs) => {
      const relative = epochMs > now ? `in ${formatDuration(epochMs - now)}` : `${formatDuration(now - epochMs)} ago`;
      return `${format(epochMs)} (${relative})`;
    },
  };
}

function header(tokenSet: TokenSet, reveal: boolean, when: TimeWords): string {
  const notice = reveal
    ? '> **Token values are shown in full.** Anyone who can see this editor can use them: close it when you are done\n'
      + '> (its text is dropped when it closes), and run Show Tokens to mask them again.\n'
    : '> Token values are masked (first characters and length). **Reveal Token Values** (the eye above) shows them;\n'
      + '> **Copy Access Token** copies the access token without showing it.\n';
  return '# Stored tokens\n\n'
    + notice
    + `\nAs of ${when.format(when.now)}. Obtained ${when.absoluteAndRelative(tokenSet.obtainedAt)}; `
    + 'run Show Tokens again to see a later refresh. The tokens live in VS Code\'s secret storage only.\n';
}

function accessTokenSection(tokenSet: TokenSet, value: (token: string) => string, when: TimeWords): string {
  const expiry = accessTokenExpiry(tokenSet, when);
  const scopes = tokenSet.scopes === undefined
    ? 'not reported by the provider (it granted what the application is allowed)'
    : tokenSet.scopes.length === 0 ? 'none' : tokenSet.scopes.map((scope) => inlineCode(scope)).join(' ');
  const format = decodeJwt(tokenSet.accessToken)
    ? 'JWT (decoded below; its signature is NOT verified)'
    : 'opaque (not a JWT): only the provider can read it, so send it exactly as stored';
  return '## Access token\n\n'
    + `- Value: ${value(tokenSet.accessToken)}\n`
    + `- Type: ${inlineCode(tokenSet.tokenType)} (sent as \`Authorization: Bearer <token>\`, RFC 6750)\n`
    + `- Expires: ${expiry}\n`
    + `- Scopes: ${scopes}\n`
    + `- Format: ${format}\n`;
}

/**
 * When the access token stops being usable, read by accessTokenState like the status bar and the
 * messages ("in 18 s" here is "18s" there), with the provider's own expiry and the margin between them.
 */
function accessTokenExpiry(tokenSet: TokenSet, when: TimeWords): string {
  const state = accessTokenState(tokenSet, when.now);
  if (state.kind === 'unknown' || tokenSet.expiresAt === undefined) {
    return 'not stated by the provider (no `expires_in`); the API answers 401 once it stops working';
  }
  const msLeft = state.msLeft ?? 0;
  const usableUntil = when.format(when.now + msLeft);
  const margin = state.marginMs
    ? ` (the provider's expiry, ${when.format(tokenSet.expiresAt)}, less a ${formatDuration(state.marginMs)} margin for clock differences and transit)`
    : '';
  return state.kind === 'expired'
    ? `expired ${formatDuration(-msLeft)} ago, at ${usableUntil}${margin}`
    : `in ${formatDuration(msLeft)}, at ${usableUntil}${margin}`;
}

function refreshTokenSection(tokenSet: TokenSet, value: (token: string) => string, when: TimeWords): string {
  if (!tokenSet.refreshToken) {
    return '## Refresh token\n\n'
      + 'None was issued, so the access token cannot be renewed: run Authorize App again when it expires '
      + '(some providers issue one only for the `offline_access` scope).\n';
  }
  const expiry = tokenSet.refreshTokenExpiresAt === undefined || !Number.isFinite(tokenSet.refreshTokenExpiresAt)
    ? 'not stated by the provider'
    : expiryWords(tokenSet.refreshTokenExpiresAt, when) + (tokenSet.refreshTokenExpiresAt <= when.now ? '; run Authorize App again' : '');
  // What the provider said, not what any documentation says: SKY's lifetime has been published differently over time.
  const stated = tokenSet.refreshTokenExpiresIn === undefined || !Number.isFinite(tokenSet.refreshTokenExpiresIn)
    ? 'the token response had no `refresh_token_expires_in`'
    : `\`refresh_token_expires_in\`: ${tokenSet.refreshTokenExpiresIn} s (${formatDuration(tokenSet.refreshTokenExpiresIn * 1000)}) when it was issued`;
  return '## Refresh token\n\n'
    + `- Value: ${value(tokenSet.refreshToken)}\n`
    + `- Expires: ${expiry}\n`
    + `- Lifetime stated by the provider: ${stated}\n`
    + '- Used by Refresh Access Token (step 7) to get a new access token without asking the user again.\n';
}

function idTokenSection(tokenSet: TokenSet, value: (token: string) => string, when: TimeWords): string | undefined {
  if (!tokenSet.idToken) return undefined;
  // The key id, algorithm and issuer are the provider's: inline code keeps each one inert text.
  const verification = idTokenVerificationWords(tokenSet.idTokenVerification, when.format, (text) => inlineCode(singleLine(text, 200)));
  return '## ID token\n\n'
    + `- Value: ${value(tokenSet.idToken)}\n`
    + `- ID token: ${verification}\n`
    + '- OpenID Connect: it says who signed in, for the client; it is never sent to the API.\n';
}

function expiryWords(epochMs: number, when: TimeWords): string {
  return epochMs <= when.now ? `expired ${when.absoluteAndRelative(epochMs)}` : when.absoluteAndRelative(epochMs);
}

/**
 * SKY's fields about who connected to what, by name: the sample response in blackbaud/sky-api-docs
 * includes/authcodeflow/step5.md (tenant_*, legal_entity_*, environment_*, user_id) and the token model of
 * blackbaud/sky-api-tutorial-auth-code-c-sharp Models/RefreshTokenResponseModel.cs (email, given_name,
 * family_name, mode "Full" or "Limited"). Other providers' fields stay in the table below only.
 */
const WHO_AND_WHERE: readonly (readonly [label: string, fields: readonly string[]])[] = [
  ['User', ['given_name', 'family_name', 'email', 'user_id']],
  ['Environment', ['environment_name', 'environment_id']],
  ['Legal entity', ['legal_entity_name', 'legal_entity_id']],
  ['Tenant (SKY\'s older name for the customer)', ['tenant_name', 'tenant_id']],
  ['Access mode (SKY: Full or Limited)', ['mode']],
];

function whoAndWhereSection(extra: Readonly<Record<string, unknown>>): string | undefined {
  const lines = WHO_AND_WHERE.flatMap(([label, fields]) => {
    const present = fields.filter((field) => typeof extra[field] === 'string' && singleLine(extra[field] as string) !== '');
    if (present.length === 0) return [];
    // inlineCode keeps a provider's value one inert line: no markup, no line breaks, no invisible characters.
    return [`- ${label}: ${present.map((field) => `${inlineCode(singleLine(extra[field] as string, 200))} (${field})`).join(', ')}`];
  });
  return lines.length === 0 ? undefined : `## Who and where\n\n${lines.join('\n')}\n`;
}

/** Everything else the token response carried. The parser already keeps token-like names out of `extra`. */
function providerFieldsSection(extra: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(extra);
  if (entries.length === 0) return '## Provider fields\n\nThe token response carried no other fields.\n';
  const rows = entries.map(([name, fieldValue]) => `| ${tableCell(name)} | ${tableCell(fieldText(fieldValue))} |`);
  return '## Provider fields\n\n'
    + 'Non-secret fields of the token response besides the tokens (SKY API: the environment and legal entity '
    + 'the user connected, and who they are).\n\n'
    + '| Field | Value |\n| --- | --- |\n'
    + `${rows.join('\n')}\n`;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function jwtSection(name: string, token: string, when: TimeWords, verified = false): string | undefined {
  const decoded = decodeJwt(token);
  if (!decoded) return undefined;
  const notice = verified
    ? '> **Signature verified** with the issuer\'s key when it was received, with `iss`, `aud`, `azp`, `exp`, `iat` and `nonce`\n'
      + '> checked (OpenID Connect Core §3.1.3.7; see above). Your own code must verify it the same way before trusting it.\n\n'
    : '> **Signature NOT verified.** This is only the token\'s own header and claims, base64url-decoded for reading.\n'
      + '> Anyone can write a JWT that says this; the API checks the signature, and your code must not trust these\n'
      + '> claims without doing the same.\n\n';
  return `## Decoded ${name} (JWT)\n\n`
    + notice
    + `Header:\n\n${fence('json', JSON.stringify(decoded.header, undefined, 2))}\n`
    + `Claims:\n\n${fence('json', JSON.stringify(decoded.claims, undefined, 2))}`
    + timeClaimLines(decoded, when);
}

function timeClaimLines(decoded: DecodedJwt, when: TimeWords): string {
  const lines = TIME_CLAIMS.flatMap((claim) => {
    const seconds = decoded.claims[claim];
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return [];
    return [`- ${inlineCode(claim)} ${seconds} = ${singleLine(when.absoluteAndRelative(seconds * 1000))}`];
  });
  return lines.length === 0 ? '' : `\nTimes in the claims (seconds since 1970, RFC 7519):\n\n${lines.join('\n')}\n`;
}
