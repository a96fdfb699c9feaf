/**
 * Reading a token endpoint response (RFC 6749 §5.1 success, §5.2 error) into a {@link TokenSet}, or into
 * an {@link OAuthError} that says what went wrong. No token value ever reaches an error message: only
 * field names, the HTTP status and a redacted excerpt of bodies that are not token responses.
 */
import type { HttpResponse } from '../http/httpClient';
import type { TokenSet } from '../tokens/tokenSet';
import { bodyExcerpt, sanitizeForDisplay } from './displayText';
import { isErrorResponseBody, OAuthError, oauthErrorFromTokenErrorBody } from './oauthError';

/** The parts of an HTTP response the parser looks at (durationMs is irrelevant here). */
export type TokenHttpResponse = Pick<HttpResponse, 'status' | 'headers' | 'body'>;

/** What a refresh carries over when the response omits it (RFC 6749 §6: the old refresh token stays valid). */
export interface PreviousTokens {
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
  refreshTokenExpiresIn?: number;
}

/** Top-level fields mapped to TokenSet properties rather than copied into `extra`. */
const STANDARD_FIELDS: ReadonlySet<string> = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'refresh_token_expires_in',
  'scope',
  'id_token',
]);

/** Provider-specific fields with names like these may be credentials, so they stay out of `extra` (which is displayed). */
const SECRET_LOOKING_FIELD = /token|secret|password|assertion|credential/i;

const LABEL = 'The token endpoint';

/** How much of the unknown fields is kept (they are stored with the tokens and shown in Show Tokens). */
export const EXTRA_LIMITS = { fields: 50, fieldCharacters: 2048, totalCharacters: 16 * 1024 } as const;

/** Parses the response; throws an {@link OAuthError} for anything that is not a usable Bearer token response. */
export function parseTokenResponse(response: TokenHttpResponse, now: number, previous?: PreviousTokens): TokenSet {
  if (response.status < 200 || response.status >= 300) {
    throw errorForFailedStatus(response);
  }
  const body = parseJsonObject(response);
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    // Some providers (GitHub among them) answer 200 with an RFC 6749 §5.2 error body.
    if (isErrorResponseBody(body)) {
      throw oauthErrorFromTokenErrorBody(body, response.status);
    }
    throw invalidTokenResponse(`The response has no access_token (fields present: ${fieldList(body)}).`);
  }
  return toTokenSet(body as Record<string, unknown> & { access_token: string }, now, previous);
}

function toTokenSet(body: Record<string, unknown> & { access_token: string }, now: number, previous?: PreviousTokens): TokenSet {
  const tokenType = checkedTokenType(body.token_type);
  const tokens: TokenSet = {
    accessToken: body.access_token,
    tokenType,
    obtainedAt: now,
    extra: extraFields(body),
  };
  const expiresIn = seconds(body.expires_in);
  if (expiresIn !== undefined) {
    tokens.expiresAt = now + expiresIn * 1000;
  }

  const newRefreshToken = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
  const refreshExpiresIn = seconds(body.refresh_token_expires_in);
  const refreshToken = newRefreshToken ?? previous?.refreshToken;
  if (refreshToken !== undefined) {
    tokens.refreshToken = refreshToken;
  }
  if (refreshExpiresIn !== undefined) {
    tokens.refreshTokenExpiresAt = now + refreshExpiresIn * 1000;
    tokens.refreshTokenExpiresIn = refreshExpiresIn;
  } else if (newRefreshToken === undefined && previous !== undefined) {
    // The kept refresh token keeps what its own response said about it.
    if (previous.refreshTokenExpiresAt !== undefined) tokens.refreshTokenExpiresAt = previous.refreshTokenExpiresAt;
    if (previous.refreshTokenExpiresIn !== undefined) tokens.refreshTokenExpiresIn = previous.refreshTokenExpiresIn;
  }

  const scopes = scopeList(body.scope);
  if (scopes !== undefined) {
    tokens.scopes = scopes;
  }
  if (typeof body.id_token === 'string' && body.id_token !== '') {
    tokens.idToken = body.id_token;
  }
  return tokens;
}

function checkedTokenType(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw invalidTokenResponse('The response has no token_type; only Bearer tokens (RFC 6750) are supported.');
  }
  if (value.toLowerCase() !== 'bearer') {
    throw new OAuthError({
      code: 'invalid_token_response',
      description: `The token_type is "${sanitizeForDisplay(value, 40)}", but only Bearer tokens (RFC 6750) are supported.`,
      hint: 'Configure the application at the provider to issue Bearer access tokens.',
    });
  }
  return value;
}

/** expires_in as a non-negative number of seconds; numeric strings are accepted because several providers send them. */
function seconds(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

function scopeList(value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    return value.split(' ').filter((scope) => scope !== '');
  }
  if (Array.isArray(value) && value.every((scope) => typeof scope === 'string')) {
    return value as string[];
  }
  return undefined;
}

/** Every other non-secret field, e.g. SKY's environment_id, legal_entity_name, tenant_id, user_id, email, given_name, mode. */
function extraFields(body: Record<string, unknown>): Record<string, unknown> {
  const kept: [string, unknown][] = [];
  let total = 0;
  for (const [name, value] of Object.entries(body)) {
    if (STANDARD_FIELDS.has(name) || SECRET_LOOKING_FIELD.test(name) || name.length > 100) continue;
    // Bounded: these are stored with the tokens and shown; an endpoint could send megabytes of them.
    const length = JSON.stringify(value)?.length ?? 0;
    const omitted = length > EXTRA_LIMITS.fieldCharacters ? `(omitted: ${length} characters)` : undefined;
    total += name.length + (omitted?.length ?? length);
    if (kept.length >= EXTRA_LIMITS.fields || total > EXTRA_LIMITS.totalCharacters) break;
    kept.push([name, omitted ?? value]);
  }
  // fromEntries defines own properties, so a "__proto__" key from the server stays an inert field.
  return Object.fromEntries(kept);
}

function parseJsonObject(response: TokenHttpResponse): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    // A 2xx body might be a token in some non-JSON shape, so only a page (HTML) is quoted.
    const quoted = looksLikeHtml(response) ? excerptSuffix(response.body) : '';
    throw invalidTokenResponse(`${describeBody(response)} is not JSON${quoted}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidTokenResponse(`${describeBody(response)} is JSON but not an object.`);
  }
  return parsed as Record<string, unknown>;
}

function errorForFailedStatus(response: TokenHttpResponse): OAuthError {
  const parsed = tryParseJson(response.body);
  if (isErrorResponseBody(parsed)) {
    return oauthErrorFromTokenErrorBody(parsed, response.status);
  }
  return new OAuthError({
    code: 'http_error',
    status: response.status,
    description: `${LABEL} answered HTTP ${response.status} without an OAuth 2.0 error body${excerptSuffix(response.body)}.`,
    hint: hintForStatus(response),
  });
}

function hintForStatus(response: TokenHttpResponse): string {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    return location === undefined
      ? 'The token endpoint redirects; use the final token endpoint URL in Configure App.'
      : `The token endpoint redirects to ${sanitizeForDisplay(location, 120)}; use that URL in Configure App if you trust it.`;
  }
  if (status === 401 || status === 403) {
    return 'Check the application ID and secret and the client authentication method in Configure App.';
  }
  if (status === 404 || status === 405) {
    return 'Check the token endpoint URL in Configure App.';
  }
  if (status >= 500) {
    return 'The provider had a problem; try again in a moment, and check its status page if it persists.';
  }
  return 'Check the token endpoint URL and the application settings in Configure App.';
}

function describeBody(response: TokenHttpResponse): string {
  const contentType = response.headers['content-type'];
  const type = contentType === undefined ? '' : `, ${sanitizeForDisplay(contentType, 60)}`;
  return `The HTTP ${response.status} response body (${response.body.length} chars${type})`;
}

function excerptSuffix(body: string): string {
  const excerpt = bodyExcerpt(body);
  return excerpt === '' ? '' : `: "${excerpt}"`;
}

function looksLikeHtml(response: TokenHttpResponse): boolean {
  return /html/i.test(response.headers['content-type'] ?? '') || /^\s*</.test(response.body);
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fieldList(body: Record<string, unknown>): string {
  const names = Object.keys(body).slice(0, 12).map((name) => sanitizeForDisplay(name, 40));
  return names.length === 0 ? 'none' : names.join(', ');
}

function invalidTokenResponse(description: string): OAuthError {
  return new OAuthError({ code: 'invalid_token_response', description });
}
