// "Auth Code Flow: Run with My Tokens": runs a file (a generated snippet, or any file the user picks) in a
// new integrated terminal whose environment alone holds the stored tokens and secrets, under the names the
// snippets read (core/run/runEnvironment.ts). Nothing is written to settings, files, the
// environmentVariableCollection or the terminal's persisted state: the values go into TerminalOptions.env
// of one transient terminal (never restored after a reload) and the command line holds only the path.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCommandFor, runnableLanguages } from '../../core/run/runCommand';
import { describeRunEnvironment, runEnvironment } from '../../core/run/runEnvironment';
import { shellCommandLine, shellKindOf } from '../../core/run/shellCommandLine';
import { sessionTokenPlan, sessionTokenUsable } from '../../core/sessions/appSession';
import type { TokenSet } from '../../core/tokens/tokenSet';
import { reportError } from '../errorReporting';
import { secretsMayBeSent } from '../secretConsent';
import type { ExtensionServices, PinnedApp } from '../services';
import { refresh } from './refresh';
import { storedTokensOrOfferAuthorize } from './showTokens';

const ACTION = 'Run with My Tokens';

export async function runWithMyTokens(services: ExtensionServices, target?: unknown): Promise<void> {
  const { log } = services;
  try {
    const document = await documentToRun(target);
    if (!document) return;
    const file = document.uri.fsPath;
    const command = runCommandFor(document.languageId, file, process.platform);
    if (!command) {
      void vscode.window.showWarningMessage(`${ACTION} runs ${runnableLanguages()} files; ${path.basename(file)} is ${document.languageId}. `
        + 'Pick a file in one of those languages, or insert a snippet for one with Insert Code Snippet.');
      return;
    }
    // Pinned now: the tokens, the secrets and the consent all belong to this one app.
    const app = services.pinApp();
    const tokenSet = await freshTokens(services, app);
    if (!app || !tokenSet) return;
    const config = app.configuration;
    // The program sends the app secret to the token endpoint and the access token and key to the API,
    // so the same check as Authorize App and Call the API applies before it gets them.
    if (!(await secretsMayBeSent(services, app, config, 'token', { mayAsk: true }))) return;
    if (!(await secretsMayBeSent(services, app, config, 'api', { mayAsk: true }))) return;
    const environment = runEnvironment(tokenSet, await app.secrets.appSecrets());
    const commandLine = shellCommandLine(command.argv, shellKindOf(vscode.env.shell));
    const passed = describeRunEnvironment(environment);
    const terminal = vscode.window.createTerminal({
      name: `${ACTION}: ${path.basename(file)}`,
      cwd: path.dirname(file),
      env: environment.env,
      // Not persisted or revived after a reload: the environment above must not outlive this terminal.
      isTransient: true,
      iconPath: new vscode.ThemeIcon('key'),
      message: `${ACTION}: ${passed}`,
    });
    terminal.show();
    terminal.sendText(commandLine, true);
    log.info(`${ACTION}: running ${file} with ${command.label} in a new terminal. ${passed}`);
    void vscode.window.showInformationMessage(`${ACTION}: running ${path.basename(file)} with ${command.label}. ${passed}`);
  } catch (error) {
    await reportError(ACTION, error, log);
  }
}

/** The file from the editor title or the explorer, else the active editor's, else one the user picks. */
async function documentToRun(target: unknown): Promise<vscode.TextDocument | undefined> {
  let uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme === 'authcodeflow-view') {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: ACTION, title: `${ACTION}: pick a file to run` });
    uri = picked?.[0];
    if (!uri) return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isUntitled || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(`${ACTION} runs a file saved on disk. Save ${path.basename(uri.path) || 'the file'} first, then run it again.`);
    return undefined;
  }
  // The terminal runs what is on disk, so unsaved edits are saved first (as Run Python File does).
  if (document.isDirty && !(await document.save())) {
    void vscode.window.showWarningMessage(`${ACTION}: ${path.basename(uri.fsPath)} could not be saved, so it was not run.`);
    return undefined;
  }
  return document;
}

/** The stored set, refreshed first when its access token is expired or about to be. */
async function freshTokens(services: ExtensionServices, app: PinnedApp | undefined): Promise<TokenSet | undefined> {
  const stored = await storedTokensOrOfferAuthorize(services, ACTION, app);
  if (!app) return undefined;
  if (!stored) return undefined;
  const plan = sessionTokenPlan(stored, Date.now());
  if (plan === 'use') return stored;
  if (plan === 'unusable') {
    const choice = await vscode.window.showWarningMessage(
      `${ACTION}: the access token has expired and no refresh token is stored. Run Authorize App for new tokens.`, 'Authorize App');
    if (choice === 'Authorize App') await vscode.commands.executeCommand('authCodeFlow.authorize');
    return undefined;
  }
  services.log.info(`${ACTION}: the access token is expired or about to be; refreshing it first.`);
  // refresh() reports a failure or the need to authorize again itself.
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${ACTION}: refreshing the access token…` },
    () => refresh(services, { interactive: false, appId: app.id }, { mayAsk: true }));
  if (outcome.kind === 'refreshed') return outcome.tokenSet;
  return sessionTokenUsable(stored, Date.now()) ? stored : undefined;
}
