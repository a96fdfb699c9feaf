// "Auth Code Flow: Sign Out" — revokes the refresh token at the provider where it has a revocation endpoint
// (RFC 7009), then forgets the tokens; the app's own secret is kept unless the user asks.
import * as vscode from 'vscode';
import { originOf } from '../../core/providers/secretBinding';
import { revocationEndpointOf, revokeToken, type TokenTypeHint } from '../../core/protocol/revocation';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { effectiveConfiguration } from '../basicEncodingMemory';
import { secretsMayBeSent } from '../secretConsent';
import type { ExtensionServices, PinnedApp } from '../services';
import { requestTimeoutMs } from '../settings';
import { stopAuthorization } from './authorize';

/** What became of the provider's copy of the grant. */
type Revocation =
  | { kind: 'revoked'; hint: TokenTypeHint }
  | { kind: 'noEndpoint' }
  | { kind: 'notSent'; reason: string }
  | { kind: 'failed'; message: string };

const STAY_VALID = 'They stay valid at the provider until they expire (remove the app\'s access there to end them sooner).';

/** `appId`: the app to sign out (an Accounts-menu sign-out); the active app when absent. */
export async function signOut(services: ExtensionServices, appId?: string): Promise<void> {
  const app = services.pinApp(appId);
  if (!app) {
    void vscode.window.showInformationMessage('Sign Out: there is no app, so no tokens are stored.');
    return;
  }
  // An authorization of this app still waiting for the browser would otherwise store new tokens right after.
  await stopAuthorization(app.id);
  const config = effectiveConfiguration(services, app);
  const tokenSet = await app.secrets.tokenSet(config);
  const revocation = tokenSet ? await revokeAtProvider(services, app, config, tokenSet) : undefined;
  // Deleted whatever the provider answered: the user asked to sign out of this editor.
  await app.secrets.deleteTokenSet();
  await services.stateChanged();
  services.log.info(`Signed out of "${app.name}": its stored token set was deleted.`);
  const deleteSecrets = 'Also Delete App Secret and Key';
  const kept = 'The app secret and subscription key are kept for the next Authorize App.';
  const show = revocation?.kind === 'failed' || revocation?.kind === 'notSent'
    ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(`Signed out of "${app.name}": the tokens were deleted from this editor. ${revocationWords(revocation)} ${kept}`, deleteSecrets);
  if (choice === deleteSecrets) {
    await app.secrets.deleteAppSecrets();
    services.log.info(`Deleted the app secret and subscription key of "${app.name}".`);
    void vscode.window.showInformationMessage('The application secret and subscription key were deleted from secret storage.');
  }
}

function revocationWords(revocation: Revocation | undefined): string {
  switch (revocation?.kind) {
    case undefined: return 'No tokens were stored for the configured app.';
    case 'revoked': return revocation.hint === 'refresh_token'
      ? 'The refresh token was revoked at the provider (RFC 7009); the access token may work until it expires.'
      : 'The access token was revoked at the provider (RFC 7009).';
    case 'noEndpoint': return `The provider has no revocation endpoint configured, so nothing was revoked. ${STAY_VALID}`;
    case 'notSent': return `Nothing was revoked: ${revocation.reason} ${STAY_VALID}`;
    case 'failed': return `Revoking them at the provider failed: ${revocation.message}${revocation.message.includes('stay valid') ? '' : ` ${STAY_VALID}`}`;
  }
}

/**
 * RFC 7009 at the provider: the refresh token (revoking it ends the grant's access tokens too where the
 * provider supports that, §2.1), else the access token. Never throws: Sign Out goes on either way.
 */
async function revokeAtProvider(services: ExtensionServices, app: PinnedApp, config: AppConfiguration, tokenSet: TokenSet): Promise<Revocation> {
  const { log } = services;
  const endpoint = revocationEndpointOf(config);
  if (endpoint === undefined) {
    log.info('Sign Out: the provider has no revocation endpoint configured; the tokens were not revoked.');
    return { kind: 'noEndpoint' };
  }
  // The secret goes only where it may go to the token endpoint: same origin, bound as Authorize App checks.
  if (config.clientAuthMethod !== 'none' && originOf(endpoint) !== originOf(config.tokenEndpoint)) {
    log.warn(`Sign Out: the revocation endpoint ${endpoint} is not on the token endpoint's origin; the app secret was not sent there.`);
    return { kind: 'notSent', reason: 'the revocation endpoint is on another host than the token endpoint, and the app secret is not sent there.' };
  }
  if (!(await secretsMayBeSent(services, app, config, 'token', { mayAsk: true }))) {
    return { kind: 'notSent', reason: 'sending the app secret was not allowed.' };
  }
  const hint: TokenTypeHint = tokenSet.refreshToken ? 'refresh_token' : 'access_token';
  const token = tokenSet.refreshToken ?? tokenSet.accessToken;
  try {
    const secrets = await app.secrets.appSecrets();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Sign Out: revoking the tokens at the provider…' },
      () => revokeToken({ config, secrets, token, hint, http: services.http(), timeoutMs: requestTimeoutMs() }));
    log.info(`Sign Out: the ${hint === 'refresh_token' ? 'refresh' : 'access'} token was revoked at ${endpoint} (RFC 7009).`);
    return { kind: 'revoked', hint };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn(`Sign Out: revoking at ${endpoint} failed: ${message}`);
    return { kind: 'failed', message };
  }
}
