// "Auth Code Flow: Remove App": after a modal confirmation naming the app and what goes, removes it with
// every secret it owns (apps/appRemoval.ts); when it was the active app, the message says which app is
// active now.
import * as vscode from 'vscode';
import type { NamedApp } from '../../core/apps/namedApp';
import { removeAppEverywhere, type AppRemovalDependencies } from '../apps/appRemoval';
import { appDisplayName } from '../apps/appTreeItem';

const ACTION = 'Remove App';

export interface RemoveAppDependencies extends AppRemovalDependencies {
  log: Pick<vscode.LogOutputChannel, 'info' | 'error' | 'show'>;
}

type AppPick = vscode.QuickPickItem & { appId: string };

/** `target`: an app id (from an Apps view item, see apps/itemTarget.ts); anything else asks which. */
export async function removeApp(deps: RemoveAppDependencies, target?: unknown): Promise<void> {
  const { registry, log } = deps;
  const targeted = typeof target === 'string' ? registry.byId(target) : undefined;
  const app = targeted ?? await chooseApp(registry);
  if (!app) return;
  const name = appDisplayName(app);
  const answer = await vscode.window.showWarningMessage(`Remove the app “${name}”?`, {
    modal: true,
    detail: 'This deletes its settings (provider, endpoints, client ID, scopes) and, from this machine\'s secret storage, '
      + 'its application secret, subscription key and tokens. The tokens are not revoked at the provider, and the app\'s '
      + 'registration there stays. This cannot be undone.',
  }, ACTION);
  if (answer !== ACTION) return;

  const outcome = await removeAppEverywhere(deps, app);
  if (outcome.kind !== 'removed') {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const what = outcome.kind === 'secretsKept'
      ? `the secrets of “${name}” could not be deleted (${message}). The app was kept; run Remove App again once secret storage is available.`
      : `the secrets of “${name}” were deleted, but its settings could not be removed (${message}). Run Remove App again.`;
    log.error(`${ACTION}: ${what}`);
    const choice = await vscode.window.showErrorMessage(`${ACTION} failed: ${what}`, 'Show Log');
    if (choice === 'Show Log') log.show(true);
    return;
  }
  log.info(`${ACTION}: removed "${name}" with its settings, application secret, subscription key and tokens.`);
  if (outcome.successor) {
    const next = appDisplayName(outcome.successor);
    log.info(`${ACTION}: "${next}" is now the active app.`);
    void vscode.window.showInformationMessage(`Removed “${name}”. “${next}” is now the active app.`);
  } else if (outcome.appsLeft === 0) {
    const choice = await vscode.window.showInformationMessage(`Removed “${name}”. No app is left; Configure App adds one.`, 'Configure App');
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
  } else {
    void vscode.window.showInformationMessage(`Removed “${name}”.`);
  }
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
