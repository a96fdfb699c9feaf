/**
 * Step 2 of the flow: deciding what an incoming authorization response (RFC 6749 §4.1.2) means. Anyone
 * who can make the browser open the callback URL controls its parameters, so this is written as a pure
 * function over the parameters and a snapshot of what is waiting, returning a verdict the registry then
 * applies. The central rule: only a response carrying the state of a waiting request may affect that
 * request; anything else is ignored and leaves the genuine request waiting.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { OAuthError, oauthErrorFromAuthorizationResponse } from '../errors/oauthError';

/** What a successful authorization response yields: everything the token request needs. */
export interface AuthorizationCode {
  code: string;
  state: string;
  /** RFC 9207 issuer identifier, when the provider sent one. */
  iss?: string;
  /** The redirect URI of the matching request, to repeat in the token request (RFC 6749 §4.1.3). */
  redirectUri: string;
}

export interface WaitingAuthorization {
  state: string;
  redirectUri: string;
  /** Expected `iss` (RFC 9207); checked only when both this and the response's `iss` are present. */
  issuer?: string;
  /** authCodeFlow.requireIssuer: a response without `iss` (or with nothing to compare it to) is refused. */
  requireIssuer?: boolean;
  /**
   * Who asked for `iss` to be required: the global setting, or the app's discovered metadata
   * (authorization_response_iss_parameter_supported, RFC 9207 §3). Only changes what the error says.
   */
  issuerRequiredBy?: 'setting' | 'metadata';
  createdAt: number;
  expiresAt: number;
}

export type FinishedReason = 'completed' | 'failed' | 'expired' | 'cancelled';

/** A request that no longer waits, remembered so a second response for it can be named as a replay. */
export interface FinishedAuthorization {
  state: string;
  reason: FinishedReason;
}

export interface CallbackContext {
  waiting: readonly WaitingAuthorization[];
  finished: readonly FinishedAuthorization[];
  now: number;
}

/** A parsed query (repeated names kept, in order), or a plain record. */
export type CallbackParameters = URLSearchParams | readonly (readonly [string, string])[] | Readonly<Record<string, string>>;

export type CallbackVerdict =
  /** Resolve the waiting request `state` with the code. */
  | { kind: 'accept'; state: string; authorization: AuthorizationCode }
  /** The response belongs to the waiting request `state` and ends it with `error`. */
  | { kind: 'fail'; state: string; error: OAuthError }
  /** The response belongs to no waiting request; nothing changes. */
  | { kind: 'ignore'; error: OAuthError };

/**
 * Size limits for values an attacker controls. Real codes are a few hundred characters at most (SKY's
 * are 32); 4 KB leaves room for providers that pack a JWT into the code while refusing absurd input.
 */
export const CALLBACK_LIMITS = {
  code: 4096,
  state: 512,
  iss: 2048,
  parameterCount: 64,
} as const;

/** Parameters a genuine response contains at most once; two values means a tampered URL. */
const SINGLE_VALUED = ['state', 'code', 'error', 'error_description', 'error_message', 'error_uri', 'iss'] as const;

/**
 * Whether a response must carry `iss` for this app: the global authCodeFlow.requireIssuer setting, or the
 * app's own `requireIssuerParameter`, which discovery sets when the provider announces
 * authorization_response_iss_parameter_supported (RFC 9207 §3: such a provider sends iss in every response,
 * so a response without it did not come from there). The setting wins for the wording.
 */
export function issuerRequirement(
  config: { requireIssuerParameter?: boolean },
  settingOn: boolean,
): { requireIssuer?: true; issuerRequiredBy?: 'setting' | 'metadata' } {
  if (settingOn) return { requireIssuer: true, issuerRequiredBy: 'setting' };
  return config.requireIssuerParameter === true ? { requireIssuer: true, issuerRequiredBy: 'metadata' } : {};
}

export function validateCallback(parameters: CallbackParameters, context: CallbackContext): CallbackVerdict {
  const values = collectParameters(parameters, CALLBACK_LIMITS.parameterCount);
  if (values === undefined) {
    return ignore('invalid_callback', `The response has more than ${CALLBACK_LIMITS.parameterCount} parameters.`);
  }

  const states = values.get('state') ?? [];
  if (states.length > 1) {
    return ignore('invalid_callback', `The response has ${states.length} state parameters; a genuine response has exactly one.`);
  }
  const state = states[0] ?? '';
  if (state === '') {
    return nothingWaitingOr(context, 'The response has no state parameter, so it cannot be matched to an authorization request.');
  }
  if (state.length > CALLBACK_LIMITS.state) {
    return ignore('invalid_callback', `The state parameter is longer than ${CALLBACK_LIMITS.state} characters.`);
  }

  const request = findByState(context.waiting, state);
  if (request === undefined) {
    return unmatched(state, context);
  }
  return judgeMatchedResponse(values, request, context.now);
}

function judgeMatchedResponse(
  values: ReadonlyMap<string, readonly string[]>,
  request: WaitingAuthorization,
  now: number,
): CallbackVerdict {
  const fail = (code: string, description: string): CallbackVerdict => ({
    kind: 'fail',
    state: request.state,
    error: new OAuthError({ code, description }),
  });

  if (now >= request.expiresAt) {
    const minutes = Math.round((request.expiresAt - request.createdAt) / 60_000);
    return fail('authorization_expired', `The response arrived after the ${minutes}-minute limit for completing an authorization.`);
  }
  const repeated = SINGLE_VALUED.find((name) => (values.get(name)?.length ?? 0) > 1);
  if (repeated !== undefined) {
    return fail('invalid_callback', `The response has the "${repeated}" parameter more than once; a genuine response has it at most once.`);
  }
  const single = (name: string): string | undefined => values.get(name)?.[0];

  const iss = single('iss');
  if (iss !== undefined && iss.length > CALLBACK_LIMITS.iss) {
    return fail('invalid_callback', `The iss parameter is longer than ${CALLBACK_LIMITS.iss} characters.`);
  }
  // RFC 9207 §2.4: compare exactly when both sides have one. A missing iss is accepted because most
  // providers (SKY included) do not send it yet, unless the user opted in to requiring it.
  const byMetadata = request.issuerRequiredBy === 'metadata';
  if (request.requireIssuer === true && (request.issuer === undefined || request.issuer === '')) {
    return fail('issuer_missing', byMetadata
      ? 'The app requires iss in authorization responses (its provider announced authorization_response_iss_parameter_supported), '
        + 'but no issuer is configured to compare it with. Run Configure App and discover the provider from its issuer URL again.'
      : 'authCodeFlow.requireIssuer is on, but no issuer is configured to compare the response\'s iss with. '
        + 'Run Configure App and discover the provider from its issuer URL, or set the app\'s "issuer" in authCodeFlow.apps '
        + 'to the provider\'s issuer identifier; or turn authCodeFlow.requireIssuer off.');
  }
  if (request.requireIssuer === true && iss === undefined) {
    return fail('issuer_missing', byMetadata
      ? 'The response has no iss parameter, although the provider\'s metadata announces authorization_response_iss_parameter_supported '
        + '(RFC 9207 §3): it may not come from that provider. Authorize again; if it persists, run Configure App and discover the provider again.'
      : 'The response has no iss parameter, and authCodeFlow.requireIssuer is on (RFC 9207 mix-up protection). '
        + 'Turn authCodeFlow.requireIssuer off if this provider does not send iss.');
  }
  if (iss !== undefined && request.issuer !== undefined && iss !== request.issuer) {
    return fail('issuer_mismatch', `The response came from issuer "${iss}", but the configured issuer is "${request.issuer}".`);
  }

  const error = single('error');
  if (error !== undefined && error !== '') {
    const fields: { error: string; error_description?: string; error_message?: string; error_uri?: string } = { error };
    const description = single('error_description');
    // SKY API explains a denied consent in error_message, not error_description (see ErrorResponseFields).
    const message = single('error_message');
    const uri = single('error_uri');
    if (description !== undefined) {
      fields.error_description = description;
    }
    if (message !== undefined) {
      fields.error_message = message;
    }
    if (uri !== undefined) {
      fields.error_uri = uri;
    }
    return { kind: 'fail', state: request.state, error: oauthErrorFromAuthorizationResponse(fields) };
  }

  const code = single('code') ?? '';
  if (code === '') {
    return fail('invalid_callback', 'The response carries neither a code nor an error parameter.');
  }
  if (code.length > CALLBACK_LIMITS.code) {
    return fail('invalid_callback', `The code parameter is longer than ${CALLBACK_LIMITS.code} characters.`);
  }

  const authorization: AuthorizationCode = { code, state: request.state, redirectUri: request.redirectUri };
  if (iss !== undefined) {
    authorization.iss = iss;
  }
  return { kind: 'accept', state: request.state, authorization };
}

/** Why a well-formed state matched nothing: a replay, a late response, or simply not ours. */
function unmatched(state: string, context: CallbackContext): CallbackVerdict {
  const finished = findByState(context.finished, state);
  switch (finished?.reason) {
    case 'completed':
    case 'failed':
      return ignore('callback_replayed', 'A response for this authorization request was already received; this second one was ignored.');
    case 'expired':
      return ignore('authorization_expired', 'This response belongs to an authorization request that has already expired.');
    case 'cancelled':
      return ignore('no_pending_authorization', 'This response belongs to an authorization request that was cancelled.');
    default:
      return nothingWaitingOr(context, 'The response\'s state does not match any authorization request in progress.');
  }
}

/** `no_pending_authorization` when nothing waits at all (the clearer message), otherwise `state_mismatch`. */
function nothingWaitingOr(context: CallbackContext, mismatchDescription: string): CallbackVerdict {
  return context.waiting.length === 0
    ? ignore('no_pending_authorization', 'An authorization response arrived, but no authorization request is waiting for one.')
    : ignore('state_mismatch', mismatchDescription);
}

function ignore(code: string, description: string): CallbackVerdict {
  return { kind: 'ignore', error: new OAuthError({ code, description }) };
}

/**
 * Compares against every candidate through equal-length digests, so neither the time taken nor an early
 * exit tells a prober how much of a guessed state was right.
 */
function findByState<T extends { state: string }>(candidates: readonly T[], state: string): T | undefined {
  const wanted = digest(state);
  let match: T | undefined;
  for (const candidate of candidates) {
    if (timingSafeEqual(digest(candidate.state), wanted) && match === undefined) {
      match = candidate;
    }
  }
  return match;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The parameters grouped by name, or undefined once more than `maxValues` values have been seen. */
function collectParameters(parameters: CallbackParameters, maxValues: number): Map<string, string[]> | undefined {
  const entries: Iterable<readonly [string, string]> =
    parameters instanceof URLSearchParams ? parameters.entries() : isEntryList(parameters) ? parameters : Object.entries(parameters);
  const values = new Map<string, string[]>();
  let count = 0;
  for (const [name, value] of entries) {
    count += 1;
    if (count > maxValues) {
      return undefined;
    }
    const list = values.get(name);
    if (list === undefined) {
      values.set(name, [value]);
    } else {
      list.push(value);
    }
  }
  return values;
}

function isEntryList(parameters: CallbackParameters): parameters is readonly (readonly [string, string])[] {
  return Array.isArray(parameters);
}
