/**
 * Provider presets as data, the AppConfiguration each one starts from, and the checks Configure App runs
 * before a flow is attempted. Keeping presets declarative means the settings UI, the snippets and the
 * tests all read the same facts about a provider.
 */
import { environmentIdProblems, extraParameterProblems } from '../protocol/authorizationRequest';
import { ConfigurationError } from '../errors/oauthError';
import type { AppConfiguration, BasicCredentialEncoding, ClientAuthMethod, LoopbackHost, PresetId, RedirectMode } from './appConfiguration';

export interface ProviderPreset {
  id: PresetId;
  label: string;
  description: string;
  /** Empty when the user (generic) or the runtime (sandbox) supplies it. */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  apiBaseUrl: string;
  issuer?: string;
  scopes: readonly string[];
  clientAuthMethod: ClientAuthMethod;
  /** How client_secret_basic spells the credentials first (see protocol/basicCredentials.ts). */
  basicCredentialEncoding: BasicCredentialEncoding;
  usePkce: boolean;
  redirectMode: RedirectMode;
  loopbackPort: number;
  loopbackHost: LoopbackHost;
  /** Whether the provider accepts the editor's vscode:// redirect URI at all. */
  acceptsVscodeSchemeRedirect: boolean;
  /** Whether the registered redirect URI must match the port exactly (so port 0 cannot work). */
  requiresExactLoopbackPort: boolean;
  subscriptionKeyHeader?: string;
  /**
   * Whether `authCodeFlow.preserveRefreshToken` may add `preserve_refresh_token=true` to refreshes. SKY is
   * said to accept it, but no Blackbaud source was found (blackbaud/sky-api-docs and the official
   * sky-api-tutorial-auth-code-nodejs/-php/-c-sharp samples never mention it): unconfirmed, off by default.
   */
  supportsPreserveRefreshToken: boolean;
  extraAuthorizationParams: Readonly<Record<string, string>>;
  /** A harmless GET to try the token on, relative to apiBaseUrl. */
  defaultApiPath: string;
  /**
   * An issuer-based provider: Configure App asks for the issuer and fills the rest in by discovery
   * (RFC 8414 / OpenID Connect Discovery; editor/commands/configureDiscovery.ts). `issuerTemplate`, if
   * any, is a starting value such as `https://{yourDomain}/oauth2/default`.
   */
  discovery?: { issuerPrompt: string; issuerPlaceholder: string; issuerTemplate?: string };
  /** An OpenID Provider, so OpenID Connect Core §11 applies to offline_access (protocol/offlineAccess.ts). */
  openIdProvider?: boolean;
  /**
   * What the provider needs before it issues a refresh token, as a sentence; when set, Authorize App
   * says it whenever no refresh token came (protocol/offlineAccess.ts).
   */
  refreshTokenRequirement?: string;
}

const SKY: ProviderPreset = {
  id: 'sky',
  label: 'Blackbaud SKY API',
  description: 'Needs a registered application and a subscription key.',
  // The official samples' endpoint (blackbaud/sky-api-tutorial-auth-code-nodejs server/routes/auth.js,
  // -php config.php.sample, -c-sharp appsettings.json). Blackbaud's current FAQ names
  // https://app.blackbaud.com/oauth/authorize instead (developer.blackbaud.com/skyapi/support/faq); the
  // setting takes either.
  authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization',
  tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token',
  apiBaseUrl: 'https://api.sky.blackbaud.com',
  // SKY grants what the application was given in the developer portal; it takes no scope parameter.
  scopes: [],
  clientAuthMethod: 'client_secret_basic',
  // Blackbaud documents base64(Application ID:Application secret) and its samples send the raw values
  // (blackbaud/sky-api-docs includes/authcodeflow/step4.md; blackbaud/sky-api-tutorial-auth-code-php
  // includes/blackbaud/auth.php; blackbaud/sky-api-tutorial-auth-code-nodejs server/routes/auth.js uses
  // simple-oauth2's 'loose' mode), so SKY gets what its own samples send.
  basicCredentialEncoding: 'raw',
  usePkce: true,
  // SKY's redirect URIs must use https, a scheme with at least one period (com.example.app:/callback), or
  // http://localhost:PORT / http://127.0.0.1:PORT (Blackbaud's help, "Redirect URIs":
  // webfiles-sc1.blackbaud.com/files/support/helpfiles/skydev/content/plat-skydev-apps-settings-redirect-uris.html).
  // vscode:// has no period, so the editor's URI handler cannot receive SKY's redirect: loopback it is.
  redirectMode: 'loopback',
  loopbackPort: 5000,
  // SKY's docs register http://localhost:PORT, and the redirect URI is compared as a string.
  loopbackHost: 'localhost',
  // Not "no custom schemes": SKY takes schemes with a period, and vscode has none (see redirectMode above).
  acceptsVscodeSchemeRedirect: false,
  requiresExactLoopbackPort: true,
  subscriptionKeyHeader: 'Bb-Api-Subscription-Key',
  supportsPreserveRefreshToken: true,
  extraAuthorizationParams: {},
  defaultApiPath: '/constituent/v1/constituents?limit=1',
};

const GENERIC: ProviderPreset = {
  id: 'generic',
  label: 'Any OAuth 2.0 / OpenID provider',
  description: 'From its issuer URL (discovery), or enter its authorization and token endpoints.',
  authorizationEndpoint: '',
  tokenEndpoint: '',
  apiBaseUrl: '',
  scopes: [],
  clientAuthMethod: 'client_secret_basic',
  basicCredentialEncoding: 'form-urlencoded',
  usePkce: true,
  redirectMode: 'uriHandler',
  loopbackPort: 0,
  // RFC 8252 §8.3: the IP literal avoids depending on how localhost resolves.
  loopbackHost: '127.0.0.1',
  acceptsVscodeSchemeRedirect: true,
  requiresExactLoopbackPort: false,
  supportsPreserveRefreshToken: false,
  extraAuthorizationParams: {},
  defaultApiPath: '',
  discovery: {
    issuerPrompt: 'Issuer URL of the provider (its metadata is then read from /.well-known/…); leave empty to enter the endpoints yourself',
    issuerPlaceholder: 'https://login.example.com',
  },
};

const SANDBOX: ProviderPreset = {
  id: 'sandbox',
  label: 'Local sandbox (npm run sandbox)',
  description: 'A local provider that behaves like SKY API: no account needed.',
  // Filled from the JSON line the running sandbox prints, by sandboxOverrides().
  authorizationEndpoint: '',
  tokenEndpoint: '',
  apiBaseUrl: '',
  scopes: ['api', 'offline_access'],
  clientAuthMethod: 'client_secret_basic',
  // oidc-provider decodes Basic credentials as RFC 6749 says; its SKY-like demo client compares them raw.
  basicCredentialEncoding: 'form-urlencoded',
  usePkce: true,
  // Loopback like SKY, so the sandbox exercises the path SKY users take; the sandbox accepts any
  // loopback port, so an ephemeral one avoids clashing with whatever already listens on 5000.
  redirectMode: 'loopback',
  loopbackPort: 0,
  loopbackHost: '127.0.0.1',
  acceptsVscodeSchemeRedirect: true,
  requiresExactLoopbackPort: false,
  subscriptionKeyHeader: 'Bb-Api-Subscription-Key',
  supportsPreserveRefreshToken: false,
  extraAuthorizationParams: {},
  defaultApiPath: '/me',
  // oidc-provider is an OpenID Provider and keeps offline_access only with prompt=consent (OpenID Connect
  // Core §11); protocol/offlineAccess.ts adds it, as for any OpenID provider.
  openIdProvider: true,
};

export const PRESETS: readonly ProviderPreset[] = [SKY, GENERIC, SANDBOX];

export function presetById(id: PresetId): ProviderPreset {
  const preset = PRESETS.find((candidate) => candidate.id === id);
  if (preset === undefined) {
    throw new RangeError(`Unknown provider preset "${String(id)}".`);
  }
  return preset;
}

/** The preset's defaults with the user's (or the runtime's) values on top. */
export function configurationFromPreset(preset: ProviderPreset, overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  const configuration: AppConfiguration = {
    preset: preset.id,
    authorizationEndpoint: preset.authorizationEndpoint,
    tokenEndpoint: preset.tokenEndpoint,
    apiBaseUrl: preset.apiBaseUrl,
    clientId: '',
    scopes: [...preset.scopes],
    clientAuthMethod: preset.clientAuthMethod,
    // basicCredentialEncoding stays unset: the preset's applies until one is learned for the app, so a
    // configuration read back from settings (which never hold it) equals the one written.
    usePkce: preset.usePkce,
    redirectMode: preset.redirectMode,
    loopbackPort: preset.loopbackPort,
    loopbackHost: preset.loopbackHost,
    extraAuthorizationParams: { ...preset.extraAuthorizationParams },
  };
  if (preset.issuer !== undefined) {
    configuration.issuer = preset.issuer;
  }
  if (preset.subscriptionKeyHeader !== undefined) {
    configuration.subscriptionKeyHeader = preset.subscriptionKeyHeader;
  }
  return { ...configuration, ...definedOnly(overrides), preset: preset.id };
}

/**
 * The part of the JSON line `npm run sandbox` prints (test/sandbox/README.md) that locates it; the field
 * names are RFC 8414's, so an OpenID discovery document works as well.
 */
export interface SandboxEndpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  /** Where the sandbox's SKY-like API lives; `<issuer>/api` when absent. */
  api_base_url?: string;
  subscription_key_header?: string;
}

/** Overrides that point the sandbox preset at the running sandbox. */
export function sandboxOverrides(info: unknown): Partial<AppConfiguration> {
  if (!isSandboxEndpoints(info)) {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: 'The sandbox information lacks issuer, authorization_endpoint or token_endpoint.',
      hint: 'Start the sandbox with npm run sandbox and use the JSON line it prints.',
    });
  }
  const overrides: Partial<AppConfiguration> = {
    issuer: info.issuer,
    authorizationEndpoint: info.authorization_endpoint,
    tokenEndpoint: info.token_endpoint,
    apiBaseUrl: info.api_base_url ?? `${info.issuer.replace(/\/+$/, '')}/api`,
  };
  if (info.subscription_key_header !== undefined) {
    overrides.subscriptionKeyHeader = info.subscription_key_header;
  }
  return overrides;
}

/**
 * Everything Configure App should tell the user before a flow is attempted, as sentences. Empty means
 * the configuration is usable (secrets are checked where they are used).
 */
export function validateConfiguration(config: AppConfiguration): string[] {
  // settings.json can hold any value; the rest of the checks assume the enumerated ones.
  const choices = choiceProblems(config);
  if (choices.length > 0) return choices;
  const problems: string[] = [];
  if (config.clientId.trim() === '') {
    problems.push('The application ID (client_id) is missing; copy it from the application\'s registration at the provider.');
  }
  problems.push(...endpointProblems('Authorization endpoint', config.authorizationEndpoint, { allowQuery: true }));
  problems.push(...endpointProblems('Token endpoint', config.tokenEndpoint, { allowQuery: true }));
  // Optional: the flow itself works without it; only "Call API" needs it.
  if (config.apiBaseUrl.trim() !== '') {
    problems.push(...endpointProblems('API base URL', config.apiBaseUrl, { allowQuery: false }));
  }
  if (config.issuer !== undefined && config.issuer !== '') {
    problems.push(...endpointProblems('Issuer', config.issuer, { allowQuery: false }));
  }
  problems.push(...scopeProblems(config.scopes));
  problems.push(...extraParameterProblems(config.extraAuthorizationParams, queryNamesOf(config.authorizationEndpoint)));
  problems.push(...environmentIdProblems(config.environmentId, config.extraAuthorizationParams, queryNamesOf(config.authorizationEndpoint)));
  problems.push(...redirectProblems(config));
  if (config.clientAuthMethod === 'none' && !config.usePkce) {
    problems.push('A public client (client authentication "none") must use PKCE; turn "Use PKCE" on.');
  }
  if (config.subscriptionKeyHeader !== undefined && config.subscriptionKeyHeader !== '' && !HEADER_NAME.test(config.subscriptionKeyHeader)) {
    problems.push(`"${config.subscriptionKeyHeader}" is not a valid HTTP header name for the subscription key.`);
  }
  return problems;
}

const CHOICES: readonly { setting: string; value: (config: AppConfiguration) => unknown; allowed: readonly string[] }[] = [
  { setting: 'authCodeFlow.provider', value: (config) => config.preset, allowed: ['sky', 'generic', 'sandbox'] },
  { setting: 'authCodeFlow.clientAuthentication', value: (config) => config.clientAuthMethod, allowed: ['client_secret_basic', 'client_secret_post', 'none'] },
  { setting: 'authCodeFlow.redirectMode', value: (config) => config.redirectMode, allowed: ['loopback', 'uriHandler'] },
  { setting: 'authCodeFlow.loopbackHost', value: (config) => config.loopbackHost, allowed: ['localhost', '127.0.0.1'] },
];

function choiceProblems(config: AppConfiguration): string[] {
  return CHOICES.filter(({ value, allowed }) => !allowed.includes(value(config) as string))
    .map(({ setting, value, allowed }) =>
      `${setting} is ${JSON.stringify(value(config))}, which is not one of ${allowed.map((choice) => `"${choice}"`).join(', ')}; run Configure App or correct it in settings.json.`);
}

/** RFC 9110 §5.1 token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function endpointProblems(name: string, value: string, rules: { allowQuery: boolean }): string[] {
  const trimmed = value.trim();
  if (trimmed === '') {
    return [`${name} is missing.`];
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return [`${name} "${trimmed}" is not a valid absolute URL.`];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    problems.push(`${name} must use https:// (http:// is accepted only for localhost, 127.0.0.1 or [::1]).`);
  }
  if (url.hash !== '' || trimmed.includes('#')) {
    problems.push(`${name} must not contain a fragment ("#…").`);
  }
  if (!rules.allowQuery && url.search !== '') {
    problems.push(`${name} must not contain a query ("?…").`);
  }
  return problems;
}

function scopeProblems(scopes: readonly string[]): string[] {
  return scopes
    .filter((scope) => scope !== '' && !SCOPE_TOKEN.test(scope))
    .map((scope) =>
      /\s/.test(scope)
        ? `Scope "${scope}" contains a space; enter each scope separately.`
        : `Scope "${scope}" contains characters not allowed in a scope (RFC 6749 §3.3).`,
    );
}

function redirectProblems(config: AppConfiguration): string[] {
  const preset = presetById(config.preset);
  const problems: string[] = [];
  if (config.redirectMode === 'uriHandler' && !preset.acceptsVscodeSchemeRedirect) {
    problems.push(`${preset.label} does not accept editor (vscode://) redirect URIs; use the loopback redirect mode.`);
  }
  if (config.redirectMode === 'loopback') {
    if (!Number.isInteger(config.loopbackPort) || config.loopbackPort < 0 || config.loopbackPort > 65535) {
      problems.push(`Loopback port ${config.loopbackPort} is not a port number (1–65535, or 0 for any free port).`);
    } else if (config.loopbackPort === 0 && preset.requiresExactLoopbackPort) {
      problems.push(`${preset.label} needs the exact redirect URI registered, port included; choose a fixed loopback port.`);
    }
  }
  return problems;
}

/** Plain http is tolerable only where nothing leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function queryNamesOf(url: string): ReadonlySet<string> {
  try {
    return new Set(new URL(url.trim()).searchParams.keys());
  } catch {
    return new Set();
  }
}

function isSandboxEndpoints(value: unknown): value is SandboxEndpoints {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const fields = value as Record<string, unknown>;
  const required = [fields.issuer, fields.authorization_endpoint, fields.token_endpoint];
  const optional = [fields.api_base_url, fields.subscription_key_header];
  return (
    required.every((field) => typeof field === 'string' && field !== '') &&
    optional.every((field) => field === undefined || (typeof field === 'string' && field !== ''))
  );
}

/** Spreading `{ issuer: undefined }` would erase a preset value; an override must say something to count. */
function definedOnly(overrides: Partial<AppConfiguration>): Partial<AppConfiguration> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<AppConfiguration>;
}
