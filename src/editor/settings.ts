// The non-secret half of the configuration, in VS Code settings under `authCodeFlow.*` so that users can
// read and edit it (and share it in a workspace). Secrets never come here: see secretStore.ts.
import * as vscode from 'vscode';
import { boundedNumber, TIMEOUT_SETTINGS } from '../core/settings/boundedNumber';
import type { AppConfiguration, ClientAuthMethod, LoopbackHost, PresetId, RedirectMode } from '../core/providers/appConfiguration';

export const SETTINGS_SECTION = 'authCodeFlow';

export function readConfiguration(): AppConfiguration {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const issuer = settings.get<string>('issuer', '').trim();
  const subscriptionKeyHeader = settings.get<string>('subscriptionKeyHeader', '').trim();
  const preset = settings.get<PresetId>('provider', 'sky');
  // SKY's environment_id means nothing to other providers, so it is not sent to them.
  const environmentId = preset === 'sky' ? settings.get<string>('skyEnvironmentId', '').trim() : '';
  // Entra's tenant names a path segment of its endpoints; other providers have none.
  const tenant = preset === 'entra' ? settings.get<string>('tenant', '').trim() : '';
  return {
    preset,
    authorizationEndpoint: settings.get<string>('authorizationEndpoint', '').trim(),
    tokenEndpoint: settings.get<string>('tokenEndpoint', '').trim(),
    apiBaseUrl: settings.get<string>('apiBaseUrl', '').trim(),
    ...(issuer ? { issuer } : {}),
    clientId: settings.get<string>('clientId', '').trim(),
    scopes: settings.get<string[]>('scopes', []).map((scope) => scope.trim()).filter(Boolean),
    clientAuthMethod: settings.get<ClientAuthMethod>('clientAuthentication', 'client_secret_basic'),
    usePkce: settings.get<boolean>('pkce', true),
    redirectMode: settings.get<RedirectMode>('redirectMode', 'loopback'),
    loopbackPort: settings.get<number>('loopbackPort', 5000),
    loopbackHost: settings.get<LoopbackHost>('loopbackHost', 'localhost'),
    ...(subscriptionKeyHeader ? { subscriptionKeyHeader } : {}),
    extraAuthorizationParams: settings.get<Record<string, string>>('extraAuthorizationParameters', {}),
    ...(environmentId ? { environmentId } : {}),
    ...(tenant ? { tenant } : {}),
  };
}

/** Writes every field at the user level (the app registration is personal, not per workspace). */
export async function writeConfiguration(config: AppConfiguration): Promise<void> {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const target = vscode.ConfigurationTarget.Global;
  const values: Record<string, unknown> = {
    provider: config.preset,
    authorizationEndpoint: config.authorizationEndpoint,
    tokenEndpoint: config.tokenEndpoint,
    apiBaseUrl: config.apiBaseUrl,
    issuer: config.issuer ?? '',
    clientId: config.clientId,
    scopes: config.scopes,
    clientAuthentication: config.clientAuthMethod,
    pkce: config.usePkce,
    redirectMode: config.redirectMode,
    loopbackPort: config.loopbackPort,
    loopbackHost: config.loopbackHost,
    subscriptionKeyHeader: config.subscriptionKeyHeader ?? '',
    extraAuthorizationParameters: config.extraAuthorizationParams,
    // Only a SKY configuration speaks for it; switching to another provider keeps the SKY value for later.
    ...(config.preset === 'sky' ? { skyEnvironmentId: config.environmentId ?? '' } : {}),
    ...(config.preset === 'entra' ? { tenant: config.tenant ?? '' } : {}),
  };
  for (const [key, value] of Object.entries(values)) {
    await settings.update(key, value, target);
  }
}

// Read as unknown: settings.json may hold any JSON value whatever package.json declares.
export function requestTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('requestTimeoutSeconds');
  return boundedNumber(seconds, TIMEOUT_SETTINGS.requestTimeoutSeconds) * 1000;
}

export function authorizationTimeoutMs(): number {
  const minutes = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('authorizationTimeoutMinutes');
  return boundedNumber(minutes, TIMEOUT_SETTINGS.authorizationTimeoutMinutes) * 60_000;
}

/** Refresh shortly before the access token expires while a window is focused. */
export function autoRefreshEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('autoRefresh', true);
}

/** The SKY environment ID setting as stored, also while another provider is configured. */
export function storedSkyEnvironmentId(): string {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('skyEnvironmentId', '').trim();
}

/** SKY API's preserve_refresh_token on refresh requests (ignored for providers without it). */
export function preserveRefreshTokenEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('preserveRefreshToken', false);
}

/** RFC 9207: refuse an authorization response without `iss` (opt-in; most providers do not send it yet). */
export function requireIssuerEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('requireIssuer') === true;
}
