// Everything the commands do (dist/commands.js), loaded by the shell on first use. Each handler is a
// thin translation between VS Code and the core; see src/editor/commands.
import * as vscode from 'vscode';
import type { CommandId, CommandShell, LoadedCommands } from './editor/commandShell';
import { authorize } from './editor/commands/authorize';
import { callApi } from './editor/commands/callApi';
import { configure } from './editor/commands/configure';
import { insertSnippet } from './editor/commands/insertSnippet';
import { refresh } from './editor/commands/refresh';
import { runWithMyTokens } from './editor/commands/runWithMyTokens';
import { showRedirectUri } from './editor/commands/showRedirectUri';
import { copyAccessToken, showTokens, TOKENS_VIEW } from './editor/commands/showTokens';
import { showRequest } from './editor/commands/showRequest';
import { signOut } from './editor/commands/signOut';
import { CallbackUriHandler } from './editor/redirect/uriHandler';
import { ExtensionServices } from './editor/services';
import { SETTINGS_SECTION } from './editor/settings';
import { currentApp } from './editor/sessions/currentAppSessions';

export function loadCommands(shell: CommandShell): LoadedCommands {
  const services = new ExtensionServices(shell);
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
    'authCodeFlow.runWithMyTokens': (target) => runWithMyTokens(services, target),
  };
  // The authentication provider's actions. Today there is one app (editor/sessions/currentAppSessions.ts);
  // an id that is not it (the settings changed under the caller) is refused rather than acted on.
  const forCurrentApp = <T>(appId: string, act: () => Promise<T>): Promise<T> => {
    if (currentApp()?.id !== appId) return Promise.reject(new Error('That app is no longer configured. Run Configure App.'));
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
    run: (command, args) => handlers[command](...args),
    handleUri: (uri) => uriHandler.handleUri(uri),
    refresh: async (request) => {
      await refresh(services, request);
    },
    sessions: {
      // Not asked interactively: a consumer's getSessions is not the user asking for a refresh.
      refresh: (appId) => forCurrentApp(appId, () => refresh(services, { interactive: false })),
      authorize: (appId, scopes) => forCurrentApp(appId, () => authorize(services, { scopes })),
      signOut: (appId) => forCurrentApp(appId, () => signOut(services)),
    },
    dispose: () => {
      settingsWatch.dispose();
      tokensWatch.dispose();
      services.dispose();
    },
  };
}
