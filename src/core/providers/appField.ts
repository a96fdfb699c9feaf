/**
 * How user-visible text names one value of one app. Since named apps (issue 11) the per-app values are
 * fields of an entry in the `authCodeFlow.apps` setting, not settings of their own: a message that says
 * what to fix names the field and the app, never a setting id that no longer exists.
 */
import type { AppConfiguration } from './appConfiguration';

/** The machine-scoped setting that holds the apps (package.json). */
export const APPS_SETTING = 'authCodeFlow.apps';

/**
 * `"clientId" of the app "Staging" in authCodeFlow.apps`, or without a name
 * `the app's "clientId" in authCodeFlow.apps`; quoted as settings.json spells the field.
 */
export function appFieldName(field: keyof AppConfiguration, appName?: string): string {
  return appName === undefined || appName === ''
    ? `the app's "${field}" in ${APPS_SETTING}`
    : `the "${field}" of the app "${appName}" in ${APPS_SETTING}`;
}
