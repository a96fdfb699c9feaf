// "Auth Code Flow: Remove App": after a modal confirmation naming the app and what goes, stops an
// authorization still waiting for it, deletes every secret it owns, then its settings entry; when it was
// the active app, the next one becomes active and the message says which.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import { nextActiveApp } from '../../core/apps/nextActiveApp';
import type { AppRegistry } from '../apps/appRegistry';
import type { AppTokens } from '../apps/appTokens';
import { appDisplayName } from '../apps/appTreeItem';

const ACTION = 'Remove App';

export interface RemoveAppDependencies {
  registry: Pick<AppRegistry, 'list' | 'active' | 'byId' | 'setActive' | 'remove'>;
  tokens: Pick<AppTokens, 'deleteAll'>;
  /** Stops any authorization waiting for this app, so a late response stores nothing for it. */
  stopAuthorization(appId: string): void;
  /** The app is gone: forget what was noted about it (a failed refresh). */
  forget(appId: string): void;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'show'>;
}

type AppPick = vscode.QuickPickItem & { appId: string };

/** `target`: an app id (from an Apps view item, see apps/itemTarget.ts); anything else asks which. */
export async function removeApp(deps: RemoveAppDependencies, target?: unknown): Promise<void> {
  const { registry, log } = deps;
  const app = typeof target === 'string' && registry.byId(target) ? registry.byId(target) : await chooseApp(registry);
  if (!app) return;
  const name = appDisplayName(app);
  const confirm = 'Remove App';
  const answer = await vscode.window.showWarningMessage(`Remove the app “${name}”?`, {
    modal: true,
    detail: 'This deletes its settings (provider, endpoints, client ID, scopes) and, from this machine\'s secret storage, '
      + 'its application secret, subscription key and tokens. The tokens are not revoked at the provider, and the app\'s '
      + 'registration there stays. This cannot be undone.',
  }, confirm);
  if (answer !== confirm) return;

  const appsBefore = registry.list();
  const wasActive = registry.active()?.id === app.id;
  deps.stopAuthorization(app.id);
  // Secrets first: if deleting them fails (a locked keyring), the app stays listed and Remove App can be
  // run again, instead of leaving secrets behind that no command can reach any more.
  try {
    await deps.tokens.deleteAll(app.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`${ACTION}: could not delete the secrets of "${name}": ${message}`);
    const choice = await vscode.window.showErrorMessage(
      `${ACTION} failed: the secrets of “${name}” could not be deleted (${message}). The app was kept; run Remove App again once secret storage is available.`,
      'Show Log');
    if (choice === 'Show Log') log.show(true);
    return;
  }
  try {
    await registry.remove(app.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`${ACTION}: deleted the secrets of "${name}" but could not remove its settings: ${message}`);
    void vscode.window.showErrorMessage(
      `${ACTION}: the secrets of “${name}” were deleted, but its settings could not be removed (${message}). Run Remove App again.`);
    return;
  }
  deps.forget(app.id);
  log.info(`${ACTION}: removed "${name}" with its settings, application secret, subscription key and tokens.`);

  const successor = wasActive ? await activateSuccessor(registry, appsBefore, app.id) : undefined;
  if (wasActive && successor) {
    log.info(`${ACTION}: "${appDisplayName(successor)}" is now the active app.`);
    void vscode.window.showInformationMessage(`Removed “${name}”. “${appDisplayName(successor)}” is now the active app.`);
  } else if (registry.list().length === 0) {
    const choice = await vscode.window.showInformationMessage(`Removed “${name}”. No app is left; Configure App adds one.`, 'Configure App');
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
  } else {
    void vscode.window.showInformationMessage(`Removed “${name}”.`);
  }
}

/** The registry may already have chosen one; otherwise the next in the user's order (core/apps/nextActiveApp). */
async function activateSuccessor(registry: RemoveAppDependencies['registry'], appsBefore: readonly NamedApp[], removedId: string): Promise<NamedApp | undefined> {
  const current = registry.active();
  if (current && current.id !== removedId) return current;
  const next = nextActiveApp(appsBefore, removedId);
  const stillThere = next ? registry.byId(next.id) : undefined;
  if (!stillThere) return undefined;
  await registry.setActive(stillThere.id);
  return stillThere;
}

async function chooseApp(registry: RemoveAppDependencies['registry']): Promise<NamedApp | undefined> {
  const apps = registry.list();
  if (apps.length === 0) {
    void vscode.window.showInformationMessage('There is no app to remove.');
    return undefined;
  }
  const activeId = registry.active()?.id;
  const picked = await vscode.window.showQuickPick<AppPick>(apps.map((app) => ({
    appId: app.id, label: appDisplayName(app), ...(app.id === activeId ? { description: 'active' } : {}),
  })), { title: ACTION, placeHolder: 'The app to remove, with its settings and every secret it owns' });
  return picked ? registry.byId(picked.appId) : undefined;
}
