// "Auth Code Flow: Call the API" (tutorial step 6): GET a path of the configured API with the stored access
// token and show the response in a read-only view. A 401 offers Refresh and Retry (step 7, then once more).
// The request and the view are built by core/api/apiCall; this file asks, sends and reports.
import * as vscode from 'vscode';
import {
  assessApiResponse, buildApiRequest, formatApiResponse, formatWait, resolveApiUrl, type ApiOutcome, type ApiRequest,
} from '../../core/api/apiCall';
import type { HttpResponse } from '../../core/http/httpClient';
import { isOAuthError } from '../../core/errors/oauthError';
import { redactUrl } from '../../core/text/redact';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { presetById } from '../../core/providers/presets';
import { accessTokenState, refreshTokenState } from '../../core/tokens/expiry';
import { formatDuration } from '../../core/tokens/tokenSummary';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { CONTEXT_KEYS, setContextKey } from '../contextKeys';
import { reportError } from '../errorReporting';
import { lastApiPathFor, rememberApiPath } from '../lastApiPath';
import { secretsMayBeSent } from '../secretConsent';
import type { ExtensionServices, PinnedApp } from '../services';
import { autoRefreshEnabled, requestTimeoutMs } from '../settings';
import { refresh } from './refresh';
import { localTime, storedTokensOrOfferAuthorize } from './showTokens';

const ACTION = 'Call the API';
const RESPONSE_VIEW = 'API Response.md';

/**
 * What the next Call the API proposes: the last path called for the app in this window (services.lastApiPaths, in
 * memory: a typed query could carry a credential), else the last one kept for this app across sessions
 * (editor/lastApiPath, only when nothing in it looks like a credential), unless it no longer fits the
 * configured API, else the provider's harmless default.
 */
export function nextApiTarget(services: ExtensionServices, appId: string, config: Pick<AppConfiguration, 'apiBaseUrl' | 'clientId' | 'preset'>): string {
  const last = services.lastApiPaths.get(appId) ?? lastApiPathFor(services, appId, config);
  if (last !== undefined && fitsApi(config.apiBaseUrl, last)) return last;
  return presetById(config.preset).defaultApiPath;
}

function fitsApi(apiBaseUrl: string, target: string): boolean {
  try {
    resolveApiUrl(apiBaseUrl, target);
    return true;
  } catch {
    return false;
  }
}

interface CompletedCall {
  request: ApiRequest;
  response: HttpResponse;
  outcome: ApiOutcome;
  /** When the response arrived (epoch ms): Retry-After counts from then, not from the user's click. */
  receivedAt: number;
}

export async function callApi(services: ExtensionServices): Promise<void> {
  // Pinned for the whole call, its refreshes and retries included.
  const app = services.pinApp();
  const stored = await storedTokensOrOfferAuthorize(services, ACTION, app);
  if (!app || !stored) return;
  const config = app.configuration;
  try {
    resolveApiUrl(config.apiBaseUrl, '/');
  } catch (error) {
    await reportError(ACTION, error, services.log);
    return;
  }
  const target = await askForTarget(services, app);
  if (target === undefined) return;
  const tokenSet = await usableTokenSet(services, app, stored);
  if (!tokenSet) return;
  services.lastApiPaths.set(app.id, target.trim());
  await rememberApiPath(services, app.id, config, target);

  const call = await callAndShow(services, app, tokenSet, target);
  if (call) await offerNextStep(services, app, tokenSet, target, call);
}

/** What the user can do about a refused call: refresh, fix the configuration, or wait out a limit. */
async function offerNextStep(services: ExtensionServices, app: PinnedApp, tokenSet: TokenSet, target: string, call: CompletedCall): Promise<void> {
  switch (call.outcome.kind) {
    case 'token_rejected':
      return offerRefreshAndRetry(services, app, tokenSet, target, call.outcome);
    case 'subscription_key_rejected':
      return offerConfigure(call.outcome);
    case 'throttled':
      return offerRetryAfterWait(services, app, target, call);
    default:
      return undefined;
  }
}

async function askForTarget(services: ExtensionServices, app: PinnedApp): Promise<string | undefined> {
  const config = app.configuration;
  const origin = new URL(config.apiBaseUrl).origin;
  return vscode.window.showInputBox({
    title: `${ACTION}: ${app.name} (step 6)`,
    prompt: `Path to GET, relative to ${config.apiBaseUrl} (a full URL must be on ${origin}: only that host gets the token)`,
    value: nextApiTarget(services, app.id, config),
    placeHolder: '/constituent/v1/constituents?limit=1',
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        resolveApiUrl(config.apiBaseUrl, text);
        return undefined;
      } catch (error) {
        return isOAuthError(error) ? `${error.description ?? ''} ${error.hint}`.trim() : String(error);
      }
    },
  });
}

/**
 * The token to send, when the clock says the stored one has expired (up to 30 s early, see core/tokens/expiry).
 * With automatic refresh on (the default) the user has already asked the extension to renew tokens, so
 * it refreshes first without a question: the token only got here unrenewed because no window was focused
 * or open. With it off, the user drives step 7 and is asked; "Call Anyway" shows what the API answers to an
 * expired token (a 401), which is worth seeing once, and a clock that runs fast may still be accepted.
 */
async function usableTokenSet(services: ExtensionServices, app: PinnedApp, tokenSet: TokenSet): Promise<TokenSet | undefined> {
  const now = Date.now();
  if (accessTokenState(tokenSet, now).kind !== 'expired') return tokenSet;
  const refreshable = ['valid', 'unknown'].includes(refreshTokenState(tokenSet, now));
  if (refreshable && autoRefreshEnabled()) {
    services.log.info(`${ACTION}: the access token has expired by this computer's clock; refreshing it first (authCodeFlow.autoRefresh is on).`);
    // Not interactive: a failure or the need to authorize again is still reported by refresh() itself.
    const outcome = await refresh(services, { interactive: false, appId: app.id }, { mayAsk: true });
    return outcome.kind === 'refreshed' ? outcome.tokenSet : undefined;
  }
  const expiresAt = tokenSet.expiresAt ?? now;
  const when = expiresAt > now ? `expires in ${formatDuration(expiresAt - now)}, too close to use` : `expired ${formatDuration(now - expiresAt)} ago`;
  const fix = refreshable ? 'Refresh and Call' : 'Authorize App';
  const choice = await vscode.window.showWarningMessage(
    `${ACTION}: the access token ${when} by this computer's clock${refreshable ? '' : ', and no usable refresh token is stored'}.`,
    fix, 'Call Anyway');
  if (choice === 'Call Anyway') {
    services.log.info(`${ACTION}: sending the access token that ${when}, as asked.`);
    return tokenSet;
  }
  if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
  if (choice !== 'Refresh and Call') return undefined;
  const outcome = await refresh(services, { interactive: true, appId: app.id });
  return outcome.kind === 'refreshed' ? outcome.tokenSet : undefined;
}

/** Sends the GET, shows the response and returns it; undefined when nothing came back (reported). */
async function callAndShow(services: ExtensionServices, app: PinnedApp, tokenSet: TokenSet, target: string): Promise<CompletedCall | undefined> {
  const { log } = services;
  const config = app.configuration;
  try {
    // Each send, retries included: "Allow Once" is one request.
    if (!(await secretsMayBeSent(services, app, config, 'api', { mayAsk: true }))) return undefined;
    const { subscriptionKey } = await app.secrets.appSecrets();
    const request = buildApiRequest({
      apiBaseUrl: config.apiBaseUrl, target, accessToken: tokenSet.accessToken,
      ...(config.subscriptionKeyHeader ? { subscriptionKeyHeader: config.subscriptionKeyHeader } : {}),
      ...(subscriptionKey ? { subscriptionKey } : {}),
    });
    const keyHeader = Object.keys(request.headers).find((name) => name !== 'Authorization' && name !== 'Accept');
    // The HTTP client logs the result line itself (method, URL, status, time); names only here, no values.
    log.info(`Step 6, call the API: ${request.method} ${redactUrl(request.path)} with the access token as a Bearer credential`
      + `${keyHeader ? ` and the subscription key in ${keyHeader}` : ''}.`);
    const response = await send(services, request);
    const receivedAt = Date.now();
    const outcome = assessApiResponse(response, request, receivedAt);
    const text = formatApiResponse(request, response, { receivedAt, formatTime: localTime });
    await services.documents.show(RESPONSE_VIEW, text, 'markdown');
    if (outcome.kind === 'success') await markSuccess();
    return { request, response, outcome, receivedAt };
  } catch (error) {
    await reportError(ACTION, error, log);
    return undefined;
  }
}

/** Cancellable from the notification: Cancel aborts the request itself, not just the wait. */
function send(services: ExtensionServices, request: ApiRequest): Thenable<HttpResponse> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: ACTION, cancellable: true },
    async (progress, cancellation) => {
      progress.report({ message: `${request.method} ${redactUrl(request.path)}…` });
      const abort = new AbortController();
      const onCancel = cancellation.onCancellationRequested(() => abort.abort());
      try {
        return await services.http().get(request.url, request.headers, {
          timeoutMs: requestTimeoutMs(), signal: abort.signal, label: 'The API',
        });
      } finally {
        onCancel.dispose();
      }
    });
}

/**
 * The walkthrough's step 6 is "call the API with your token": a 401 or 403 means that has not worked yet
 * (no subscription key, an expired token), so only a 2xx ticks it.
 */
async function markSuccess(): Promise<void> {
  await setContextKey(vscode.commands, CONTEXT_KEYS.apiCalled, true);
}

async function offerRefreshAndRetry(
  services: ExtensionServices, app: PinnedApp, tokenSet: TokenSet, target: string, outcome: ApiOutcome,
): Promise<void> {
  const refreshable = ['valid', 'unknown'].includes(refreshTokenState(tokenSet, Date.now()));
  const fix = refreshable ? 'Refresh and Retry' : 'Authorize App';
  services.log.warn(`${ACTION}: 401, ${outcome.explanation ?? 'the access token was not accepted.'}`);
  const choice = await vscode.window.showWarningMessage(`${ACTION}: 401 Unauthorized. ${outcome.explanation ?? ''}`.trim(), fix);
  if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
  if (choice !== 'Refresh and Retry') return;
  const refreshed = await refresh(services, { interactive: true, appId: app.id });
  if (refreshed.kind !== 'refreshed') return;
  // Once only: a fresh token that is still refused needs a new authorization, not another refresh.
  const retry = await callAndShow(services, app, refreshed.tokenSet, target);
  if (retry?.outcome.kind === 'token_rejected') {
    const again = await vscode.window.showWarningMessage(
      `${ACTION}: the API refused the refreshed access token too (401). Run Authorize App to get a new grant.`, 'Authorize App');
    if (again === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
  }
}

async function offerConfigure(outcome: ApiOutcome): Promise<void> {
  const choice = await vscode.window.showWarningMessage(`${ACTION}: 401 Unauthorized. ${outcome.explanation ?? ''}`.trim(), 'Configure App');
  if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
}

/** The longest wait the Retry button sits through; a longer one (a daily quota) is only announced. */
const MAX_RETRY_WAIT_MS = 10 * 60_000;

/**
 * A 429 rate limit or SKY's 403 call volume quota: say when to retry and offer to wait for Retry-After
 * (visibly, cancellable) and call again. Each retry is the user's click, so a limit that persists never
 * turns into a loop. The stored token set is read again after the wait: it may have been refreshed meanwhile.
 */
async function offerRetryAfterWait(services: ExtensionServices, app: PinnedApp, target: string, call: CompletedCall): Promise<void> {
  const { outcome, response } = call;
  const waitMs = outcome.throttle?.retryAfterMs ?? 0;
  const heading = `${ACTION}: ${response.status} ${outcome.throttle?.limit === 'quota' ? 'call volume quota used up' : 'rate limit exceeded'}.`;
  services.log.warn(`${heading} Retry-After: ${outcome.throttle?.retryAfterMs === undefined ? 'not sent' : formatWait(waitMs)}.`);
  if (waitMs > MAX_RETRY_WAIT_MS) {
    void vscode.window.showWarningMessage(`${heading} ${outcome.explanation ?? ''}`.trim());
    return;
  }
  const button = waitMs > 0 ? `Retry in ${formatWait(waitMs)}` : 'Retry';
  const choice = await vscode.window.showWarningMessage(`${heading} ${outcome.explanation ?? ''}`.trim(), button);
  if (choice !== button) return;
  if (!(await waitVisibly(call.receivedAt + waitMs - Date.now()))) {
    services.log.info(`${ACTION}: the retry was cancelled while waiting for Retry-After.`);
    return;
  }
  const tokenSet = await app.secrets.tokenSet(app.configuration);
  if (!tokenSet) {
    void vscode.window.showWarningMessage(`${ACTION}: the tokens were removed while waiting; run Authorize App.`);
    return;
  }
  const usable = await usableTokenSet(services, app, tokenSet);
  if (!usable) return;
  const retry = await callAndShow(services, app, usable, target);
  if (retry) await offerNextStep(services, app, usable, target, retry);
}

/** Counts down in a cancellable notification; false when cancelled. */
function waitVisibly(waitMs: number): Thenable<boolean> {
  if (waitMs <= 0) return Promise.resolve(true);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${ACTION}: waiting for the limit to reset`, cancellable: true },
    (progress, cancellation) => new Promise<boolean>((resolve) => {
      const until = Date.now() + waitMs;
      const report = (): void => progress.report({ message: `retrying in ${formatWait(until - Date.now())}…` });
      report();
      const ticker = setInterval(report, 1000);
      const finish = (done: boolean): void => {
        clearInterval(ticker);
        clearTimeout(timer);
        onCancel.dispose();
        resolve(done);
      };
      const timer = setTimeout(() => finish(true), waitMs);
      const onCancel = cancellation.onCancellationRequested(() => finish(false));
    }));
}
