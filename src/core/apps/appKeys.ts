/**
 * Where each app keeps what is its own: SecretStorage keys for its secrets and globalState keys for its
 * remembered state, all `authCodeFlow.app.<id>.<name>`. The id is base64url (appId.ts), so one app's keys
 * are never a prefix of another's, and nothing in a key comes from the app's name or configuration.
 */

export type AppSecretName = 'clientSecret' | 'subscriptionKey' | 'tokenSet' | 'refreshLease';
/** refreshLease: which window is spending the refresh token (tokens/refreshLease.ts); a hash, never the token. */
export const APP_SECRET_NAMES: readonly AppSecretName[] = ['clientSecret', 'subscriptionKey', 'tokenSet', 'refreshLease'];

/** Which Basic credential spelling the app's token endpoint accepted, and Call the API's last path. */
export type AppStateName = 'basicCredentialEncodings' | 'lastApiPath';
export const APP_STATE_NAMES: readonly AppStateName[] = ['basicCredentialEncodings', 'lastApiPath'];

const PREFIX = 'authCodeFlow.app.';

export function appSecretKey(appId: string, name: AppSecretName): string {
  return `${PREFIX}${appId}.${name}`;
}

export function appStateKey(appId: string, name: AppStateName): string {
  return `${PREFIX}${appId}.${name}`;
}

/** The app whose token set a SecretStorage key holds, or undefined for any other key. */
export function tokenSetOwner(key: string): string | undefined {
  return /^authCodeFlow\.app\.([A-Za-z0-9_-]{1,64})\.tokenSet$/.exec(key)?.[1];
}
