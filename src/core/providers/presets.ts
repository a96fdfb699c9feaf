/**
 * Provider presets as data, the AppConfiguration each one starts from, and the checks Configure App runs
 * before a flow is attempted. Keeping presets declarative means the settings UI, the snippets and the
 * tests all read the same facts about a provider.
 */
import { environmentIdProblems, extraParameterProblems } from '../protocol/authorizationParameters';
import { ConfigurationError } from '../errors/oauthError';
import { APPS_SETTING } from './appField';
import { presetProblems } from './presetChecks';
import type { ProviderPreset } from './providerPreset';
import type { AppConfiguration, PresetId } from './appConfiguration';

export type { AskedParameter, PresetDiscovery, PresetTenant, ProviderPreset } from './providerPreset';

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
    issuerOptional: true,
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

/** Marks the `{tenant}` path segment in the Entra endpoints. */
const TENANT_SLOT = '{tenant}';

/** What the presets of issue 11 share: PKCE, a loopback redirect, no SKY extras. */
const LOOPBACK_PKCE = {
  basicCredentialEncoding: 'form-urlencoded',
  usePkce: true,
  redirectMode: 'loopback',
  supportsPreserveRefreshToken: false,
  extraAuthorizationParams: {},
} as const;

/**
 * Okta, Auth0 and Keycloak: endpoints from the issuer's discovery document; a native/public client with
 * PKCE and no secret; a redirect URI registered exactly, port included (none of the three documents a
 * port-agnostic loopback match), hence a fixed port.
 */
const DISCOVERED_PUBLIC_CLIENT = {
  ...LOOPBACK_PKCE,
  authorizationEndpoint: '',
  tokenEndpoint: '',
  apiBaseUrl: '',
  clientAuthMethod: 'none',
  loopbackPort: 5000,
  loopbackHost: 'localhost',
  acceptsVscodeSchemeRedirect: false,
  requiresExactLoopbackPort: true,
} as const;

const ENTRA: ProviderPreset = {
  ...LOOPBACK_PKCE,
  id: 'entra',
  label: 'Microsoft Entra ID (Azure AD)',
  description: 'Microsoft identity platform v2.0; asks for the tenant.',
  // v2.0 endpoints with the tenant in the path: common, organizations, consumers or a tenant ID/domain
  // (MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md, "tenant").
  authorizationEndpoint: `https://login.microsoftonline.com/${TENANT_SLOT}/oauth2/v2.0/authorize`,
  tokenEndpoint: `https://login.microsoftonline.com/${TENANT_SLOT}/oauth2/v2.0/token`,
  // Microsoft Graph: GET /me needs only User.Read, which a new registration has by default.
  apiBaseUrl: 'https://graph.microsoft.com/v1.0',
  // No issuer: with common/organizations/consumers the v2.0 issuer is per user's tenant, not one URL.
  // offline_access is what brings a refresh token ("Only provided if offline_access scope was requested",
  // v2-oauth2-auth-code-flow.md, successful response); openid/profile an ID token.
  scopes: ['openid', 'profile', 'offline_access', 'User.Read'],
  // "Public clients, which include native applications and single page apps, must not use secrets or
  // certificates when redeeming an authorization code" (v2-oauth2-auth-code-flow.md, "Redeem a code"): a
  // desktop registration (redirect URI under "Mobile and desktop applications") with PKCE and no secret.
  // A "Web" registration needs its secret: choose client_secret_post then.
  clientAuthMethod: 'none',
  // "the port component … is ignored for the purposes of matching a redirect URI" for localhost
  // (MicrosoftDocs/entra-docs docs/identity-platform/reply-url.md, "Localhost exceptions"): register
  // http://localhost/callback once and any free port works.
  loopbackPort: 0,
  requiresExactLoopbackPort: false,
  // The same page: an http://127.0.0.1 redirect URI cannot be added in the portal (only in the manifest),
  // so localhost is what a user can register.
  loopbackHost: 'localhost',
  // Not confirmed from Microsoft's docs for vscode:// (they name http://localhost for system-browser apps).
  acceptsVscodeSchemeRedirect: false,
  defaultApiPath: '/me',
  tenant: {
    defaultTenant: 'common',
    prompt: 'Entra tenant: common, organizations, consumers, your tenant ID or domain',
    placeholder: 'common',
  },
  // A refresh token comes for offline_access without prompt=consent (the source cited at `scopes` above).
  offlineAccessWithoutConsent: true,
};

const GOOGLE: ProviderPreset = {
  ...LOOPBACK_PKCE,
  id: 'google',
  label: 'Google',
  description: 'Google APIs and Sign-In (desktop-app client); refresh tokens need access_type=offline.',
  // Google's OpenID discovery document (https://accounts.google.com/.well-known/openid-configuration).
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  apiBaseUrl: 'https://openidconnect.googleapis.com',
  issuer: 'https://accounts.google.com',
  // Google's refresh tokens come from access_type=offline, not from an offline_access scope.
  scopes: ['openid', 'email', 'profile'],
  // Google's token requests carry client_id and client_secret in the body, desktop clients included; a
  // desktop client's secret "is assumed not to be confidential" but is still sent
  // (https://developers.google.com/identity/protocols/oauth2/native-app, "Exchange authorization code").
  clientAuthMethod: 'client_secret_post',
  // Desktop apps use the loopback IP address flow, http://127.0.0.1:port with any free port, no port
  // registered (native-app, "Loopback IP address"; still supported for desktop apps:
  // https://developers.google.com/identity/protocols/oauth2/resources/loopback-migration).
  loopbackPort: 0,
  loopbackHost: '127.0.0.1',
  requiresExactLoopbackPort: false,
  // A custom scheme "must contain a period to be valid" (native-app, "Custom URI scheme"); vscode has none.
  acceptsVscodeSchemeRedirect: false,
  // access_type=offline makes Google return a refresh token "the first time that your application
  // exchanges an authorization code"; prompt=consent asks again, so later authorizations get one too
  // (https://developers.google.com/identity/protocols/oauth2/web-server#offline, and #creatingclient for
  // prompt). Extra parameters, so Configure App shows them and the user may drop them.
  extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
  defaultApiPath: '/v1/userinfo',
  refreshTokenRequirement: 'Google issues a refresh token only for access_type=offline, and to an app the user approved '
    + 'before only with prompt=consent: keep both in the extra authorization parameters (Configure App), or remove '
    + 'the app at https://myaccount.google.com/permissions, then authorize again.',
};

const GITHUB: ProviderPreset = {
  ...LOOPBACK_PKCE,
  id: 'github',
  label: 'GitHub',
  description: 'OAuth app or GitHub App; no OpenID. Refresh tokens only with expiring user tokens.',
  // github/docs content/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps.md ("Web application flow").
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  apiBaseUrl: 'https://api.github.com',
  // Scopes are space-delimited in the request (the same page, "scope"); no openid: GitHub is not an OpenID provider.
  scopes: ['read:user'],
  // The token request takes client_id and client_secret as parameters (the same page, step 2).
  clientAuthMethod: 'client_secret_post',
  // PKCE (S256 only) is supported and recommended since 2025-07-14
  // (https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication).
  // "The redirect_uri does not need to match the port specified in the callback URL" for loopback URLs,
  // and 127.0.0.1 rather than localhost (authorizing-oauth-apps.md, "Loopback redirect urls").
  loopbackPort: 0,
  loopbackHost: '127.0.0.1',
  requiresExactLoopbackPort: false,
  // The same page mentions apps with "a non-HTTP redirect URI" (the prompt parameter), so a registered
  // vscode:// callback URL is accepted.
  acceptsVscodeSchemeRedirect: true,
  defaultApiPath: '/user',
  // github/docs content/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens.md.
  refreshTokenRequirement: 'GitHub issues refresh tokens only to GitHub Apps with expiring user access tokens; '
    + 'an OAuth app\'s token does not expire.',
};

const OKTA: ProviderPreset = {
  ...DISCOVERED_PUBLIC_CLIENT,
  id: 'okta',
  label: 'Okta',
  description: 'An Okta authorization server, from its issuer.',
  // The authorization code flow returns a refresh token only when offline_access is asked at /authorize
  // and the app allows the Refresh Token grant (https://developer.okta.com/docs/guides/refresh-tokens/get-refresh-token/).
  scopes: ['openid', 'profile', 'offline_access'],
  // Paths of discovery presets are the userinfo endpoint relative to the issuer ({issuer}/v1/userinfo here).
  defaultApiPath: '/v1/userinfo',
  discovery: {
    issuerPrompt: 'Okta issuer (authorization server), e.g. https://{yourOktaDomain}/oauth2/default',
    issuerPlaceholder: 'https://dev-123456.okta.com/oauth2/default',
    issuerTemplate: 'https://{yourOktaDomain}/oauth2/default',
  },
  refreshTokenRequirement: 'Okta issues a refresh token only for offline_access, and only if the app\'s allowed grant types include Refresh Token.',
  // A refresh token comes for offline_access without prompt=consent (the source cited at `scopes` above).
  offlineAccessWithoutConsent: true,
};

const AUTH0: ProviderPreset = {
  ...DISCOVERED_PUBLIC_CLIENT,
  id: 'auth0',
  label: 'Auth0',
  description: 'An Auth0 tenant, from its issuer; an audience for API access tokens.',
  // offline_access brings a refresh token when the API allows offline access; a Native application's
  // secret is "only required for confidential applications"
  // (https://auth0.com/docs/secure/tokens/refresh-tokens/get-refresh-tokens).
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  defaultApiPath: '/userinfo',
  discovery: {
    issuerPrompt: 'Auth0 issuer, with the trailing slash, e.g. https://{tenant}.auth0.com/',
    issuerPlaceholder: 'https://dev-abc123.us.auth0.com/',
    // Auth0's issuer ends in "/" (its discovery document and every iss claim; spring-projects/spring-boot#15324).
    issuerTemplate: 'https://{tenant}.auth0.com/',
  },
  // Without an audience Auth0 issues an opaque access token good only for its /userinfo; with an API's
  // identifier as audience, a JWT for that API (https://auth0.com/docs/secure/tokens/access-tokens, access
  // token formats; community.auth0.com/t/why-is-my-access-token-not-a-jwt-opaque-token/31028).
  askedAuthorizationParams: [{
    name: 'audience',
    prompt: 'Auth0 API audience (optional): the API identifier; empty gives a token for /userinfo only',
    placeholder: 'https://api.example.com',
  }],
  refreshTokenRequirement: 'Auth0 issues a refresh token only for offline_access, and only if the API (audience) has Allow Offline Access on.',
  // A refresh token comes for offline_access without prompt=consent (the source cited at `scopes` above).
  offlineAccessWithoutConsent: true,
};

const KEYCLOAK: ProviderPreset = {
  ...DISCOVERED_PUBLIC_CLIENT,
  id: 'keycloak',
  label: 'Keycloak',
  description: 'A Keycloak realm, from its issuer.',
  // Keycloak sends a refresh token without offline_access; offline_access would turn it into an offline
  // token, which survives logout and the SSO session (Keycloak Server Administration Guide, "Offline
  // access"; forum.keycloak.org/t/refresh-token-and-offline-access-scope/25113). Left to the user.
  scopes: ['openid', 'profile'],
  defaultApiPath: '/protocol/openid-connect/userinfo',
  discovery: {
    issuerPrompt: 'Keycloak issuer (realm URL), e.g. https://{host}/realms/{realm}',
    issuerPlaceholder: 'https://keycloak.example.com/realms/myrealm',
    issuerTemplate: 'https://{host}/realms/{realm}',
  },
};

export const PRESETS: readonly ProviderPreset[] = [SKY, GENERIC, SANDBOX, ENTRA, GOOGLE, GITHUB, OKTA, AUTH0, KEYCLOAK];

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
  const merged: AppConfiguration = { ...configuration, ...definedOnly(overrides), preset: preset.id };
  // A tenant belongs to the preset that has one; the endpoints follow it unless the overrides name others.
  if (preset.tenant === undefined) {
    delete merged.tenant;
    return merged;
  }
  const tenant = merged.tenant ?? preset.tenant.defaultTenant;
  const endpoints = tenantEndpoints(preset, tenant);
  return {
    ...merged,
    tenant,
    authorizationEndpoint: overrides.authorizationEndpoint ?? endpoints.authorizationEndpoint,
    tokenEndpoint: overrides.tokenEndpoint ?? endpoints.tokenEndpoint,
  };
}

/** The configuration for another tenant: the tenant and both endpoints change together (Entra). */
export function withTenant(config: AppConfiguration, tenant: string): AppConfiguration {
  const preset = presetById(config.preset);
  if (preset.tenant === undefined) return config;
  const trimmed = tenant.trim();
  return { ...config, tenant: trimmed, ...tenantEndpoints(preset, trimmed) };
}

function tenantEndpoints(preset: ProviderPreset, tenant: string): Pick<AppConfiguration, 'authorizationEndpoint' | 'tokenEndpoint'> {
  // Encoded, so a mistyped tenant cannot change the path; tenantProblems names it before it is used.
  const fill = (template: string): string => template.replace(TENANT_SLOT, encodeURIComponent(tenant));
  return { authorizationEndpoint: fill(preset.authorizationEndpoint), tokenEndpoint: fill(preset.tokenEndpoint) };
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
  /** RFC 7009: Sign Out revokes the tokens there. Older sandboxes may not print it. */
  revocation_endpoint?: string;
  /** The keys its ID tokens are signed with (RFC 8414 §2), so they verify without a discovery request. */
  jwks_uri?: string;
}

/**
 * Overrides that point the sandbox preset at the running sandbox. Revocation endpoint and JWKS URL are
 * set only when the sandbox publishes them; Configure App drops earlier ones first (configure.ts), so a
 * sandbox restarted on another port never leaves the old ones behind.
 */
export function sandboxOverrides(info: unknown): Partial<AppConfiguration> {
  if (!isSandboxEndpoints(info)) {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: 'The sandbox information lacks issuer, authorization_endpoint or token_endpoint, or one of its URLs is not a non-empty string.',
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
  if (info.revocation_endpoint !== undefined) overrides.revocationEndpoint = info.revocation_endpoint;
  if (info.jwks_uri !== undefined) overrides.jwksUri = info.jwks_uri;
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
    problems.push(`A public client (client authentication "none") must use PKCE; set the app's "usePkce" in ${APPS_SETTING} to true.`);
  }
  if (config.subscriptionKeyHeader !== undefined && config.subscriptionKeyHeader !== '' && !HEADER_NAME.test(config.subscriptionKeyHeader)) {
    problems.push(`"${config.subscriptionKeyHeader}" is not a valid HTTP header name for the subscription key.`);
  }
  problems.push(...presetProblems(config, presetById(config.preset)));
  return problems;
}

/** The enumerated fields of an app (its entry in authCodeFlow.apps) and the values each may hold. */
const CHOICES: readonly { field: keyof AppConfiguration; allowed: readonly string[] }[] = [
  { field: 'preset', allowed: ['sky', 'generic', 'sandbox', 'entra', 'google', 'github', 'okta', 'auth0', 'keycloak'] },
  { field: 'clientAuthMethod', allowed: ['client_secret_basic', 'client_secret_post', 'none'] },
  { field: 'redirectMode', allowed: ['loopback', 'uriHandler'] },
  { field: 'loopbackHost', allowed: ['localhost', '127.0.0.1'] },
];

function choiceProblems(config: AppConfiguration): string[] {
  return CHOICES.filter(({ field, allowed }) => !allowed.includes(config[field] as string))
    .map(({ field, allowed }) =>
      `The app's "${field}" in ${APPS_SETTING} is ${JSON.stringify(config[field])}, which is not one of ${allowed.map((choice) => `"${choice}"`).join(', ')}; `
      + 'run Configure App or correct it in settings.json.');
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
  const optional = [fields.api_base_url, fields.subscription_key_header, fields.revocation_endpoint, fields.jwks_uri];
  return (
    required.every((field) => typeof field === 'string' && field !== '') &&
    optional.every((field) => field === undefined || (typeof field === 'string' && field !== ''))
  );
}

/** Spreading `{ issuer: undefined }` would erase a preset value; an override must say something to count. */
function definedOnly(overrides: Partial<AppConfiguration>): Partial<AppConfiguration> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<AppConfiguration>;
}
