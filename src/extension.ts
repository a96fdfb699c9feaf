import * as vscode from 'vscode';
import { authorize } from './editor/commands/authorize';
import { configure } from './editor/commands/configure';
import { showRedirectUri } from './editor/commands/showRedirectUri';
import { signOut } from './editor/commands/signOut';
import { OUTPUT_CHANNEL_NAME } from './editor/extensionIdentity';
import { CallbackUriHandler } from './editor/redirect/uriHandler';
import { ExtensionServices } from './editor/services';
import { SETTINGS_SECTION } from './editor/settings';

// Activation must stay cheap (budget 10 ms): wiring only. The HTTP stack loads on the first request,
// and secrets are read when a command needs them.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const services = new ExtensionServices(context, log);
  context.subscriptions.push(
    log,
    services,
    vscode.window.registerUriHandler(new CallbackUriHandler(services.pending, log)),
    vscode.commands.registerCommand('authCodeFlow.configure', () => configure(services)),
    vscode.commands.registerCommand('authCodeFlow.authorize', () => authorize(services)),
    vscode.commands.registerCommand('authCodeFlow.signOut', () => signOut(services)),
    vscode.commands.registerCommand('authCodeFlow.showRedirectUri', () => showRedirectUri(log)),
    vscode.commands.registerCommand('authCodeFlow.showLog', () => log.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      services.onSettingsChanged();
      void services.updateContextKeys();
    }),
    // Another window authorizing or signing out changes the shared secret storage.
    services.secrets.onDidChangeTokens(() => void services.updateContextKeys()),
  );
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version as string}.`);
}

// No deactivate(): everything is disposed through context.subscriptions.
