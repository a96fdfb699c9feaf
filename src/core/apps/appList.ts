/**
 * The app list as stored in the `authCodeFlow.apps` setting: an array of `{ id, name, ...AppConfiguration }`.
 * The user can edit settings.json by hand, so every field is type-checked. An entry that cannot be used is
 * skipped with a message naming the app and the field; the others still load, and nothing here throws.
 * Writing goes back through the raw array (see withEntry), so a skipped entry is never silently deleted.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { PRESETS } from '../providers/presets';
import { APPS_SETTING } from '../providers/appField';
import { isAppId } from './appId';
import { hasControlCharacter, MAX_APP_NAME_LENGTH, sameName } from './appName';
import type { NamedApp } from './namedApp';

export { APPS_SETTING };

/** What an absent field means; the same values the single-app settings defaulted to. */
export const DEFAULT_CONFIGURATION: Readonly<AppConfiguration> = Object.freeze({
  preset: 'sky',
  authorizationEndpoint: '',
  tokenEndpoint: '',
  apiBaseUrl: '',
  clientId: '',
  scopes: [],
  clientAuthMethod: 'client_secret_basic',
  usePkce: true,
  redirectMode: 'loopback',
  loopbackPort: 5000,
  loopbackHost: 'localhost',
  extraAuthorizationParams: {},
});

/** A fresh copy of the defaults: what readConfiguration() returns while there is no app. */
export function emptyConfiguration(): AppConfiguration {
  return { ...DEFAULT_CONFIGURATION, scopes: [], extraAuthorizationParams: {} };
}

type Check = (value: unknown) => boolean;
const isString: Check = (value) => typeof value === 'string';
const oneOf = (...allowed: string[]): Check => (value) => typeof value === 'string' && allowed.includes(value);

/**
 * Each AppConfiguration field, how to check it and what it must be. `optional` fields are left out when
 * absent or empty; the others take DEFAULT_CONFIGURATION's value when absent. A field added to
 * AppConfiguration is added here too, or it is not read back from settings.
 */
const FIELDS: readonly { name: keyof AppConfiguration; check: Check; expected: string; optional?: true }[] = [
  // Checked against the presets known at run time, so a preset added later needs no change here.
  { name: 'preset', check: (value) => PRESETS.some((preset) => preset.id === value), expected: `one of ${PRESETS.map((preset) => `"${preset.id}"`).join(', ')}` },
  { name: 'authorizationEndpoint', check: isString, expected: 'a string' },
  { name: 'tokenEndpoint', check: isString, expected: 'a string' },
  { name: 'apiBaseUrl', check: isString, expected: 'a string' },
  { name: 'issuer', check: isString, expected: 'a string', optional: true },
  { name: 'clientId', check: isString, expected: 'a string' },
  { name: 'scopes', check: (value) => Array.isArray(value) && value.every(isString), expected: 'an array of strings' },
  { name: 'clientAuthMethod', check: oneOf('client_secret_basic', 'client_secret_post', 'none'), expected: 'one of "client_secret_basic", "client_secret_post", "none"' },
  { name: 'basicCredentialEncoding', check: oneOf('form-urlencoded', 'raw'), expected: 'one of "form-urlencoded", "raw"', optional: true },
  { name: 'usePkce', check: (value) => typeof value === 'boolean', expected: 'true or false' },
  { name: 'redirectMode', check: oneOf('loopback', 'uriHandler'), expected: 'one of "loopback", "uriHandler"' },
  { name: 'loopbackPort', check: (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535, expected: 'a whole number from 0 to 65535' },
  { name: 'loopbackHost', check: oneOf('localhost', '127.0.0.1'), expected: 'one of "localhost", "127.0.0.1"' },
  { name: 'registeredRedirectUri', check: isString, expected: 'a string', optional: true },
  { name: 'subscriptionKeyHeader', check: isString, expected: 'a string', optional: true },
  {
    name: 'extraAuthorizationParams',
    check: (value) => isPlainObject(value) && Object.values(value).every(isString),
    expected: 'an object whose values are strings',
  },
  { name: 'environmentId', check: isString, expected: 'a string', optional: true },
  { name: 'tenant', check: isString, expected: 'a string', optional: true },
  // Filled by discovery (core/providers/discoveredConfiguration.ts).
  { name: 'jwksUri', check: isString, expected: 'a string', optional: true },
  { name: 'revocationEndpoint', check: isString, expected: 'a string', optional: true },
  { name: 'requireIssuerParameter', check: (value) => typeof value === 'boolean', expected: 'true or false', optional: true },
  { name: 'discoveredFrom', check: isString, expected: 'a string', optional: true },
  { name: 'openIdProvider', check: (value) => typeof value === 'boolean', expected: 'true or false', optional: true },
];

/** The field names a stored entry may carry besides id and name. */
export const CONFIGURATION_FIELDS: readonly string[] = FIELDS.map((field) => field.name);

export interface ParsedAppList {
  apps: NamedApp[];
  /** One sentence per skipped entry, naming it and the field; for the log and a warning. */
  problems: string[];
}

/** Reads the setting's value, whatever JSON it holds. */
export function parseAppList(value: unknown): ParsedAppList {
  if (value === undefined || value === null) return { apps: [], problems: [] };
  if (!Array.isArray(value)) {
    return { apps: [], problems: [`${APPS_SETTING} is ${describe(value)}, not an array of apps; no app was read. Correct it in settings.json.`] };
  }
  const apps: NamedApp[] = [];
  const problems: string[] = [];
  value.forEach((entry: unknown, index) => {
    const parsed = parseEntry(entry, index);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      return;
    }
    const where = `${APPS_SETTING}[${index}] ("${parsed.name}")`;
    if (apps.some((app) => app.id === parsed.id)) {
      problems.push(`${where} was skipped: its id "${parsed.id}" is used by an earlier app.`);
    } else if (apps.some((app) => sameName(app.name, parsed.name))) {
      problems.push(`${where} was skipped: an earlier app has the same name (names are compared ignoring case).`);
    } else {
      apps.push(parsed);
    }
  });
  return { apps, problems };
}

function parseEntry(entry: unknown, index: number): NamedApp | string {
  const at = `${APPS_SETTING}[${index}]`;
  if (!isPlainObject(entry)) return `${at} was skipped: it is ${describe(entry)}, not an object.`;
  if (!isAppId(entry.id)) {
    return `${at} was skipped: its "id" is ${describe(entry.id)}; it must be 1 to 64 letters, digits, "-" or "_".`;
  }
  if (typeof entry.name !== 'string' || entry.name.trim() === '' || hasControlCharacter(entry.name)) {
    return `${at} was skipped: its "name" is ${describe(entry.name)}; it must be a non-empty string on one line.`;
  }
  const name = entry.name.trim().slice(0, MAX_APP_NAME_LENGTH);
  const configuration: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = entry[field.name];
    if (value === undefined || (field.optional && value === '')) {
      if (!field.optional) configuration[field.name] = copy(DEFAULT_CONFIGURATION[field.name]);
      continue;
    }
    if (!field.check(value)) {
      return `${at} ("${name}") was skipped: its "${field.name}" is ${describe(value)}; it must be ${field.expected}. Correct it in settings.json.`;
    }
    configuration[field.name] = typeof value === 'string' ? value.trim() : copy(value);
  }
  const config = configuration as unknown as AppConfiguration;
  config.scopes = config.scopes.map((scope) => scope.trim()).filter(Boolean);
  // SKY's environment_id means nothing to another provider, so it is never sent to one.
  if (config.preset !== 'sky') delete config.environmentId;
  // Entra's tenant names a path segment of its endpoints; other providers have none.
  if (config.preset !== 'entra') delete config.tenant;
  for (const key of ['issuer', 'subscriptionKeyHeader', 'environmentId', 'tenant', 'jwksUri', 'revocationEndpoint', 'discoveredFrom'] as const) {
    if (config[key] === '') delete config[key];
  }
  return { id: entry.id, name, configuration: config };
}

/** The stored form of one app: its id, its name and its configuration's own field names. */
export function appEntry(app: NamedApp): Record<string, unknown> {
  const entry: Record<string, unknown> = { id: app.id, name: app.name.trim() };
  for (const field of FIELDS) {
    const value = app.configuration[field.name];
    if (value !== undefined) entry[field.name] = copy(value);
  }
  return entry;
}

/**
 * The raw stored array with the entry of `app.id` replaced (or appended when absent). Other entries, the
 * malformed ones included, are kept as they are; unknown fields of the replaced entry too (a newer
 * version's), while configuration fields the app no longer has are dropped.
 */
export function withEntry(raw: unknown, app: NamedApp): unknown[] {
  const entries = Array.isArray(raw) ? [...raw] : [];
  const index = entries.findIndex((entry) => isPlainObject(entry) && entry.id === app.id);
  if (index < 0) return [...entries, appEntry(app)];
  const previous = entries[index] as Record<string, unknown>;
  const kept = Object.fromEntries(Object.entries(previous).filter(([key]) => !CONFIGURATION_FIELDS.includes(key)));
  entries[index] = { ...kept, ...appEntry(app) };
  return entries;
}

/** The raw stored array without the entry of `id`; everything else kept as it is. */
export function withoutEntry(raw: unknown, id: string): unknown[] {
  return (Array.isArray(raw) ? raw : []).filter((entry) => !(isPlainObject(entry) && entry.id === id));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function copy<T>(value: T): T {
  if (Array.isArray(value)) return [...value] as T;
  if (isPlainObject(value)) return { ...value } as T;
  return value;
}

/** A short description of a user's value for a message: the type, and short strings and numbers shown. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'a long string';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
