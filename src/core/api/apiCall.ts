/**
 * Call the API (tutorial step 6) as data: where a typed path goes, which headers carry the access token
 * and the subscription key, what a response means, and the read-only view of it. The editor only asks
 * for the path, sends the request with the HttpClient and shows the text.
 */
import type { HttpResponse } from '../http/httpClient';
import { sanitizeForDisplay } from '../text/displayText';
import { ConfigurationError, OAuthError } from '../errors/oauthError';
import { redactHeaders, redactUrl } from '../text/redact';
import { isLoopbackHost } from '../providers/presets';
import { formatDuration } from '../text/duration';
import { fence, headerLines, singleLine } from '../text/markdown';

export interface ApiRequestInput {
  /** The configured API base URL, e.g. https://api.sky.blackbaud.com. */
  apiBaseUrl: string;
  /** What the user typed: a path relative to the base URL, or a full URL on the base URL's origin. */
  target: string;
  accessToken: string;
  /** e.g. SKY API's `Bb-Api-Subscription-Key`; absent for providers without one. */
  subscriptionKeyHeader?: string;
  subscriptionKey?: string;
}

export interface ApiRequest {
  method: 'GET';
  url: string;
  /** Path and query on the API's origin, for titles and the log (redact before logging). */
  path: string;
  headers: Record<string, string>;
  /** Things the user should know about this request, e.g. a subscription key that is not stored. */
  notes: string[];
}

/**
 * The URL `target` names. A path is appended to the base URL as text (so `/me` on `…/api` is `…/api/me`,
 * not the origin's `/me` that URL resolution would give). A full URL is accepted only on the base URL's
 * origin: the request carries the bearer token, and a token sent to any other host is a token given away
 * (RFC 6750 §5.3), so a pasted link can never make the extension hand it out. Joining always puts a `/`
 * between the base and the typed text (so `@evil.example/x` cannot turn the base host into userinfo), and
 * the origin of the result is checked whichever way it was built: that check is the rule, not the joining.
 */
export function resolveApiUrl(apiBaseUrl: string, target: string): URL {
  const base = parseBaseUrl(apiBaseUrl);
  const typed = target.trim();
  if (typed === '') {
    throw invalidTarget('No path was entered.');
  }
  if (/\s/.test(typed)) {
    throw invalidTarget('The path contains a space; encode it as %20.');
  }
  if (typed.includes('#')) {
    throw invalidTarget('The path contains a fragment ("#…"), which is never sent to a server; remove it.');
  }
  const isFullUrl = /^[a-z][a-z0-9+.-]*:/i.test(typed);
  const url = isFullUrl ? parseFullUrl(typed) : new URL(`${withoutTrailingSlash(base)}/${typed.replace(/^\/+/, '')}`);
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') {
    throw invalidTarget(
      `Only ${base.origin} (the configured API base URL) receives the access token; ${safeOrigin(url)} is another host.`,
      'Enter a path relative to the API base URL, or change the base URL with Configure App.',
    );
  }
  return url;
}

/** The GET request Call the API sends. */
export function buildApiRequest(input: ApiRequestInput): ApiRequest {
  const url = resolveApiUrl(input.apiBaseUrl, input.target);
  // RFC 6750 §2.1 spells the scheme "Bearer"; the stored token_type was checked to be that, in any case.
  const headers: Record<string, string> = { Authorization: `Bearer ${input.accessToken}` };
  const notes: string[] = [];
  const keyHeader = input.subscriptionKeyHeader?.trim();
  if (keyHeader && input.subscriptionKey) {
    headers[keyHeader] = input.subscriptionKey;
  } else if (keyHeader) {
    notes.push(`No subscription key is stored, so no ${keyHeader} header was sent; the API gateway answers 401 without it. `
      + 'Run Configure App and paste the key.');
  }
  headers.Accept = 'application/json';
  return { method: 'GET', url: url.href, path: `${url.pathname}${url.search}`, headers, notes };
}

export type ApiOutcomeKind =
  | 'success'
  /** 401 for the access token: refresh it and retry, or authorize again. */
  | 'token_rejected'
  /** 401 from the API gateway for the subscription key (SKY API, the sandbox): configure the key. */
  | 'subscription_key_rejected'
  /** 429 rate limit or SKY's 403 call volume quota: wait (Retry-After says how long) and retry. */
  | 'throttled'
  | 'failed';

export interface ApiOutcome {
  kind: ApiOutcomeKind;
  /** What the status means and what to do, as a sentence; absent for a plain success. */
  explanation?: string;
  /** RFC 6750 §3 `error` from WWW-Authenticate, when the API sent one. */
  bearerError?: string;
  /** For `throttled`: which limit, and how long to wait before retrying (from Retry-After), when known. */
  throttle?: { limit: 'rate' | 'quota'; retryAfterMs?: number };
}

/** What a response means for the user. */
export function assessApiResponse(
  response: Pick<HttpResponse, 'status' | 'headers' | 'body'>, request?: Pick<ApiRequest, 'notes'>, now: number = Date.now(),
): ApiOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'success' };
  const challenge = bearerChallenge(response.headers['www-authenticate']);
  if (status === 401 && challenge.error === undefined && mentionsSubscriptionKey(response.body)) {
    // SKY API: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active
    // subscription." (blackbaud/sky-api-docs, content/docs/authorization/common-auth-issues/index.md, and
    // includes/basics/response.md for the 401).
    const invalid = /invalid subscription key/i.test(response.body.slice(0, 4096));
    return {
      kind: 'subscription_key_rejected',
      explanation: `The API gateway rejected the subscription key (${invalid ? 'invalid: not a key of an active, approved subscription' : 'missing or invalid'}), `
        + `before looking at the token. ${request?.notes.length ? 'None is stored. ' : ''}`
        + 'Run Configure App and paste your subscription\'s primary or secondary key (SKY API: from your developer profile).',
    };
  }
  if (status === 401) {
    return {
      kind: 'token_rejected',
      ...(challenge.error ? { bearerError: challenge.error } : {}),
      // The API's RFC 6750 code is named as the API's; a bare 401 gets no code it did not send.
      explanation: `${challenge.error ? `The API answered ${sanitizeForDisplay(challenge.error, 64)} (RFC 6750 §3.1): ` : ''}`
        + `${sentence(challenge.error_description, 'The API did not accept the access token.')} `
        + 'It expired, was revoked or is not meant for this API: refresh it and retry, or run Authorize App again.',
    };
  }
  if (status === 403 && challenge.error === 'insufficient_scope') {
    return {
      kind: 'failed',
      bearerError: 'insufficient_scope',
      explanation: `The API answered insufficient_scope (RFC 6750 §3.1): the token lacks a scope this request needs${challenge.scope ? ` (${sanitizeForDisplay(challenge.scope, 200)})` : ''}. `
        + 'Add it to the scopes in Configure App and run Authorize App again.',
    };
  }
  const throttled = assessThrottling(response, now);
  if (throttled) return throttled;
  return { kind: 'failed', explanation: statusAdvice(status) };
}

/**
 * SKY API's two limits, both answered with Retry-After in seconds and a JSON body
 * `{"statusCode": …, "message": "…"}` (blackbaud/sky-api-docs, includes/basics/ratelimits.md and
 * includes/basics/quotas.md; includes/basics/response.md lists 403 for the quota and 429 for the rate limit):
 * 429 "Rate limit is exceeded. Try again in 1 second." (5 calls a second per subscription) and
 * 403 "Out of call volume quota. Quota will be replenished in 00:06:46." (25,000 calls a day).
 * A 403 is the quota only when it says so or carries Retry-After; otherwise it is a permission refusal.
 */
function assessThrottling(response: Pick<HttpResponse, 'status' | 'headers' | 'body'>, now: number): ApiOutcome | undefined {
  const retryAfter = response.headers['retry-after'];
  const isQuota = response.status === 403 && (retryAfter !== undefined || /call volume quota|quota exceeded/i.test(response.body.slice(0, 4096)));
  if (response.status !== 429 && !isQuota) return undefined;
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const said = gatewayMessage(response.body);
  const quoted = said ? ` The API said: "${said}"` : '';
  const when = retryAfterMs === undefined ? undefined : formatWait(retryAfterMs);
  const explanation = isQuota
    ? `The subscription's call volume quota is used up (SKY API allows 25,000 calls a day).${quoted} `
      + `${when ? `It is replenished in ${when} (Retry-After); retry then` : 'Retry once it is replenished'}, or ask the API's provider for a higher quota.`
    : `Too many requests: the API's rate limit was reached (SKY API allows 5 calls a second).${quoted} `
      + `${when ? `Retry in ${when} (Retry-After)` : 'Wait a moment and retry'}.`;
  return {
    kind: 'throttled', explanation,
    throttle: { limit: isQuota ? 'quota' : 'rate', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  };
}

/** The longest Retry-After honoured (a day): anything longer is a broken header, not a plan. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP-date (a date in the
 * past means now). Undefined when absent or unreadable; capped at {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP-date names its weekday and GMT (IMF-fixdate, or the obsolete RFC 850 and asctime forms).
  if (value.length > 64 || !/^[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** A wait to the second while it is short ("6 min 46 s"), as the token expiry is shown beyond an hour. */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return seconds % 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds / 60} min`;
  return formatDuration(seconds * 1000);
}

/** The gateway's `message` (SKY API's error bodies are `{"statusCode", "message"}`), made inert for a notification. */
function gatewayMessage(body: string): string | undefined {
  if (!/^\s*\{/.test(body) || body.length > 64 * 1024) return undefined;
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? sanitizeForDisplay(message, 200) || undefined : undefined;
  } catch {
    return undefined;
  }
}

function statusAdvice(status: number): string {
  if (status === 403) {
    return 'The token was accepted but does not allow this request: the user (or, in SKY API, the environment that '
      + 'connected the app) lacks the rights, or the application is not approved for this API.';
  }
  if (status === 404) return 'Nothing at this path: check it against the API reference (it is relative to the API base URL).';
  if (status >= 500) return 'The API failed on its side; try again later.';
  if (status >= 300 && status < 400) return 'The API redirected; redirects are not followed, so the token never goes to another URL.';
  return 'The API refused the request; its body below says why.';
}

export interface ApiResponseViewOptions {
  /** When the response arrived (epoch ms). */
  receivedAt: number;
  formatTime?: (epochMs: number) => string;
}

/** Large enough for any page of a real API; beyond it the view would only get slow. */
export const MAX_BODY_CHARACTERS = 1_000_000;

/** The read-only view of one call: status, time, the request as sent (credentials masked), headers and body. */
export function formatApiResponse(request: ApiRequest, response: HttpResponse, options: ApiResponseViewOptions): string {
  const formatTime = options.formatTime ?? ((ms: number) => new Date(ms).toISOString());
  const outcome = assessApiResponse(response, request, options.receivedAt);
  const secretHeaders = Object.keys(request.headers).filter((name) => name !== 'Authorization' && name !== 'Accept');
  const statusLine = `${response.status} ${reasonPhrase(response.status)}`.trim();
  const parts = [
    `# ${request.method} ${redactUrl(request.path)} → ${statusLine}\n`,
    `${Math.round(response.durationMs)} ms, received ${formatTime(options.receivedAt)}, from ${redactUrl(request.url)}\n`,
  ];
  if (outcome.explanation) parts.push(`> ${outcome.explanation}\n`);
  for (const note of request.notes) parts.push(`> ${note}\n`);
  parts.push('## Request\n', fence('http', `${request.method} ${redactUrl(request.path)} HTTP/1.1\nHost: ${new URL(request.url).host}\n`
    + headerLines(redactHeaders(request.headers, secretHeaders))));
  parts.push('## Response\n', fence('http', `HTTP/1.1 ${statusLine}\n${headerLines(redactHeaders(response.headers, secretHeaders))}`));
  parts.push(bodySection(response));
  return parts.join('\n');
}

function bodySection(response: HttpResponse): string {
  if (response.body === '') return '(empty body)\n';
  const truncated = response.body.length > MAX_BODY_CHARACTERS;
  const body = truncated ? response.body.slice(0, MAX_BODY_CHARACTERS) : response.body;
  const note = truncated ? `\nOnly the first ${MAX_BODY_CHARACTERS} of ${response.body.length} characters are shown.\n` : '';
  const json = truncated ? undefined : prettyJson(body, response.headers['content-type']);
  if (json !== undefined) return fence('json', json) + note;
  return fence(languageFor(response.headers['content-type']), body) + note;
}

/** Pretty-printed JSON when the body is JSON (by content type, or by shape when the API did not say). */
function prettyJson(body: string, contentType: string | undefined): string | undefined {
  const declared = contentType !== undefined && /[/+]json\b/i.test(contentType);
  if (!declared && !/^\s*[[{]/.test(body)) return undefined;
  try {
    return JSON.stringify(JSON.parse(body), undefined, 2);
  } catch {
    return undefined;
  }
}

function languageFor(contentType: string | undefined): string {
  if (contentType === undefined) return 'text';
  if (/html/i.test(contentType)) return 'html';
  if (/xml/i.test(contentType)) return 'xml';
  return 'text';
}

/** RFC 6750 §3: `Bearer realm="…", error="invalid_token", error_description="…", scope="…"`. */
function bearerChallenge(header: string | undefined): Record<string, string> {
  const parameters: Record<string, string> = {};
  if (header === undefined || !/^\s*Bearer\b/i.test(header)) return parameters;
  const pair = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const match of header.slice(0, 4096).matchAll(pair)) {
    const name = match[1].toLowerCase();
    parameters[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return parameters;
}

/** Server text as one inert sentence (it reaches a notification), or the fallback when the server said nothing. */
function sentence(text: string | undefined, fallback: string): string {
  const line = text === undefined ? '' : sanitizeForDisplay(text, 200);
  if (line === '') return fallback;
  return /[.!?…]$/.test(line) ? line : `${line}.`;
}

function mentionsSubscriptionKey(body: string): boolean {
  return /subscription key/i.test(body.slice(0, 4096));
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  409: 'Conflict', 410: 'Gone', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** RFC 9110 §15's phrase for a status ("" for unusual ones): fetch does not always report the server's. */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? '';
}

/** The API base URL as paths are joined onto it: validated like every call's, without a trailing slash. */
export function apiBaseHref(apiBaseUrl: string): string {
  return withoutTrailingSlash(parseBaseUrl(apiBaseUrl));
}

function withoutTrailingSlash(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

function parseBaseUrl(apiBaseUrl: string): URL {
  const trimmed = apiBaseUrl.trim();
  if (trimmed === '') {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: 'No API base URL is configured, so there is nowhere to send the request.',
      hint: 'Run Configure App, or set the app\'s "apiBaseUrl" in authCodeFlow.apps (SKY API: https://api.sky.blackbaud.com).',
    });
  }
  const url = tryParseUrl(trimmed);
  // The bearer token and the subscription key ride on every call: never in clear text off this machine.
  if (url === undefined || (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: `The API base URL "${singleLine(redactUrl(trimmed), 200)}" is not an absolute https:// URL `
        + '(http:// is accepted only for localhost, 127.0.0.1 or [::1]).',
      hint: 'Run Configure App, or correct the app\'s "apiBaseUrl" in authCodeFlow.apps.',
    });
  }
  return url;
}

function parseFullUrl(typed: string): URL {
  const url = tryParseUrl(typed);
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidTarget(`"${singleLine(redactUrl(typed), 200)}" is not an http(s) URL.`);
  }
  return url;
}

function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The origin of a URL the user typed, without any userinfo (which could hold a password). */
function safeOrigin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function invalidTarget(description: string, hint = 'Enter the path of a GET endpoint relative to the API base URL, e.g. /constituent/v1/constituents?limit=1 for SKY API.'): OAuthError {
  return new OAuthError({ code: 'invalid_request', description, hint });
}
