// "Auth Code Flow: Refresh Access Token" (step 7), also run by a status bar click, by the auto-refresh
// timer and by Call the API's "Refresh and retry".
import * as vscode from 'vscode';
import { OAuthError } from '../../core/errors/oauthError';
import { reportEvenUnasked, type RefreshOutcome } from '../../core/tokens/refreshCoordinator';
import { describeTokenSet } from '../../core/tokens/tokenSummary';
import type { RefreshRequest } from '../commandShell';
import { CONTEXT_KEYS, setContextKey } from '../contextKeys';
import { reportError } from '../errorReporting';
import { secretsMayBeSent } from '../secretConsent';
import type { ExtensionServices } from '../services';

const ACTION = 'Refresh Access Token';

/**
 * `mayAsk`: someone is there to answer the question about a secret whose destination changed, although
 * the outcome is not reported as for a person (Call the API's refresh before the call).
 */
export async function refresh(services: ExtensionServices, request: RefreshRequest, options: { mayAsk?: boolean } = {}): Promise<RefreshOutcome> {
  const { log } = services;
  const app = services.pinApp(request.appId);
  if (!app) return noApp(request);
  const config = app.configuration;
  const before = await app.secrets.tokenSet(config);
  const mayAsk = request.interactive || options.mayAsk === true;
  const refresher = services.refresherFor(app.id);
  const outcome = before?.refreshToken && !(await secretsMayBeSent(services, app, config, 'token', { mayAsk }))
    ? notSent(mayAsk)
    : request.interactive
      ? await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${ACTION} (${app.name})…` }, () => refresher.refresh())
      : await refresher.refresh();
  switch (outcome.kind) {
    case 'refreshed': {
      await services.stateChanged({ refreshFailed: false });
      await setContextKey(vscode.commands, CONTEXT_KEYS.refreshed, true);
      const rotated = before?.refreshToken !== undefined && outcome.tokenSet.refreshToken !== before.refreshToken;
      log.info(`Access token refreshed${rotated ? '; the provider rotated the refresh token and the new one is stored' : ''}.`);
      if (request.interactive) {
        const summary = describeTokenSet(outcome.tokenSet, Date.now()).replace(/^Authorized/, 'Refreshed');
        void vscode.window.showInformationMessage(`${summary}${rotated ? ' The refresh token was rotated.' : ''}`);
      }
      break;
    }
    case 'reauthorize': {
      await services.stateChanged();
      log.warn(`${ACTION}: ${outcome.error.message}`);
      // Shown for the timer too: the stored tokens are gone or unusable and only the user can fix that.
      const choice = await vscode.window.showWarningMessage(
        `${ACTION}: ${outcome.error.message} Run Authorize App to get new tokens.`, 'Authorize App');
      if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
      break;
    }
    case 'failed':
      // The stored set is unchanged and the status bar turns red. The timer retries by itself (a laptop
      // waking up offline is the usual cause), so only a person who asked gets a message.
      await services.stateChanged({ refreshFailed: true });
      if (request.interactive || reportEvenUnasked(outcome)) await reportError(ACTION, outcome.error, log);
      else log.warn(`${ACTION} (automatic) failed: ${outcome.error.message} It is tried again in a few minutes.`);
      break;
  }
  return outcome;
}

/** There is no app (or the one asked for was removed): nothing to refresh, and nothing is cleared. */
async function noApp(request: RefreshRequest): Promise<RefreshOutcome> {
  const error = new OAuthError({
    code: 'no_app',
    description: request.appId === undefined ? 'There is no app yet.' : 'The app was removed (perhaps in another window).',
    hint: 'Run Configure App to add one, then Authorize App.',
  });
  if (request.interactive) void vscode.window.showWarningMessage(`${ACTION}: ${error.message}`);
  return { kind: 'failed', error };
}

/** The refresh was held back because the token endpoint or application changed since the secret was saved. */
function notSent(asked: boolean): RefreshOutcome {
  return {
    kind: 'failed',
    error: asked
      ? new OAuthError({ code: 'cancelled', description: 'The application secret was not sent.' })
      : new OAuthError({
        code: 'secret_not_sent',
        description: 'The application secret was saved for another token endpoint or application than the one configured now.',
        hint: 'Run Refresh Access Token to decide whether to send it there, or Configure App to enter the secret for this one.',
      }),
  };
}
