// What the Apps view shows for one app, as plain data (no runtime `vscode` import, so it is unit-tested):
// label, description, tooltip, icon and the contextValue that package.json's view/item/context menus match.
import type { AppState } from '../../core/apps/appState';
import type { NamedApp } from '../../core/apps/namedApp';
import { PRESETS } from '../../core/providers/presets';
import { sanitizeForDisplay } from '../../core/text/displayText';

/** package.json's `contributes.views` id of the Apps view. */
export const APPS_VIEW_ID = 'authCodeFlow.apps';

/**
 * The contextValue starts with this and carries one `;flag` per fact the menus need, e.g.
 * `authCodeFlow.app;active;configured;authorized;refreshable`. package.json matches a flag with
 * `viewItem =~ /;authorized(;|$)/`, so adding a flag never breaks an existing menu.
 */
export const APP_CONTEXT_VALUE = 'authCodeFlow.app';
export type AppContextFlag = 'active' | 'configured' | 'authorized' | 'refreshable';

/** Names are the user's, but settings.json can hold anything: one short inert line. */
const MAX_NAME_LENGTH = 80;

export interface AppTreeItemModel {
  /** The app's id: stable across renames, so the tree keeps selection and expansion. */
  id: string;
  label: string;
  description: string;
  tooltip: string[];
  contextValue: string;
  /** A codicon id. */
  icon: 'pass-filled' | 'circle-large-outline';
  /** A theme colour for the icon when the state needs attention. */
  iconColor?: 'list.warningForeground' | 'list.errorForeground';
  accessibilityLabel: string;
}

export function appDisplayName(app: NamedApp): string {
  return sanitizeForDisplay(String(app.name ?? ''), MAX_NAME_LENGTH) || '(unnamed app)';
}

/** The preset's label; settings.json may name a preset this version does not know. */
export function appProviderLabel(app: NamedApp): string {
  return PRESETS.find((preset) => preset.id === app.configuration.preset)?.label ?? 'Unknown provider';
}

/** The client ID as shown (public, but from settings.json: one inert line); empty when unset. */
export function appClientIdText(app: NamedApp): string {
  return sanitizeForDisplay(String(app.configuration.clientId ?? ''), MAX_NAME_LENGTH);
}

export function appTreeItemModel(app: NamedApp, state: AppState, active: boolean): AppTreeItemModel {
  const name = appDisplayName(app);
  const provider = appProviderLabel(app);
  const clientId = appClientIdText(app);
  const flags: AppContextFlag[] = [];
  if (active) flags.push('active');
  if (state.kind !== 'notConfigured') flags.push('configured');
  if (state.authorized) flags.push('authorized');
  if (state.refreshable) flags.push('refreshable');
  const iconColor = state.kind === 'expired' || state.kind === 'refreshFailed' ? 'list.errorForeground'
    : state.kind === 'expiring' ? 'list.warningForeground' : undefined;
  return {
    id: app.id,
    label: name,
    description: active ? `active · ${state.text}` : state.text,
    tooltip: [
      active ? `${name} (the active app)` : name,
      `Provider: ${provider}`,
      `Client ID: ${clientId || 'not set'}`,
      `State: ${state.text}. ${state.hint}`,
    ],
    contextValue: [APP_CONTEXT_VALUE, ...flags].join(';'),
    icon: active ? 'pass-filled' : 'circle-large-outline',
    ...(iconColor ? { iconColor } : {}),
    accessibilityLabel: `${name}${active ? ', active app' : ''}, ${state.text}`,
  };
}
