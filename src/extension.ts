// The startup shell (dist/extension.js). Activation registers the commands, the URI handler and the
// status bar, and reads one secret (the token set) for the status bar. Everything the commands do lives
// in dist/commands.js, loaded on the first command, callback or refresh (see esbuild.mjs).
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandShell, type LoadedCommands } from './editor/commandShell';
import { EXTENSION_ID, OUTPUT_CHANNEL_NAME, WALKTHROUGH_ID } from './editor/extensionIdentity';
import { SecretStore } from './editor/secretStore';
import { SETTINGS_SECTION } from './editor/settings';
import { AppAuthenticationProvider } from './editor/sessions/appAuthenticationProvider';
import { currentAppSessionStore } from './editor/sessions/currentAppSessions';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from './editor/sessions/sessionSource';
import { TokenStatusBar } from './editor/status/tokenStatusBar';

const WALKTHROUGH_SHOWN_KEY = 'walkthroughShown';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const secrets = new SecretStore(context.secrets);
  let loaded: Promise<LoadedCommands> | undefined;
  const commands = (): Promise<LoadedCommands> => {
    loaded ??= import('./commands').then((module) => {
      const instance = module.loadCommands(shell);
      context.subscriptions.push(instance);
      return instance;
    }, (error: unknown) => {
      // Not cached: the next command tries again instead of failing until the window reloads.
      loaded = undefined;
      log.error(`Could not load the commands: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    return loaded;
  };
  const statusBar = new TokenStatusBar(secrets, log, async () => (await commands()).refresh({ interactive: false }));
  const shell: CommandShell = { context, log, secrets, stateChanged: (note) => statusBar.update(note) };
  // Each app is an account other extensions and the Accounts menu can use; commands.js loads only when a
  // session is asked for, created or removed.
  const sessions = new AppAuthenticationProvider({ store: currentAppSessionStore(secrets), actions: async () => (await commands()).sessions, log });

  context.subscriptions.push(
    log,
    secrets,
    statusBar,
    sessions,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, sessions, { supportsMultipleAccounts: true }),
    vscode.window.registerUriHandler({
      handleUri: (uri) => void commands().then((loadedCommands) => loadedCommands.handleUri(uri), () => {
        void vscode.window.showErrorMessage('Authorization Code Flow could not handle the callback: its commands failed to load. See Show Log.');
      }),
    }),
    // The one place commands are registered, and none hands back a result: executeCommand is open to every
    // extension and to ${command:…} in tasks, and a handler's result (a refresh outcome) can hold tokens.
    ...COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<void> => {
      await (await commands()).run(id, args);
    })),
    vscode.commands.registerCommand('authCodeFlow.showLog', (): void => log.show()),
    vscode.commands.registerCommand('authCodeFlow.openWalkthrough', async (): Promise<void> => {
      await openWalkthrough();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) void statusBar.update();
    }),
  );
  void statusBar.update();
  // Once per installation, and only where the user lets VS Code open walkthroughs on install.
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  if (openOnInstall && !context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) {
    void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    void openWalkthrough();
  }
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version as string}.`);
}

function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH_ID}`, false);
}

// No deactivate(): everything is disposed through context.subscriptions.
