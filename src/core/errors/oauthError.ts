/**
 * The errors the core throws: one base class and a subclass per origin. Every one carries an error code (the provider's RFC 6749
 * code, or one of ours for failures that happen on this side) and a hint: the sentence that tells the
 * developer what to do next, which is what an error in a walkthrough is for.
 *
 * The message tells the two apart: a provider's code is named as the provider's ("The provider answered
 * invalid_grant: …"), so it can be looked up in the provider's documentation; a failure found by this
 * extension is said in words, and its code (state_mismatch, loopback_unavailable…) stays internal, for
 * choosing buttons and for tests.
 */
import { breakLinkSyntax, sanitizeForDisplay } from '../text/displayText';

/** RFC 6749 §4.1.2.1 and §5.2 error codes. */
export type Rfc6749ErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable';

/** Failures detected by this extension rather than reported by the provider. */
export type LocalErrorCode =
  | 'state_mismatch'
  | 'no_pending_authorization'
  | 'authorization_expired'
  | 'callback_replayed'
  | 'invalid_callback'
  | 'issuer_mismatch'
  | 'invalid_token_response'
  | 'invalid_metadata'
  | 'discovery_failed'
  | 'invalid_id_token'
  | 'invalid_jwks'
  | 'revocation_failed'
  | 'missing_client_secret'
  | 'no_refresh_token'
  | 'invalid_configuration'
  | 'http_error'
  | 'timeout'
  | 'network_error'
  | 'loopback_unavailable'
  | 'cancelled';

/**
 * Providers may send extension codes (RFC 6749 §8.5: OpenID's `login_required`, RFC 6750's
 * `invalid_token`, vendor codes such as `redirect_uri_mismatch`), so any string is accepted while the
 * known ones still autocomplete.
 */
export type OAuthErrorCode = Rfc6749ErrorCode | LocalErrorCode | (string & {});

/**
 * Where a failure comes from, which decides what the user can do about it: a provider's or API's answer
 * (its documentation, its status page), the way there (network, DNS, TLS, a timeout, a response too large),
 * this machine's configuration or environment (a setting, a missing secret, a busy loopback port), or the
 * flow itself as this extension runs it (a forged callback, an expired wait, a cancellation).
 */
export type ErrorOrigin = 'provider' | 'transport' | 'configuration' | 'extension';

export interface OAuthErrorInit {
  code: OAuthErrorCode;
  /** Provider-supplied (error_description) or locally written detail; sanitized on the way in. */
  description?: string;
  /** HTTP status when the error came from an HTTP response. */
  status?: number;
  /** Overrides the default hint for the code. */
  hint?: string;
  /** error_uri; kept only when it is an https URL. */
  uri?: string;
  cause?: unknown;
}

/**
 * The base of every error the core throws, and itself the error for failures of the flow (state_mismatch,
 * invalid_callback, authorization_expired, cancelled…). The subclasses say the origin; all of them keep
 * code, hint, status and description, so `isOAuthError` and the error reporting treat them alike.
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly origin: ErrorOrigin = 'extension';
  readonly description?: string;
  readonly status?: number;
  readonly hint: string;
  readonly uri?: string;

  /** `namedAsProviders` is ProviderError's: only a provider's own error response gets its code named. */
  constructor(init: OAuthErrorInit, namedAsProviders = false) {
    const code = sanitizeErrorCode(init.code);
    const description = init.description === undefined ? undefined : sanitizeForDisplay(init.description) || undefined;
    const hint = init.hint ?? hintFor(code, description);
    super(composeMessage(namedAsProviders, code, description, hint), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.hint = hint;
    if (description !== undefined) {
      this.description = description;
    }
    if (init.status !== undefined) {
      this.status = init.status;
    }
    const uri = httpsUriOrUndefined(init.uri);
    if (uri !== undefined) {
      this.uri = uri;
    }
  }
}

export interface ProviderErrorInit extends OAuthErrorInit {
  /**
   * The code and description are the provider's own, from an RFC 6749 §4.1.2.1 / §5.2 error response: the
   * message then names the code as the provider's ("The provider answered invalid_grant: …"), so it can be
   * looked up in its documentation. Otherwise (an HTTP error status, a malformed token response) the code
   * is ours and the message says what happened in words.
   */
  fromErrorResponse?: boolean;
}

/** What a provider or an API answered: an RFC 6749 error, an HTTP error status, a response that is not usable. */
export class ProviderError extends OAuthError {
  // Names spelled out: the bundles are minified, so a class's own name would not survive.
  override readonly name = 'ProviderError';
  override readonly origin = 'provider';
  readonly fromErrorResponse: boolean;

  constructor(init: ProviderErrorInit) {
    super(init, init.fromErrorResponse === true);
    this.fromErrorResponse = init.fromErrorResponse === true;
  }
}

/** The request never got an answer: network, DNS, TLS, a timeout, or a response too large to read. */
export class TransportError extends OAuthError {
  override readonly name = 'TransportError';
  override readonly origin = 'transport';
}

/** What the user's configuration or environment gets wrong: a setting, a missing secret, a busy loopback port. */
export class ConfigurationError extends OAuthError {
  override readonly name = 'ConfigurationError';
  override readonly origin = 'configuration';
}

export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}

/**
 * An error thrown by code of another bundle (the lazily loaded dist/idTokens.js carries its own copy of
 * these classes, which `instanceof` does not recognise) as this bundle's class of the same origin, with
 * its code, description, hint and status; anything else is returned as it is.
 */
export function asOwnOAuthError(error: unknown): unknown {
  if (error instanceof OAuthError || typeof error !== 'object' || error === null) return error;
  const { code, origin, description, hint, status } = error as Partial<Record<'code' | 'origin' | 'description' | 'hint', unknown>> & { status?: unknown };
  if (typeof code !== 'string' || typeof hint !== 'string' || !(error instanceof Error)) return error;
  const init: OAuthErrorInit = { code, hint, cause: error };
  if (typeof description === 'string') init.description = description;
  if (typeof status === 'number') init.status = status;
  switch (origin) {
    case 'provider': return new ProviderError(init);
    case 'transport': return new TransportError(init);
    case 'configuration': return new ConfigurationError(init);
    case 'extension': return new OAuthError(init);
    default: return error;
  }
}

/** The error fields an RFC 6749 error response carries, in the query (§4.1.2.1) or a JSON body (§5.2). */
export interface ErrorResponseFields {
  error: string;
  error_description?: unknown;
  error_uri?: unknown;
  /**
   * Not RFC 6749: SKY API puts its explanation of a denied consent here instead of error_description
   * ("The user chose not to give your app access to their Blackbaud data."; blackbaud/sky-api-docs,
   * content/docs/authorization/common-auth-issues/index.md, "User denied access"). Used when
   * error_description is absent.
   */
  error_message?: unknown;
}

/** True for a parsed JSON value that is an RFC 6749 §5.2 error body. */
export function isErrorResponseBody(value: unknown): value is ErrorResponseFields {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string';
}

/** From a token endpoint's RFC 6749 §5.2 error body. */
export function oauthErrorFromTokenErrorBody(body: ErrorResponseFields, status?: number): ProviderError {
  return fromErrorFields(body, status);
}

/** From the error parameters of an authorization response (RFC 6749 §4.1.2.1) delivered to the callback. */
export function oauthErrorFromAuthorizationResponse(fields: ErrorResponseFields): ProviderError {
  return fromErrorFields(fields, undefined);
}

function fromErrorFields(fields: ErrorResponseFields, status: number | undefined): ProviderError {
  const init: ProviderErrorInit = { code: fields.error, fromErrorResponse: true };
  if (typeof fields.error_description === 'string') {
    init.description = fields.error_description;
  } else if (typeof fields.error_message === 'string') {
    init.description = fields.error_message;
  }
  if (typeof fields.error_uri === 'string') {
    init.uri = fields.error_uri;
  }
  if (status !== undefined) {
    init.status = status;
  }
  return new ProviderError(init);
}

const REGISTER_REDIRECT_URI_HINT =
  'Register the exact redirect URI shown in Configure App at the provider, port and path included.';

const HINTS: Readonly<Record<string, string>> = {
  invalid_request:
    'The provider rejected the request as malformed; check the endpoints, redirect URI and extra parameters in Configure App.',
  invalid_client:
    'Check the application ID and secret (and the client authentication method: if the secret contains +, / or =, try client_secret_post).',
  invalid_grant: 'The authorization code expired or was already used; authorize again.',
  unauthorized_client:
    'The application may not use this grant; enable the authorization code (and refresh token) grant in its registration.',
  unsupported_grant_type: 'The token endpoint does not support this grant type; check the token endpoint URL in Configure App.',
  invalid_scope: 'Remove or correct the scopes in Configure App; the provider does not allow the requested scope for this application.',
  access_denied: 'Consent was denied at the provider; run Authorize App again and approve.',
  unsupported_response_type:
    'The provider does not allow response_type=code for this application; enable the authorization code flow in its registration.',
  server_error: 'The provider had an internal error; try again in a moment.',
  temporarily_unavailable: 'The provider is temporarily unavailable; try again in a moment.',
  invalid_token: 'The access token is invalid or expired; refresh it or authorize again.',
  insufficient_scope: 'The access token lacks the scope this call needs; add the scope in Configure App and authorize again.',
  login_required: 'The provider needs you to sign in; run Authorize App again without prompt=none.',
  consent_required: 'The provider needs your consent; run Authorize App again without prompt=none.',
  interaction_required: 'The provider needs you to interact with its page; run Authorize App again without prompt=none.',
  redirect_uri_mismatch: REGISTER_REDIRECT_URI_HINT,
  // GitHub's token endpoint codes (github/docs content/apps/oauth-apps/maintaining-oauth-apps/
  // troubleshooting-oauth-app-access-token-request-errors.md), sent with HTTP 200.
  bad_verification_code: 'The code is incorrect, expired (GitHub codes last 10 minutes) or already used; run Authorize App again.',
  incorrect_client_credentials:
    'Check the client ID and the client secret of the GitHub app in Configure App (GitHub takes them as client_secret_post).',
  unverified_user_email: 'The GitHub user must verify their primary email address first; then run Authorize App again.',
  // SKY API's token endpoint: "The specified value for the redirect_uri parameter '…' did not match any
  // pre-registered values." It must be registered and exactly the authorization request's (capitalization
  // and trailing slash included); blackbaud/sky-api-docs, content/docs/authorization/common-auth-issues/index.md.
  invalid_redirect_uri:
    'The token request\'s redirect_uri must be registered for the application and exactly the one of the authorization '
    + 'request (capitalization and trailing slash included): register the exact redirect URI shown in Configure App, then authorize again.',
  state_mismatch:
    'This response does not belong to the authorization in progress and was ignored; run Authorize App again if it was yours.',
  no_pending_authorization: 'No authorization is waiting for a response; run Authorize App first.',
  authorization_expired: 'The authorization took too long to complete; run Authorize App again.',
  callback_replayed: 'Each authorization response is accepted once (codes are single-use); run Authorize App again if you need new tokens.',
  invalid_callback:
    'The authorization response was malformed and was not used; run Authorize App again.',
  issuer_mismatch:
    'The response names another authorization server than the configured issuer (RFC 9207); check the issuer in Configure App.',
  invalid_id_token:
    'Nothing was stored. Authorize again; if the same claim is refused again, check the issuer and application ID in Configure App.',
  invalid_jwks:
    'The issuer\'s signing keys could not be read, so the ID token cannot be verified and nothing was stored; check the issuer in Configure App.',
  revocation_failed:
    'The tokens were deleted from this editor; at the provider they stay valid until they expire (remove the app\'s access there to end them sooner).',
  invalid_token_response:
    'The token endpoint did not answer with an OAuth 2.0 token response; check the token endpoint URL in Configure App.',
  invalid_metadata:
    'The provider\'s metadata document does not follow RFC 8414 / OpenID Connect Discovery, so nothing was taken from it; '
    + 'check the issuer URL, or choose "Enter endpoints manually" in Configure App.',
  discovery_failed:
    'Check the issuer URL (the provider\'s documentation names it; it is the "iss" of its tokens), '
    + 'or choose "Enter endpoints manually" in Configure App.',
  missing_client_secret:
    'Run Configure App and enter the application secret, or choose client authentication "none" for a public client using PKCE.',
  no_refresh_token:
    'Run Authorize App again; some providers issue a refresh token only when the offline_access scope is requested '
    + '(OpenID providers only together with prompt=consent, which Authorize App then adds).',
  invalid_configuration: 'Run Configure App, or correct the value named above in settings.json.',
  http_error: 'Check the endpoint URL in Configure App and the provider\'s status.',
  timeout: 'Check the URL or your network.',
  network_error: 'Check the URL, your network connection and proxy settings.',
  cancelled: 'Nothing was changed; run the command again when ready.',
};

const FALLBACK_HINT = 'See the provider\'s documentation for this error code.';

/** The "what to do next" sentence for a code; a description mentioning redirect_uri wins for invalid_request. */
export function hintFor(code: OAuthErrorCode, description?: string): string {
  if (code === 'invalid_request' && description !== undefined && /redirect[_ ]?uri/i.test(description)) {
    return REGISTER_REDIRECT_URI_HINT;
  }
  // hasOwn, not `in`/index: a hostile code such as `constructor` must not reach Object.prototype.
  return Object.hasOwn(HINTS, code) ? (HINTS[code] as string) : FALLBACK_HINT;
}

const MAX_CODE_LENGTH = 64;

/**
 * RFC 6749 restricts error codes to printable ASCII without `"` and `\`; a provider (or a forged callback)
 * sending anything else gets it reduced to that, so a code can be shown and switched on safely. That set
 * still spells `[x](command:y)`, which a notification would render as a link, so the link syntax is broken.
 */
function sanitizeErrorCode(code: string): string {
  const cleaned = code.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '').replace(/[<>]/g, '').trim().slice(0, MAX_CODE_LENGTH);
  return cleaned === '' ? 'unrecognized_error' : breakLinkSyntax(cleaned);
}

function composeMessage(namedAsProviders: boolean, code: string, description: string | undefined, hint: string): string {
  const detail = description === undefined ? hint : `${ensureSentence(description)} ${hint}`;
  return namedAsProviders ? `The provider answered ${code}: ${detail}` : detail;
}

function ensureSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** error_uri is shown as a link, so only an absolute https URL is kept (RFC 6749 restricts it to URI characters). */
function httpsUriOrUndefined(uri: string | undefined): string | undefined {
  if (uri === undefined || uri.length > 2048 || /[^\x21\x23-\x5B\x5D-\x7E]/.test(uri)) {
    return undefined;
  }
  try {
    const parsed = new URL(uri);
    return parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
