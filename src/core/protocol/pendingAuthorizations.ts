/**
 * The authorization requests that are waiting for their response. The editor's URI handler and loopback
 * server hand every incoming callback to {@link PendingAuthorizations.deliver}; whoever started the
 * request awaits {@link PendingAuthorization.result}. The decisions live in {@link validateCallback};
 * this class only keeps the state and settles the promises.
 */
import {
  validateCallback,
  type AuthorizationCode,
  type CallbackParameters,
  type FinishedAuthorization,
  type FinishedReason,
  type WaitingAuthorization,
} from './callback';
import { OAuthError } from '../errors/oauthError';

export const DEFAULT_AUTHORIZATION_TTL_MS = 5 * 60_000;
/** Enough history to recognise a replay of any recent response without growing forever. */
const FINISHED_HISTORY_LIMIT = 100;

export interface PendingAuthorizationsOptions {
  /** How long a request may wait for its response (default 5 minutes). */
  ttlMs?: number;
  /** Clock for expiry decisions; tests pass a fake one. */
  now?: () => number;
}

export interface BeginAuthorization {
  state: string;
  redirectUri: string;
  /** The configured issuer, checked against the response's `iss` (RFC 9207). */
  issuer?: string;
  /** Refuse a response without `iss` (the opt-in authCodeFlow.requireIssuer, or the app's RFC 9207 metadata). */
  requireIssuer?: boolean;
  /** Which of the two asked for it (see WaitingAuthorization). */
  issuerRequiredBy?: 'setting' | 'metadata';
  /** The `nonce` the request sent (OpenID requests); the ID token of this authorization must repeat it. */
  nonce?: string;
  /** The app this authorization is for, so removing the app can stop it (see cancelForApp). */
  appId?: string;
}

export interface PendingAuthorization {
  readonly state: string;
  readonly redirectUri: string;
  readonly expiresAt: number;
  /**
   * The `nonce` of the request, kept with it until its ID token is checked (OpenID Connect Core
   * §3.1.3.7 step 11); absent for plain OAuth 2.0 requests.
   */
  readonly nonce?: string;
  /** Resolves with the code, or rejects with an {@link OAuthError} (provider error, expiry, cancellation…). */
  readonly result: Promise<AuthorizationCode>;
  /** Stops waiting; `result` rejects with `cancelled`. No effect once settled. */
  cancel(reason?: string): void;
}

/** What became of one delivered callback, for the page or notification the editor shows in response. */
export type CallbackOutcome =
  /** The waiting request received its code. */
  | { kind: 'accepted'; state: string }
  /** The response belonged to a waiting request and ended it with this error. */
  | { kind: 'rejected'; state: string; error: OAuthError }
  /**
   * The response matched no waiting request (unknown state, replay, malformed); nothing changed.
   * `othersWaiting` says whether an authorization is still in progress (and goes on), so the page or
   * notification can say "this response is not for it" rather than "nothing is waiting".
   */
  | { kind: 'noPending'; error: OAuthError; othersWaiting: boolean };

interface Waiter extends WaitingAuthorization {
  resolve(authorization: AuthorizationCode): void;
  reject(error: OAuthError): void;
  timer: NodeJS.Timeout;
  appId?: string;
}

export class PendingAuthorizations {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly waiting = new Map<string, Waiter>();
  private readonly finished: FinishedAuthorization[] = [];
  private disposed = false;

  constructor(options: PendingAuthorizationsOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_AUTHORIZATION_TTL_MS;
    this.now = options.now ?? Date.now;
    if (!Number.isFinite(this.ttlMs) || this.ttlMs <= 0) {
      throw new RangeError(`ttlMs must be a positive number of milliseconds, not ${this.ttlMs}.`);
    }
  }

  /** Number of requests still waiting (expired ones are dropped first). */
  get size(): number {
    this.expireOverdue();
    return this.waiting.size;
  }

  begin(request: BeginAuthorization): PendingAuthorization {
    if (this.disposed) {
      throw new OAuthError({ code: 'cancelled', description: 'The extension is shutting down; no new authorization can start.' });
    }
    if (request.state === '') {
      throw new RangeError('An authorization request needs a non-empty state.');
    }
    if (this.waiting.has(request.state) || this.finished.some((entry) => entry.state === request.state)) {
      // A reused state would let one response satisfy two requests; createState() never repeats.
      throw new RangeError('This state value was already used for another authorization request; generate a new one.');
    }
    this.expireOverdue();

    const createdAt = this.now();
    const expiresAt = createdAt + this.ttlMs;
    let resolve!: (authorization: AuthorizationCode) => void;
    let reject!: (error: OAuthError) => void;
    const result = new Promise<AuthorizationCode>((resolvePromise, rejectPromise) => {
      resolve = resolvePromise;
      reject = rejectPromise;
    });
    // A caller that gave up on the flow (closed the walkthrough) must not turn a later expiry or
    // shutdown into an unhandled rejection; awaiting callers still see the rejection.
    result.catch(() => undefined);

    const timer = setTimeout(() => this.expire(request.state), this.ttlMs);
    timer.unref();
    const waiter: Waiter = { state: request.state, redirectUri: request.redirectUri, createdAt, expiresAt, resolve, reject, timer };
    if (request.issuer !== undefined && request.issuer !== '') {
      waiter.issuer = request.issuer;
    }
    if (request.requireIssuer === true) {
      waiter.requireIssuer = true;
      if (request.issuerRequiredBy !== undefined) waiter.issuerRequiredBy = request.issuerRequiredBy;
    }
    if (request.appId !== undefined) {
      waiter.appId = request.appId;
    }
    this.waiting.set(request.state, waiter);

    return {
      state: request.state,
      redirectUri: request.redirectUri,
      expiresAt,
      ...(request.nonce === undefined || request.nonce === '' ? {} : { nonce: request.nonce }),
      result,
      cancel: (reason?: string) => this.cancel(request.state, reason),
    };
  }

  /** Applies one incoming authorization response. Never throws: the outcome says what happened. */
  deliver(parameters: CallbackParameters): CallbackOutcome {
    const verdict = validateCallback(parameters, {
      waiting: [...this.waiting.values()],
      finished: this.finished,
      now: this.now(),
    });
    let outcome: CallbackOutcome;
    switch (verdict.kind) {
      case 'accept':
        this.settle(verdict.state, 'completed', (waiter) => waiter.resolve(verdict.authorization));
        outcome = { kind: 'accepted', state: verdict.state };
        break;
      case 'fail': {
        const reason: FinishedReason = verdict.error.code === 'authorization_expired' ? 'expired' : 'failed';
        this.settle(verdict.state, reason, (waiter) => waiter.reject(verdict.error));
        outcome = { kind: 'rejected', state: verdict.state, error: verdict.error };
        break;
      }
      case 'ignore':
        outcome = { kind: 'noPending', error: verdict.error, othersWaiting: false };
        break;
    }
    this.expireOverdue();
    if (outcome.kind === 'noPending') outcome.othersWaiting = this.waiting.size > 0;
    return outcome;
  }

  /**
   * Cancels every waiting request begun for `appId` (the app is being removed: a late response must not
   * store tokens for an app that no longer exists). Returns how many were waiting.
   */
  cancelForApp(appId: string, reason: string): number {
    const states = [...this.waiting.values()].filter((waiter) => waiter.appId === appId).map((waiter) => waiter.state);
    for (const state of states) this.cancel(state, reason);
    return states.length;
  }

  /** Rejects every waiting request with `cancelled` and refuses new ones. */
  dispose(): void {
    this.disposed = true;
    for (const state of [...this.waiting.keys()]) {
      this.cancel(state, 'The extension is shutting down.');
    }
  }

  private cancel(state: string, reason: string | undefined): void {
    const description = reason ?? 'The authorization was cancelled before its response arrived.';
    this.settle(state, 'cancelled', (waiter) => waiter.reject(new OAuthError({ code: 'cancelled', description })));
  }

  private expire(state: string): void {
    this.settle(state, 'expired', (waiter) => {
      const minutes = Math.round(this.ttlMs / 60_000);
      const limit = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(this.ttlMs / 1000)} seconds`;
      waiter.reject(
        new OAuthError({ code: 'authorization_expired', description: `No authorization response arrived within ${limit}.` }),
      );
    });
  }

  /** Lazy expiry on every access, so a suspended machine or a fake clock is honoured without waiting for the timer. */
  private expireOverdue(): void {
    const now = this.now();
    for (const waiter of [...this.waiting.values()]) {
      if (now >= waiter.expiresAt) {
        this.expire(waiter.state);
      }
    }
  }

  private settle(state: string, reason: FinishedReason, finish: (waiter: Waiter) => void): void {
    const waiter = this.waiting.get(state);
    if (waiter === undefined) {
      return;
    }
    clearTimeout(waiter.timer);
    this.waiting.delete(state);
    this.finished.push({ state, reason });
    if (this.finished.length > FINISHED_HISTORY_LIMIT) {
      this.finished.shift();
    }
    finish(waiter);
  }
}
