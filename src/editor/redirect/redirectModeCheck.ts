// The editor side of the redirect capability model (core/redirect): reads where the editor and this
// extension run, then lets Configure App offer only the modes that can work and Authorize App refuse a
// mode that cannot, before the browser opens, instead of waiting into the authorization timeout.
import * as vscode from 'vscode';
import type { AppConfiguration, RedirectMode } from '../../core/providers/appConfiguration';
import type { ProviderPreset } from '../../core/providers/presets';
import { redirectEnvironmentOf, type RedirectEnvironment } from '../../core/redirect/redirectEnvironment';
import { redirectModeOf, redirectModesFor, whatToChange, type RedirectModeVerdict } from '../../core/redirect/redirectModes';
import { forwardedRedirectProblem, registeredLoopbackRedirectUri } from '../../core/redirect/forwardedRedirect';
import { CALLBACK_PATH } from '../extensionIdentity';
import { describeRedirectUri } from './redirectReceiver';
import { uriHandlerRedirectUri } from './uriHandlerRedirect';

/** The environment as plain data: vscode.env's remoteName, uiKind and appHost, and this extension's kind. */
export async function currentRedirectEnvironment(extension: vscode.Extension<unknown>): Promise<RedirectEnvironment> {
  const uiKind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  return redirectEnvironmentOf({
    remoteName: vscode.env.remoteName,
    uiKind,
    extensionKind: extension.extensionKind === vscode.ExtensionKind.Workspace ? 'workspace' : 'ui',
    // `navigator` exists in Node 21+ too, so ask for Node itself (github-authentication tests `navigator`).
    runsOnNode: typeof process === 'object' && typeof process.versions?.node === 'string',
    appHost: vscode.env.appHost,
    ...(uiKind === 'web' ? await webEditorOrigin() : {}),
  });
}

/**
 * Where the browser loads the web editor from: the URI handler's external URI is the editor's own callback
 * page, so its origin is the editor's as the browser sees it (the extension host cannot see the page's
 * location otherwise). Absent when the editor gives no http(s) URI.
 */
async function webEditorOrigin(): Promise<{ webEditorOrigin?: string }> {
  try {
    const url = new URL(await uriHandlerRedirectUri());
    return url.protocol === 'http:' || url.protocol === 'https:' ? { webEditorOrigin: url.origin } : {};
  } catch {
    return {};
  }
}

/** The configured mode's verdict here, with everything whatToChange needs. */
async function configuredModeHere(extension: vscode.Extension<unknown>, config: AppConfiguration, preset: ProviderPreset) {
  const environment = await currentRedirectEnvironment(extension);
  const verdicts = redirectModesFor(environment, preset);
  const mode = redirectModeOf(config);
  return { environment, verdicts, mode, verdict: verdicts.find((candidate) => candidate.mode === mode)! };
}

/** What Authorize App needs from the check: the receiver forwards the loopback port when `forwarding` is set. */
export interface RedirectPlan {
  forwarding?: { anyLoopbackPort: boolean };
}

/**
 * Authorize App's check before anything listens or opens: the plan when the configured mode can work here.
 * Otherwise says why and what to change, and returns undefined. A mode that works only on a condition the
 * extension cannot see (a web editor's callback URI at a lenient provider) goes ahead, with the condition
 * logged. A forwarded loopback with a fixed port is compared with the registered redirect URI now, before
 * anything listens; with any port, once the port is known (redirectReceiver.ts).
 */
export async function redirectModeWorksHere(
  extension: vscode.Extension<unknown>, config: AppConfiguration, preset: ProviderPreset, log: vscode.LogOutputChannel,
): Promise<RedirectPlan | undefined> {
  const { environment, verdicts, mode, verdict } = await configuredModeHere(extension, config, preset);
  if (verdict.usable && verdict.forwarded) {
    const forwarding = { anyLoopbackPort: mode === 'loopbackAnyPort' };
    if (mode === 'loopbackAnyPort') return { forwarding };
    const sent = await describeRedirectUri(config, { forwarded: true });
    const problem = forwardedRedirectProblem(sent, registeredLoopbackRedirectUri(config, CALLBACK_PATH), forwarding);
    if (!problem) {
      log.info(`${verdict.label} in ${environment.description}: the browser is sent to the forwarded ${sent}, the registered redirect URI.`);
      return { forwarding };
    }
    log.warn(`Authorize App did not start: ${problem}`);
    const copy = 'Copy Forwarded URI';
    const choice = await vscode.window.showWarningMessage(`Authorize App did not open the browser: ${problem}`, copy, 'Configure App');
    if (choice === copy) await vscode.env.clipboard.writeText(sent);
    if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
    return undefined;
  }
  if (verdict.usable) {
    log.info(`${verdict.label} in ${environment.description}: ${verdict.explanation}`);
    return {};
  }
  const change = whatToChange(environment, verdicts, mode);
  log.warn(`Authorize App did not start: ${verdict.label} cannot work in ${environment.description}. ${verdict.explanation} ${change}`);
  const buttons = verdicts.some((candidate) => candidate.usable) ? ['Configure App'] : [];
  if (environment.extensionHost === 'remote' && environment.ui === 'desktop') buttons.push('Open remote.extensionKind');
  const choice = await vscode.window.showWarningMessage(
    `Authorize App did not open the browser: the ${verdict.label.toLowerCase()} cannot work here. ${verdict.explanation} ${change}`, ...buttons);
  if (choice === 'Configure App') await vscode.commands.executeCommand('authCodeFlow.configure');
  if (choice === 'Open remote.extensionKind') await vscode.commands.executeCommand('workbench.action.openSettings', 'remote.extensionKind');
  return undefined;
}

type RedirectItem = vscode.QuickPickItem & { mode: RedirectMode; verdict: RedirectModeVerdict };

/**
 * Configure App's redirect step: both modes, the ones that cannot work here marked and explained. Picking
 * one of those asks whether to keep it anyway (for another editor, e.g. desktop VS Code); otherwise the
 * pick opens again. Undefined when the user closed it.
 */
export async function pickRedirectModeHere(
  title: string, extension: vscode.Extension<unknown>, config: AppConfiguration, preset: ProviderPreset,
): Promise<RedirectMode | undefined> {
  const environment = await currentRedirectEnvironment(extension);
  const verdicts = redirectModesFor(environment, preset);
  const verdictOf = (mode: RedirectModeVerdict['mode']): RedirectModeVerdict => verdicts.find((verdict) => verdict.mode === mode)!;
  const fixedPort = verdictOf('loopbackFixedPort');
  const anyPort = verdictOf('loopbackAnyPort');
  const items: RedirectItem[] = [
    item('Loopback redirect', 'loopback', fixedPort, `A one-shot local server receives http://${config.loopbackHost}:PORT/callback (RFC 8252).`
      + (fixedPort.usable && !anyPort.usable ? ` Fixed port only: ${anyPort.explanation}` : '')),
    item('Editor URI handler', 'uriHandler', verdictOf('uriHandler'),
      'The editor receives the redirect itself (vscode://… on desktop, a callback page on the web).'),
  ];
  for (const candidate of items) if (candidate.mode === config.redirectMode) candidate.description = `current${candidate.description ? `, ${candidate.description}` : ''}`;
  const none = !verdicts.some((verdict) => verdict.usable);
  const placeHolder = none
    ? `No redirect mode can work where the editor runs now (${environment.description}). ${whatToChange(environment, verdicts, redirectModeOf(config))}`
    : `How should the browser return the authorization response? (The extension runs in ${environment.description}.)`;
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.verdict.usable) return picked.mode;
    const keep = 'Keep It Anyway';
    const answer = await vscode.window.showWarningMessage(`${picked.verdict.label} cannot work here.`,
      { modal: true, detail: `${picked.verdict.explanation} Keep it only for use from another editor.` }, keep);
    if (answer === keep) return picked.mode;
  }
}

function item(label: string, mode: RedirectMode, verdict: RedirectModeVerdict, what: string): RedirectItem {
  return verdict.usable
    ? { label, mode, verdict, detail: verdict.mode === 'uriHandler' ? `${what} ${verdict.explanation}` : what }
    : { label: `$(circle-slash) ${label}`, mode, verdict, description: 'cannot work here', detail: verdict.explanation };
}

/**
 * The redirect URI to register for the configured mode where the editor runs now (Show Redirect URI, the
 * end of Configure App), and what to add to it: that the mode cannot work here and what to change; for a
 * forwarded loopback port, that the browser is sent to the forwarded URI and whether the app has it
 * registered; for a web editor's callback page, which prefix the provider must accept, since the URI
 * shown will not be the same twice. `forwarded`: the URI shown is the forwarded one (Configure App records it).
 */
export async function redirectUriHere(
  extension: vscode.Extension<unknown> | undefined, config: AppConfiguration, preset: ProviderPreset,
): Promise<{ redirectUri: string; note: string; forwarded: boolean }> {
  if (!extension) return { redirectUri: await describeRedirectUri(config), note: '', forwarded: false };
  const { environment, verdicts, mode, verdict } = await configuredModeHere(extension, config, preset);
  const forwarded = verdict.usable && verdict.forwarded === true && mode === 'loopbackFixedPort';
  const redirectUri = await describeRedirectUri(config, { forwarded });
  if (!verdict.usable) return { redirectUri, note: ` It cannot work where the editor runs now: ${verdict.explanation} ${whatToChange(environment, verdicts, mode)}`, forwarded };
  if (verdict.forwarded) return { redirectUri, note: ` ${verdict.explanation}`, forwarded };
  return { redirectUri, note: mode === 'uriHandler' && environment.ui === 'web' ? ` ${verdict.explanation}` : '', forwarded };
}
