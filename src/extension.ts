// The startup shell (dist/extension.js). Activation registers the commands, the URI handler and the
// status bar, moves single-app settings to the first named app once (apps/legacyMigration.ts), and reads
// one secret (the active app's token set) for the status bar. Everything the commands do lives
// in dist/commands.js, loaded on the first command, callback or refresh (see esbuild.mjs).
import * as vscode from 'vscode';
import { appTokensFrom } from './editor/apps/appTokens';
import { registerAppsView } from './editor/apps/appsView';
import { migrateLegacyApp, type MigrationHost } from './editor/apps/legacyMigration';
import { RefreshFailures } from './editor/apps/refreshFailures';
import { SettingsAppRegistry } from './editor/apps/settingsAppRegistry';
import { COMMAND_IDS, type AppsShell, type CommandShell, type LoadedCommands } from './editor/commandShell';
import { EXTENSION_ID, OUTPUT_CHANNEL_NAME, WALKTHROUGH_ID } from './editor/extensionIdentity';
import { SecretStore } from './editor/secretStore';
import { SETTINGS_SECTION } from './editor/settings';
import { AppAuthenticationProvider } from './editor/sessions/appAuthenticationProvider';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from './editor/sessions/sessionSource';
import { TokenStatusBar } from './editor/status/tokenStatusBar';
import { validateConfiguration } from './core/providers/presets';

const WALKTHROUGH_SHOWN_KEY = 'walkthroughShown';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const secrets = new SecretStore(context.secrets);
  const apps = new SettingsAppRegistry(log);
  // Settings and globalState only, unless single-app settings are still there; never fails activation.
  const migrated = migrateLegacyApp(migrationHost(context, log)).then(() => undefined, (error: unknown) => {
    log.error(`The single-app settings could not be moved to a named app yet (tried again next time): ${error instanceof Error ? error.message : String(error)}`);
  });
  let loaded: Promise<LoadedCommands> | undefined;
  const commands = (): Promise<LoadedCommands> => {
    // After the migration: a command run at startup acts on the migrated app, not on none.
    loaded ??= migrated.then(() => import('./commands')).then((module) => {
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
  const statusBar = new TokenStatusBar(secrets, apps, log, async (appId) => (await commands()).refresh({ interactive: false, appId }));
  const appsUi: AppsShell = { registry: apps, tokens: appTokensFrom(secrets), refreshFailures: new RefreshFailures() };
  const appsView = registerAppsView({ ...appsUi, log });
  const shell: CommandShell = {
    context, log, secrets, apps, appsUi,
    stateChanged: (note) => {
      appsView.noteStateChanged(note);
      return statusBar.update(note);
    },
  };
  // Each configured app is an account other extensions and the Accounts menu can use; commands.js loads only
  // when a session is refreshed, created or removed.
  const sessions = new AppAuthenticationProvider({
    store: {
      apps: () => apps.list().filter((app) => validateConfiguration(app.configuration).length === 0),
      tokenSet: async (appId) => {
        const app = apps.byId(appId);
        return app ? secrets.forApp(app.id).tokenSet(app.configuration) : undefined;
      },
      changes: [secrets.onDidChangeTokens, apps.onDidChange],
    },
    actions: async () => (await commands()).sessions,
    log,
  });

  context.subscriptions.push(
    log,
    secrets,
    apps,
    statusBar,
    appsView,
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
  void migrated.then(() => statusBar.update());
  // Once per installation, and only where the user lets VS Code open walkthroughs on install.
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  if (openOnInstall && !context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) {
    void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    void openWalkthrough();
  }
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version as string}.`);
}

function migrationHost(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): MigrationHost {
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    // The single-app settings are no longer declared in package.json; inspect still reads them, and VS Code
    // lets an undeclared key be removed (only writing a value needs a declared one: microsoft/vscode
    // src/vs/workbench/services/configuration/common/configurationEditing.ts, resolveAndValidate).
    userValue: (key) => settings().inspect<unknown>(key)?.globalValue,
    updateUserValue: (key, value) => settings().update(key, value, vscode.ConfigurationTarget.Global),
    secrets: context.secrets,
    globalState: context.globalState,
    log,
  };
}

function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH_ID}`, false);
}

// No deactivate(): everything is disposed through context.subscriptions.
