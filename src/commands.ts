// Everything the commands do (dist/commands.js), loaded by the shell on first use. Each handler is a
// thin translation between VS Code and the core; see src/editor/commands.
import * as vscode from 'vscode';
import type { CommandId, CommandShell, LoadedCommands } from './editor/commandShell';
import { authorize, stopAuthorization } from './editor/commands/authorize';
import { callApi } from './editor/commands/callApi';
import { configure } from './editor/commands/configure';
import { insertSnippet } from './editor/commands/insertSnippet';
import { refresh } from './editor/commands/refresh';
import { removeApp } from './editor/commands/removeApp';
import { runWithMyTokens } from './editor/commands/runWithMyTokens';
import { showRedirectUri } from './editor/commands/showRedirectUri';
import { copyAccessToken, showTokens, TOKENS_VIEW } from './editor/commands/showTokens';
import { showRequest } from './editor/commands/showRequest';
import { signOut } from './editor/commands/signOut';
import { switchApp } from './editor/commands/switchApp';
import { itemTarget } from './editor/apps/itemTarget';
import { CallbackUriHandler } from './editor/redirect/uriHandler';
import { ExtensionServices } from './editor/services';
import { SETTINGS_SECTION } from './editor/settings';

export function loadCommands(shell: CommandShell): LoadedCommands {
  const services = new ExtensionServices(shell);
  const { appsUi } = shell;
  const uriHandler = new CallbackUriHandler(services.pending, shell.log, (callback) => { services.lastCallback = callback; });
  const handlers: Record<CommandId, (...args: unknown[]) => Promise<unknown>> = {
    'authCodeFlow.configure': () => configure(services),
    'authCodeFlow.authorize': () => authorize(services),
    'authCodeFlow.showTokens': () => showTokens(services, { reveal: false }),
    'authCodeFlow.revealTokens': () => showTokens(services, { reveal: true }),
    'authCodeFlow.copyAccessToken': () => copyAccessToken(services),
    'authCodeFlow.callApi': () => callApi(services),
    'authCodeFlow.refresh': () => refresh(services, { interactive: true }),
    'authCodeFlow.insertSnippet': (...args) => insertSnippet(services, ...args),
    'authCodeFlow.showRequest': (kind) => showRequest(services, kind),
    'authCodeFlow.signOut': () => signOut(services),
    'authCodeFlow.showRedirectUri': () => showRedirectUri(shell.log),
    'authCodeFlow.switchApp': (target) => switchApp({
      registry: appsUi.registry, tokens: appsUi.tokens, log: shell.log,
      refreshFailed: (appId) => appsUi.refreshFailures.has(appId),
    }, target),
    'authCodeFlow.runWithMyTokens': (target) => runWithMyTokens(services, target),
    'authCodeFlow.removeApp': (target) => removeApp({
      registry: appsUi.registry, tokens: appsUi.tokens, log: shell.log,
      stopAuthorization: async (appId) => {
        // The whole running flow (loopback server, token request), and any callback still expected for it.
        await stopAuthorization(appId);
        const stopped = services.pending.cancelForApp(appId, 'The app was removed.');
        if (stopped > 0) shell.log.info('Remove App: stopped the authorization that was waiting for this app.');
      },
      forget: (appId) => appsUi.refreshFailures.forget(appId),
    }, target),
  };
  /**
   * Run from an Apps view item, a command acts on that item's app (apps/itemTarget.ts): here, once, for
   * every command, so no handler needs to know about the view.
   */
  const run = async (command: CommandId, args: unknown[]): Promise<unknown> => {
    const target = await itemTarget(shell.apps, command, args);
    if (target.kind === 'refused') {
      shell.log.warn(target.log);
      if (target.message) void vscode.window.showWarningMessage(target.message);
      return undefined;
    }
    return handlers[command](...target.args);
  };
  /** The authentication provider acts on the app of the account it was asked about, never on another. */
  const forApp = <T>(appId: string, act: () => Promise<T>): Promise<T> => {
    if (!shell.apps.byId(appId)) return Promise.reject(new Error('That app is no longer configured. Run Configure App.'));
    return act();
  };
  const settingsWatch = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) services.onSettingsChanged();
  });
  // The tokens view shows one stored set (perhaps revealed); once that set changes it must not linger.
  const tokensWatch = shell.secrets.onDidChangeTokens(() => services.documents.replaceIfOpen(TOKENS_VIEW,
    '# Tokens\n\nThe stored tokens changed after this view was opened (a refresh, a sign-out or another window), '
    + 'so it no longer shows them. Run **Auth Code Flow: Show Tokens** again.\n'));
  shell.log.info('Loaded the commands.');
  return {
    run,
    handleUri: (uri) => uriHandler.handleUri(uri),
    refresh: async (request) => {
      await refresh(services, request);
    },
    sessions: {
      // Not asked interactively: a consumer's getSessions is not the user asking for a refresh.
      refresh: (appId) => forApp(appId, () => refresh(services, { interactive: false, appId })),
      authorize: (appId, scopes) => forApp(appId, () => authorize(services, { appId, scopes })),
      signOut: (appId) => forApp(appId, () => signOut(services, appId)),
    },
    dispose: () => {
      settingsWatch.dispose();
      tokensWatch.dispose();
      services.dispose();
    },
  };
}
