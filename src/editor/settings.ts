// The non-secret half of the configuration, in VS Code settings under `authCodeFlow.*` so that users can
// read and edit it: the app list (`authCodeFlow.apps`, one entry per app), which app is active
// (`authCodeFlow.activeApp`), and the settings that hold for every app (timeouts, autoRefresh…). All are
// machine-scoped, so a workspace cannot redirect the flow. Secrets never come here: see secretStore.ts.
import * as vscode from 'vscode';
import { activeApp } from '../core/apps/activeApp';
import { emptyConfiguration, parseAppList, type ParsedAppList } from '../core/apps/appList';
import type { NamedApp } from '../core/apps/namedApp';
import { boundedNumber, TIMEOUT_SETTINGS } from '../core/settings/boundedNumber';
import type { AppConfiguration } from '../core/providers/appConfiguration';

export const SETTINGS_SECTION = 'authCodeFlow';
/** `authCodeFlow.apps` and `authCodeFlow.activeApp`, relative to the section. */
export const APPS_KEY = 'apps';
export const ACTIVE_APP_KEY = 'activeApp';

/** Every app in `authCodeFlow.apps`, and why any entry was skipped. */
export function readApps(): ParsedAppList {
  return parseAppList(vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(APPS_KEY));
}

/** The app the commands act on: the stored active one, else the first. */
export function readActiveApp(): NamedApp | undefined {
  return activeApp(readApps().apps, vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(ACTIVE_APP_KEY));
}

/**
 * The active app's configuration; with no app, the empty configuration the single-app settings defaulted
 * to (which validateConfiguration reports as not configured). Commands pin the app itself instead
 * (services.ts activeApp()), so a switch in the middle of a flow cannot change what they act on.
 */
export function readConfiguration(): AppConfiguration {
  return readActiveApp()?.configuration ?? emptyConfiguration();
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

/** SKY API's preserve_refresh_token on refresh requests (ignored for providers without it). */
export function preserveRefreshTokenEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('preserveRefreshToken', false);
}

/** RFC 9207: refuse an authorization response without `iss` (opt-in; most providers do not send it yet). */
export function requireIssuerEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('requireIssuer') === true;
}
