// "Auth Code Flow: Call the API" (tutorial step 6): GET a path of the configured API with the stored access
// token and show the response in a read-only view. A 401 offers Refresh and Retry (step 7, then once more).
// The request and the view are built by core/api/apiCall; this file asks, sends and reports.
import * as vscode from 'vscode';
import { assessApiResponse, buildApiRequest, formatApiResponse, resolveApiUrl, type ApiOutcome, type ApiRequest } from '../../core/api/apiCall';
import type { HttpResponse } from '../../core/http/httpClient';
import { isOAuthError } from '../../core/protocol/oauthError';
import { redactUrl } from '../../core/protocol/redact';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { presetById } from '../../core/providers/presets';
import { accessTokenState, refreshTokenState } from '../../core/tokens/expiry';
import { formatDuration } from '../../core/tokens/tokenSummary';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { reportError } from '../errorReporting';
import { lastApiPathFor, rememberApiPath } from '../lastApiPath';
import type { ExtensionServices } from '../services';
import { autoRefreshEnabled, readConfiguration, requestTimeoutMs } from '../settings';
import { refresh } from './refresh';
import { localTime, storedTokensOrOfferAuthorize } from './showTokens';

const ACTION = 'Call the API';
const RESPONSE_VIEW = 'API Response.md';
/** Ticks the walkthrough's step 6; set only by a 2xx, see markSuccess. */
export const API_CALLED_CONTEXT_KEY = 'authCodeFlow.apiCalled';

/**
 * What the next Call the API proposes: the last path called in this window (services.lastApiPath, in
 * memory: a typed query could carry a credential), else the last one kept for this app across sessions
 * (editor/lastApiPath, only when nothing in it looks like a credential), unless it no longer fits the
 * configured API, else the provider's harmless default.
 */
export function nextApiTarget(services: ExtensionServices, config: Pick<AppConfiguration, 'apiBaseUrl' | 'clientId' | 'preset'>): string {
  const last = services.lastApiPath ?? lastApiPathFor(services, config);
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
}

export async function callApi(services: ExtensionServices): Promise<void> {
  const stored = await storedTokensOrOfferAuthorize(services, ACTION);
  if (!stored) return;
  const config = readConfiguration();
  try {
    resolveApiUrl(config.apiBaseUrl, '/');
  } catch (error) {
    await reportError(ACTION, error, services.log);
    return;
  }
  const target = await askForTarget(services, config);
  if (target === undefined) return;
  const tokenSet = await usableTokenSet(services, stored);
  if (!tokenSet) return;
  services.lastApiPath = target.trim();
  await rememberApiPath(services, config, target);

  const call = await callAndShow(services, config, tokenSet, target);
  if (call?.outcome.kind === 'token_rejected') await offerRefreshAndRetry(services, config, tokenSet, target, call.outcome);
  if (call?.outcome.kind === 'subscription_key_rejected') await offerConfigure(call.outcome);
}

async function askForTarget(services: ExtensionServices, config: AppConfiguration): Promise<string | undefined> {
  const origin = new URL(config.apiBaseUrl).origin;
  return vscode.window.showInputBox({
    title: `${ACTION} (step 6)`,
    prompt: `Path to GET, relative to ${config.apiBaseUrl} (a full URL must be on ${origin}: only that host gets the token)`,
    value: nextApiTarget(services, config),
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
async function usableTokenSet(services: ExtensionServices, tokenSet: TokenSet): Promise<TokenSet | undefined> {
  const now = Date.now();
  if (accessTokenState(tokenSet, now).kind !== 'expired') return tokenSet;
  const refreshable = ['valid', 'unknown'].includes(refreshTokenState(tokenSet, now));
  if (refreshable && autoRefreshEnabled()) {
    services.log.info(`${ACTION}: the access token has expired by this computer's clock; refreshing it first (authCodeFlow.autoRefresh is on).`);
    // Not interactive: a failure or the need to authorize again is still reported by refresh() itself.
    const outcome = await refresh(services, { interactive: false });
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
  const outcome = await refresh(services, { interactive: true });
  return outcome.kind === 'refreshed' ? outcome.tokenSet : undefined;
}

/** Sends the GET, shows the response and returns it; undefined when nothing came back (reported). */
async function callAndShow(services: ExtensionServices, config: AppConfiguration, tokenSet: TokenSet, target: string): Promise<CompletedCall | undefined> {
  const { log } = services;
  try {
    const { subscriptionKey } = await services.secrets.appSecrets();
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
    const outcome = assessApiResponse(response, request);
    const text = formatApiResponse(request, response, { receivedAt: Date.now(), formatTime: localTime });
    await services.documents.show(RESPONSE_VIEW, text, 'markdown');
    if (outcome.kind === 'success') await markSuccess();
    return { request, response, outcome };
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
  await vscode.commands.executeCommand('setContext', API_CALLED_CONTEXT_KEY, true);
}

async function offerRefreshAndRetry(
  services: ExtensionServices, config: AppConfiguration, tokenSet: TokenSet, target: string, outcome: ApiOutcome,
): Promise<void> {
  const refreshable = ['valid', 'unknown'].includes(refreshTokenState(tokenSet, Date.now()));
  const fix = refreshable ? 'Refresh and Retry' : 'Authorize App';
  services.log.warn(`${ACTION}: 401, ${outcome.explanation ?? 'the access token was not accepted.'}`);
  const choice = await vscode.window.showWarningMessage(`${ACTION}: 401 Unauthorized. ${outcome.explanation ?? ''}`.trim(), fix);
  if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
  if (choice !== 'Refresh and Retry') return;
  const refreshed = await refresh(services, { interactive: true });
  if (refreshed.kind !== 'refreshed') return;
  // Once only: a fresh token that is still refused needs a new authorization, not another refresh.
  const retry = await callAndShow(services, config, refreshed.tokenSet, target);
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
