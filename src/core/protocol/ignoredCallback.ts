/**
 * What to tell the user about an authorization response that was ignored (a forged or stray callback, a
 * replay, a late one). Whether an authorization is still in progress changes the message: saying
 * "no authorization is waiting" while one is would send the user to restart a flow that is fine.
 */
import type { OAuthError } from '../errors/oauthError';

export interface IgnoredCallback {
  error: OAuthError;
  /** An authorization is still waiting for its own response, and goes on. */
  othersWaiting: boolean;
}

export interface IgnoredCallbackText {
  /** A heading (the loopback page's title). */
  title: string;
  /** One or two sentences: why it was ignored and what to do. */
  detail: string;
  /** One line for a notification. */
  notification: string;
}

export function describeIgnoredCallback(ignored: IgnoredCallback): IgnoredCallbackText {
  const why = ignored.error.description ?? '';
  if (ignored.othersWaiting) {
    const goesOn = 'It was ignored, and the authorization in progress goes on: complete it in the browser tab Authorize App opened.';
    return {
      title: 'This response does not belong to the authorization in progress',
      detail: `${why} ${goesOn}`.trim(),
      notification: `Authorization Code Flow received a response that does not belong to the authorization in progress. ${goesOn}`,
    };
  }
  return {
    title: 'No authorization is waiting for this response',
    detail: ignored.error.message,
    notification: 'No authorization is waiting for this callback (expired, cancelled or already used). '
      + 'Run "Auth Code Flow: Authorize App" to start one.',
  };
}
