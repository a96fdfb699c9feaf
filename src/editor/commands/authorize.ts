// "Auth Code Flow: Authorize App" — steps 1 to 5 of the tutorial for real: open the consent page, wait
// for the redirect, exchange the code, keep the tokens in SecretStorage.
import * as vscode from 'vscode';
import { buildAuthorizationRequest } from '../../core/protocol/authorizationRequest';
import { describeClientAuthentication } from '../../core/protocol/basicCredentials';
import { issuerRequirement } from '../../core/protocol/callback';
import { missingRefreshTokenNotice } from '../../core/protocol/offlineAccess';
import { sanitizeForDisplay } from '../../core/text/displayText';
import { redactUrl } from '../../core/text/redact';
import { exchangeAuthorizationCode } from '../../core/protocol/tokenRequest';
import { presetById, validateConfiguration } from '../../core/providers/presets';
import { idTokenVerificationWords, storeAfterIdTokenCheck } from '../../core/tokens/idTokenVerification';
import { describeTokenSet } from '../../core/tokens/tokenSummary';
import { effectiveConfiguration, sendTokenRequest } from '../basicEncodingMemory';
import { reportError } from '../errorReporting';
import { localTime } from './showTokens';
import { secretsMayBeSent } from '../secretConsent';
import { loadIdTokenVerifier } from '../idTokenVerifier';
import { openRedirectReceiver } from '../redirect/redirectReceiver';
import { redirectModeWorksHere } from '../redirect/redirectModeCheck';
import type { ExtensionServices } from '../services';
import { requestTimeoutMs, requireIssuerEnabled } from '../settings';

const ACTION = 'Authorize App';

/**
 * The run in progress. A new Authorize App stops it and waits until it has finished (its loopback
 * server closed), so two runs never compete for the redirect or the port.
 */
let current: { appId: string; stop(): void; done: Promise<unknown> } | undefined;

/**
 * Stops the Authorize App in progress (Sign Out, Remove App), if it is for `appId` (any app when absent),
 * and waits until its redirect receiver closed.
 */
export async function stopAuthorization(appId?: string): Promise<void> {
  const running = current;
  if (!running || (appId !== undefined && running.appId !== appId)) return;
  running.stop();
  await running.done.catch(() => undefined);
}

function offerUrlToCopy(url: string, log: vscode.LogOutputChannel): void {
  log.warn('Step 1: the authorization page was not opened; offering its URL to copy.');
  void vscode.window.showWarningMessage(
    'The authorization page was not opened. Copy its URL into your browser; Authorize App keeps waiting.', 'Copy URL')
    .then((choice) => choice === 'Copy URL' ? vscode.env.clipboard.writeText(url) : undefined);
}

/**
 * For a wrong application ID or redirect URI, or an application no one has approved, SKY API shows its own
 * error page and never redirects (blackbaud/sky-api-docs, content/docs/authorization/common-auth-issues/index.md:
 * "Invalid client_id", "Invalid redirect_uri", "Application not approved"), so nothing reaches the editor to
 * report: the wait itself must say what to check. Most providers behave the same (RFC 6749 §4.1.2.1).
 */
export function providerErrorPageAdvice(redirectUri: string): string {
  return 'If the browser shows an error page of the provider instead and never returns here, check the application ID, '
    + `that exactly ${redirectUri} is registered as a redirect URI (same case, port and trailing slash), and that the `
    + 'application is approved (SKY API: connected by an environment administrator); then Cancel and Configure App.';
}

/**
 * `scopes`: what to ask for instead of the configured scopes, when another extension signs in through the
 * authentication provider with extra ones (the app's own plus theirs, core/sessions/sessionScopes.ts).
 */
/** `appId`: the app to authorize (the authentication provider's account); the active app when absent. */
export async function authorize(services: ExtensionServices, options: { appId?: string; scopes?: readonly string[] } = {}): Promise<boolean> {
  const { log } = services;
  // Pinned now: a switch to another app while the browser is open does not change where the tokens go.
  const app = services.pinApp(options.appId);
  if (!app) {
    log.warn(`${ACTION}: there is no app yet.`);
    const choice = await vscode.window.showWarningMessage('Configure an app before authorizing: there is none yet.', 'Configure App');
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
    return false;
  }
  const configured = effectiveConfiguration(services, app);
  // A sign-in from another extension (the authentication provider) adds the scopes it needs.
  const config = options.scopes ? { ...configured, scopes: [...options.scopes] } : configured;
  const problems = validateConfiguration(config);
  const secrets = await app.secrets.appSecrets();
  if (problems.length === 0 && config.clientAuthMethod !== 'none' && !secrets.clientSecret) {
    problems.push('The application secret is not stored yet.');
  }
  if (problems.length > 0) {
    log.warn(`${ACTION}: the app is not configured: ${problems.join(' ')}`);
    const choice = await vscode.window.showWarningMessage(
      `Configure the app "${app.name}" before authorizing: ${problems[0]}`, 'Configure App');
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
    return false;
  }
  // A mode that cannot work where the editor runs would only wait into the timeout (issue 13).
  const redirectPlan = await redirectModeWorksHere(services.context.extension, config, presetById(config.preset), log);
  if (!redirectPlan) return false;
  // Asked before the browser opens; the exchange later uses this same configuration.
  if (!(await secretsMayBeSent(services, app, config, 'token', { mayAsk: true }))) return false;

  // Claimed before any await, so a double-click cannot start two runs.
  const previous = current;
  let stop = (): void => undefined;
  const run = { appId: app.id, stop: () => stop(), done: Promise.resolve() as Promise<unknown> };
  current = run;
  if (previous) {
    previous.stop();
    await previous.done.catch(() => undefined);
  }

  const outcome = vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: ACTION, cancellable: true },
    async (progress, cancellation) => {
      const receiver = await openRedirectReceiver(config, services.pending, log, (callback) => { services.lastCallback = callback; },
        redirectPlan.forwarding);
      try {
        const request = buildAuthorizationRequest(config, receiver.redirectUri);
        const waiting = services.pending.begin({
          state: request.state, redirectUri: request.redirectUri, ...(config.issuer ? { issuer: config.issuer } : {}),
          ...issuerRequirement(config, requireIssuerEnabled()), ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
          appId: app.id,
        });
        // Cancel stops the wait for the browser and, once the code is here, the token request too.
        const abort = new AbortController();
        stop = () => {
          waiting.cancel('Authorize App was cancelled.');
          abort.abort();
        };
        if (current !== run || cancellation.isCancellationRequested) stop();
        const onCancel = cancellation.onCancellationRequested(stop);
        try {
          log.info(`Step 1, request authorization for "${app.name}": opening ${redactUrl(request.url)} (PKCE ${request.codeVerifier ? 'S256' : 'off'}).`);
          progress.report({ message: `Approve access in the browser… ${providerErrorPageAdvice(request.redirectUri)}` });
          // The exact string, not a Uri: a Uri is decoded and re-encoded on the way, which mangles a
          // redirect_uri that carries its own query (web editors' callback URIs do).
          const opened = await vscode.env.openExternal(request.url as unknown as vscode.Uri);
          // Declined or copied in the editor's "open external website?" dialog: the user can still open
          // the page in a browser of their choice, so keep waiting and hand them the URL (no secret in it).
          if (!opened) offerUrlToCopy(request.url, log);
          const authorization = await waiting.result;
          log.info('Steps 2–3: consent given, code received.');
          progress.report({ message: 'Exchanging the authorization code for tokens…' });
          // The HTTP client logs the request itself (method, URL, status, time).
          log.info(`Step 4, request tokens with ${describeClientAuthentication(config)}.`);
          // invalid_client leaves the code unspent, so the other Basic encoding may try it once more.
          const tokenSet = await sendTokenRequest(services, app.id, config, secrets, (attempt) => exchangeAuthorizationCode({
            config: attempt, secrets, code: authorization.code, redirectUri: request.redirectUri,
            ...(request.codeVerifier ? { codeVerifier: request.codeVerifier } : {}),
            http: services.http(), timeoutMs: requestTimeoutMs(), signal: abort.signal,
          }));
          if (tokenSet.idToken) progress.report({ message: 'Verifying the ID token with the issuer\'s keys…' });
          // Nothing is stored unless the ID token (if any) passes OpenID Connect Core §3.1.3.7.
          const stored = await storeAfterIdTokenCheck(tokenSet, config,
            { kind: 'authorization', ...(waiting.nonce === undefined ? {} : { nonce: waiting.nonce }) },
            { loadVerifier: () => loadIdTokenVerifier(services), store: (set) => app.secrets.storeTokenSet(config, set), now: Date.now, signal: abort.signal });
          // The key id and issuer are the provider's text: one sanitised line in the log.
          if (stored.idToken) log.info(`ID token ${idTokenVerificationWords(stored.idTokenVerification, (ms) => new Date(ms).toISOString(), sanitizeForDisplay)}.`);
          log.info(`Step 5, tokens returned: stored in secret storage${tokenSet.refreshToken ? ' with a refresh token' : ''}.`);
          return stored;
        } finally {
          onCancel.dispose();
        }
      } finally {
        await receiver.close();
      }
    });
  run.done = Promise.resolve(outcome);

  try {
    const tokenSet = await outcome;
    await services.stateChanged();
    const summary = describeTokenSet(tokenSet, Date.now());
    const idToken = tokenSet.idTokenVerification?.status === 'verified' ? ' ID token verified by signature.'
      : tokenSet.idTokenVerification ? ` ID token ${idTokenVerificationWords(tokenSet.idTokenVerification, localTime)}.` : '';
    void vscode.window.showInformationMessage(`${app.name}: ${summary}${idToken}`);
    // Asked for a refresh token and got none: say why and what to change (OpenID Connect Core §11).
    const missing = missingRefreshTokenNotice(config, tokenSet);
    if (missing !== undefined) {
      log.warn(`${ACTION}: ${missing}`);
      void vscode.window.showWarningMessage(missing);
    }
    return true;
  } catch (error) {
    await reportError(ACTION, error, log);
    return false;
  } finally {
    if (current === run) current = undefined;
  }
}
