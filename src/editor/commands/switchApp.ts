// "Auth Code Flow: Switch App": a quick pick of the apps with each one's token state; the choice becomes
// the active app that the commands, the status bar, the walkthrough and the snippets act on. Run from an
// Apps view item, it makes that item's app active without asking.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppRegistry } from '../apps/appRegistry';
import { readTokenSet, stateOf } from '../apps/appStates';
import type { AppTokens } from '../apps/appTokens';
import { appClientIdText, appDisplayName, appProviderLabel } from '../apps/appTreeItem';

export interface SwitchAppDependencies {
  registry: Pick<AppRegistry, 'list' | 'active' | 'byId' | 'setActive'>;
  tokens: Pick<AppTokens, 'tokenSet'>;
  refreshFailed(appId: string): boolean;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
}

type AppPick = vscode.QuickPickItem & { appId?: string; addApp?: true };

/** `target`: an app id (from an Apps view item, see apps/itemTarget.ts); anything else asks. */
export async function switchApp(deps: SwitchAppDependencies, target?: unknown): Promise<void> {
  const { registry, log } = deps;
  const targeted = typeof target === 'string' ? registry.byId(target) : undefined;
  if (targeted) {
    await activate(deps, targeted);
    return;
  }
  if (registry.list().length === 0) {
    const choice = await vscode.window.showInformationMessage('There is no app to switch to yet. Configure App adds one.', 'Configure App');
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
    return;
  }
  const picked = await vscode.window.showQuickPick(pickItems(deps), {
    title: 'Switch App',
    placeHolder: 'The app that Authorize, Call the API, Show Tokens, Refresh, the status bar and snippets act on',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  if (picked.addApp) {
    await vscode.commands.executeCommand('authCodeFlow.configure');
    return;
  }
  const chosen = picked.appId === undefined ? undefined : registry.byId(picked.appId);
  if (!chosen) {
    log.warn('Switch App: the chosen app was removed while the list was open.');
    void vscode.window.showWarningMessage('That app was removed while the list was open (perhaps in another window).');
    return;
  }
  await activate(deps, chosen);
}

async function activate(deps: SwitchAppDependencies, app: NamedApp): Promise<void> {
  if (deps.registry.active()?.id === app.id) return;
  await deps.registry.setActive(app.id);
  deps.log.info(`Switch App: "${appDisplayName(app)}" is now the active app.`);
}

async function pickItems(deps: SwitchAppDependencies): Promise<AppPick[]> {
  const { registry, tokens, log } = deps;
  const apps = registry.list();
  const activeId = registry.active()?.id;
  const tokenSets = await Promise.all(apps.map((app) => readTokenSet(tokens, app, (message) => log.error(message))));
  const now = Date.now();
  const items: AppPick[] = apps.map((app, index) => {
    const state = stateOf(app, tokenSets[index], deps.refreshFailed(app.id), now);
    const active = app.id === activeId;
    const clientId = appClientIdText(app);
    return {
      appId: app.id,
      label: `${active ? '$(pass-filled)' : '$(circle-large-outline)'} ${appDisplayName(app)}`,
      description: active ? `active · ${state.text}` : state.text,
      detail: `${appProviderLabel(app)}${clientId ? ` · client ID ${clientId}` : ''} · ${state.hint}`,
    };
  });
  return [...items, { label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(add) Add an App…', addApp: true, description: 'Configure App' }];
}
