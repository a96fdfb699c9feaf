/**
 * Reading a token endpoint response (RFC 6749 §5.1 success, §5.2 error) into a {@link TokenSet}, or into
 * an {@link OAuthError} that says what went wrong. No token value ever reaches an error message: only
 * field names, the HTTP status and a redacted excerpt of bodies that are not token responses.
 */
import type { HttpResponse } from '../http/httpClient';
import type { TokenSet } from '../tokens/tokenSet';
import { bodyExcerpt, sanitizeForDisplay } from '../text/displayText';
import { isErrorResponseBody, type OAuthError, oauthErrorFromTokenErrorBody, ProviderError } from '../errors/oauthError';

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
  const body = isFormEncoded(response) ? parseFormObject(response) : parseJsonObject(response);
  // GitHub answers a failed code exchange with HTTP 200 and an RFC 6749 §5.2 error body (error,
  // error_description, error_uri): an error field means a refusal whatever the status, and whatever else
  // the body holds (github/docs content/apps/oauth-apps/maintaining-oauth-apps/
  // troubleshooting-oauth-app-access-token-request-errors.md; the 200 in pockethub/PocketHub#891's log).
  if (isErrorResponseBody(body)) {
    throw oauthErrorFromTokenErrorBody(body, response.status);
  }
  if (body.access_token === undefined || body.access_token === null) {
    throw invalidTokenResponse(`The response has no access_token (fields present: ${fieldList(body)}).`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw malformedField('access_token', 'a non-empty string', body.access_token);
  }
  return toTokenSet(body as Record<string, unknown> & { access_token: string }, now, previous);
}

function toTokenSet(body: Record<string, unknown> & { access_token: string }, now: number, previous?: PreviousTokens): TokenSet {
  // Every field is checked before anything is built, so a malformed response stores nothing.
  const tokenType = checkedTokenType(body.token_type);
  const expiresIn = optionalSeconds(body, 'expires_in');
  const newRefreshToken = optionalString(body, 'refresh_token');
  const refreshExpiresIn = optionalSeconds(body, 'refresh_token_expires_in');
  const scope = optionalScope(body.scope);
  const idToken = optionalString(body, 'id_token');

  const tokens: TokenSet = {
    accessToken: body.access_token,
    tokenType,
    obtainedAt: now,
    extra: extraFields(body),
  };
  if (expiresIn !== undefined) {
    tokens.expiresAt = now + expiresIn * 1000;
  }
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
  if (scope !== undefined) {
    tokens.scopes = scope.split(' ').filter((name) => name !== '');
  }
  if (idToken !== undefined) {
    tokens.idToken = idToken;
  }
  return tokens;
}

function checkedTokenType(value: unknown): string {
  if (value === undefined) {
    throw invalidTokenResponse('The response has no token_type; only Bearer tokens (RFC 6750) are supported.');
  }
  if (typeof value !== 'string' || value === '') {
    throw malformedField('token_type', 'a non-empty string', value);
  }
  if (value.toLowerCase() !== 'bearer') {
    throw new ProviderError({
      code: 'invalid_token_response',
      description: `The token_type is "${sanitizeForDisplay(value, 40)}", but only Bearer tokens (RFC 6750) are supported.`,
      hint: 'Configure the application at the provider to issue Bearer access tokens.',
    });
  }
  return value;
}

/*
 * Field checks, as strict as panva/oauth4webapi's processGenericAccessTokenResponse (src/index.ts): a field
 * that is present must have its RFC 6749 §5.1 type, and one that does not is refused by name rather than
 * read as "absent" (which would report a token without expiry, or no refresh token, that the provider
 * never meant). null counts as present, as there.
 */

/** refresh_token, id_token: absent, or a non-empty string. */
function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw malformedField(name, 'a non-empty string', value);
  }
  return value;
}

/** scope (RFC 6749 §3.3, §5.1): a space-delimited string. */
function optionalScope(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw malformedField('scope', 'a string of space-separated scopes (RFC 6749 §3.3)', value);
  }
  return value;
}

/** A JSON string of digits only: RFC 6749 Appendix A.14's syntax for the value, `expires-in = 1*DIGIT`. */
const DIGITS = /^[0-9]{1,15}$/;

/**
 * expires_in and refresh_token_expires_in: a finite, non-negative number of seconds. RFC 6749 §5.1 makes
 * expires_in a JSON number; a string of digits is read too, since it is exactly the value's syntax in
 * Appendix A.14 and providers do send it quoted (oauth4webapi parses a string expires_in as well). Anything
 * else ("soon", "1e3", -5, null) is refused.
 */
function optionalSeconds(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && DIGITS.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw malformedField(name, 'a number of seconds (RFC 6749 §5.1)', value);
}

/** Fields whose value is a credential: their type is named, never their content. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['access_token', 'refresh_token', 'id_token']);

function malformedField(name: string, requirement: string, value: unknown): OAuthError {
  return new ProviderError({
    code: 'invalid_token_response',
    description: `The token response's ${name} must be ${requirement}, but it is ${describeValue(value, !SECRET_FIELDS.has(name))}.`,
    hint: 'Nothing was stored; the tokens you had are kept. The token endpoint does not answer as RFC 6749 §5.1 defines: '
      + 'check the token endpoint URL in Configure App, or report the response to the provider.',
  });
}

function describeValue(value: unknown, quote: boolean): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : quote ? `the string "${sanitizeForDisplay(value, 40)}"` : 'a string';
    case 'number':
      return quote ? String(value) : 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
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

/**
 * GitHub's token endpoint answers `application/x-www-form-urlencoded` unless asked for JSON
 * (`access_token=…&scope=repo%2Cgist&token_type=bearer`; github/docs content/apps/oauth-apps/
 * building-oauth-apps/authorizing-oauth-apps.md). The extension asks for JSON, but a server that answers
 * in the form encoding anyway is read by the same field rules, every value a string.
 */
function isFormEncoded(response: TokenHttpResponse): boolean {
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}

function parseFormObject(response: TokenHttpResponse): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(response.body.trim())) {
    // A repeated field has no single meaning (RFC 6749 §3.1 forbids repeating a request parameter).
    if (Object.hasOwn(fields, name)) {
      throw invalidTokenResponse(`The form-encoded token response repeats the field ${sanitizeForDisplay(name, 40)}.`);
    }
    fields[name] = value;
  }
  return fields;
}

function errorForFailedStatus(response: TokenHttpResponse): OAuthError {
  const parsed = isFormEncoded(response) ? tryParseForm(response) : tryParseJson(response.body);
  if (isErrorResponseBody(parsed)) {
    return oauthErrorFromTokenErrorBody(parsed, response.status);
  }
  return new ProviderError({
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

function tryParseForm(response: TokenHttpResponse): unknown {
  try {
    return parseFormObject(response);
  } catch {
    return undefined;
  }
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
  return new ProviderError({ code: 'invalid_token_response', description });
}
