/**
 * The upgrade from one app to many: the single-app settings (`authCodeFlow.clientId` and the rest) become
 * the first named app, and its secrets and remembered state move under that app's keys. Pure: the editor
 * reads the old values, calls this, and writes what it says (editor/apps/legacyMigration.ts).
 *
 * The migrated app always gets the same id, so two windows migrating at once write the same entry, and a
 * migration interrupted halfway finds its app already there and finishes the rest.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { presetById, PRESETS } from '../providers/presets';
import { DEFAULT_CONFIGURATION, parseAppList } from './appList';
import { uniqueAppName } from './appName';
import type { NamedApp } from './namedApp';

export const MIGRATED_APP_ID = 'migrated-app';

/** Each single-app setting (without `authCodeFlow.`) and the AppConfiguration field it became. */
export const LEGACY_SETTINGS = {
  provider: 'preset',
  authorizationEndpoint: 'authorizationEndpoint',
  tokenEndpoint: 'tokenEndpoint',
  apiBaseUrl: 'apiBaseUrl',
  issuer: 'issuer',
  clientId: 'clientId',
  scopes: 'scopes',
  clientAuthentication: 'clientAuthMethod',
  pkce: 'usePkce',
  redirectMode: 'redirectMode',
  loopbackPort: 'loopbackPort',
  loopbackHost: 'loopbackHost',
  subscriptionKeyHeader: 'subscriptionKeyHeader',
  extraAuthorizationParameters: 'extraAuthorizationParams',
  skyEnvironmentId: 'environmentId',
} as const satisfies Record<string, keyof AppConfiguration>;

export type LegacySetting = keyof typeof LEGACY_SETTINGS;
export const LEGACY_SETTING_KEYS = Object.keys(LEGACY_SETTINGS) as LegacySetting[];

/** The single-app SecretStorage keys, and the per-app name each one becomes. */
export const LEGACY_SECRETS = {
  'authCodeFlow.clientSecret': 'clientSecret',
  'authCodeFlow.subscriptionKey': 'subscriptionKey',
  'authCodeFlow.tokenSet': 'tokenSet',
  // A lease outlives no refresh: it is deleted, not moved (see secretMoves).
  'authCodeFlow.refreshLease': 'refreshLease',
} as const;

/** The single-app globalState keys; each becomes a per-app key (editor/apps/appState.ts). */
export const LEGACY_STATE = {
  'authCodeFlow.basicCredentialEncodings': 'basicCredentialEncodings',
  'authCodeFlow.lastApiPath': 'lastApiPath',
} as const;

export interface LegacyMigration {
  /** The app the old settings describe; already in the list when an earlier run added it. */
  app: NamedApp;
  /** Whether the app still has to be added to `authCodeFlow.apps`. */
  addApp: boolean;
  /** The old settings to clear (only those that hold a value), last, once everything else moved. */
  settingsToClear: LegacySetting[];
}

/**
 * What to do with the old settings, given their user-level values (`read` returns undefined for one that
 * is not set) and the current `authCodeFlow.apps` value. Undefined when no old setting is set: nothing to
 * migrate. A value of the wrong type (hand-edited) falls back to the default, as the old code did.
 */
export function planLegacyMigration(read: (key: LegacySetting) => unknown, storedApps: unknown): LegacyMigration | undefined {
  const settingsToClear = LEGACY_SETTING_KEYS.filter((key) => read(key) !== undefined);
  if (settingsToClear.length === 0) return undefined;
  const { apps } = parseAppList(storedApps);
  const existing = apps.find((candidate) => candidate.id === MIGRATED_APP_ID);
  if (existing) return { app: existing, addApp: false, settingsToClear };
  const configuration = legacyConfiguration(read);
  const name = uniqueAppName(presetById(configuration.preset).label, apps);
  return { app: { id: MIGRATED_APP_ID, name, configuration }, addApp: true, settingsToClear };
}

/** The configuration the old readConfiguration() returned for these values. */
export function legacyConfiguration(read: (key: LegacySetting) => unknown): AppConfiguration {
  const string = (key: LegacySetting): string => {
    const value = read(key);
    return typeof value === 'string' ? value.trim() : '';
  };
  const choice = <T extends string>(key: LegacySetting, allowed: readonly T[], fallback: T): T => {
    const value = read(key);
    return allowed.includes(value as T) ? value as T : fallback;
  };
  const preset = choice('provider', PRESETS.map((candidate) => candidate.id), DEFAULT_CONFIGURATION.preset);
  const scopes = read('scopes');
  const extra = read('extraAuthorizationParameters');
  const port = read('loopbackPort');
  const pkce = read('pkce');
  const issuer = string('issuer');
  const subscriptionKeyHeader = string('subscriptionKeyHeader');
  const environmentId = preset === 'sky' ? string('skyEnvironmentId') : '';
  return {
    preset,
    authorizationEndpoint: string('authorizationEndpoint'),
    tokenEndpoint: string('tokenEndpoint'),
    apiBaseUrl: string('apiBaseUrl'),
    ...(issuer ? { issuer } : {}),
    clientId: string('clientId'),
    scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string').map((scope) => scope.trim()).filter(Boolean) : [],
    clientAuthMethod: choice('clientAuthentication', ['client_secret_basic', 'client_secret_post', 'none'], DEFAULT_CONFIGURATION.clientAuthMethod),
    usePkce: typeof pkce === 'boolean' ? pkce : DEFAULT_CONFIGURATION.usePkce,
    redirectMode: choice('redirectMode', ['loopback', 'uriHandler'], DEFAULT_CONFIGURATION.redirectMode),
    loopbackPort: Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535 ? port as number : DEFAULT_CONFIGURATION.loopbackPort,
    loopbackHost: choice('loopbackHost', ['localhost', '127.0.0.1'], DEFAULT_CONFIGURATION.loopbackHost),
    ...(subscriptionKeyHeader ? { subscriptionKeyHeader } : {}),
    extraAuthorizationParams: typeof extra === 'object' && extra !== null && !Array.isArray(extra)
      ? Object.fromEntries(Object.entries(extra).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
      : {},
    ...(environmentId ? { environmentId } : {}),
  };
}

export type SecretStep =
  /** Copy the old value to the new key, then delete the old key. */
  | { kind: 'move'; from: string; to: string }
  /** The new key already holds a value (an earlier run or another window copied it): only delete the old. */
  | { kind: 'delete'; from: string };

/**
 * What to do with one old secret, given whether the old and the new key hold a value. Never overwrites a
 * new key: once it exists it is the newer value (tokens refreshed after a first, interrupted run).
 */
export function secretStep(from: string, to: string, present: { old: boolean; new: boolean }): SecretStep | undefined {
  if (!present.old) return undefined;
  // A refresh lease only matters while a refresh runs; the new code never reads the old one.
  if (from === 'authCodeFlow.refreshLease' || present.new) return { kind: 'delete', from };
  return { kind: 'move', from, to };
}
