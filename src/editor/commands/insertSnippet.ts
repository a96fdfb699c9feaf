// "Auth Code Flow: Insert Code Snippet…": one step of the flow (or all of them) as code for the user's own
// application, in the language of the editor they are typing in. The generators live in the core
// (src/core/snippets) and never see a secret; this file only asks what to insert and inserts it.
import * as vscode from 'vscode';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import { isSnippetKind, SNIPPET_KINDS, type SnippetKind, type SnippetLanguage } from '../../core/snippets/snippetGenerator';
import { appFieldName, APPS_SETTING } from '../../core/providers/appField';
import { emptyConfiguration } from '../../core/apps/appList';
import type { InvalidValue } from '../../core/snippets/snippetReadiness';
import { effectiveConfiguration } from '../basicEncodingMemory';
import { CONTEXT_KEYS, setContextKey } from '../contextKeys';
import { CALLBACK_PATH } from '../extensionIdentity';
import { lastApiPathFor } from '../lastApiPath';
import type { ExtensionServices } from '../services';

const TITLE = 'Insert Code Snippet';
const CONFIGURE = 'Configure App';
const OPEN_SETTINGS = 'Open Settings';
/** globalState key prefix: the variant last inserted per language is offered first next time. */
const LAST_VARIANT_KEY = 'authCodeFlow.snippetVariant.';

interface SnippetChoice {
  kind: SnippetKind;
  language: SnippetLanguage;
  variant?: string;
}

type KindItem = vscode.QuickPickItem & { choice?: SnippetKind | 'anotherLanguage' };
type SnippetGenerators = typeof import('../../snippets');

/**
 * Asks what to insert and inserts it at the cursor, replacing the selections; without a writable text
 * editor, into a new untitled document in the chosen language. `args[0]` may name a kind (e.g.
 * 'tokenExchange', for walkthrough links); the editor context menu passes the document's URI there,
 * which is ignored. Returns whether a snippet was inserted; Escape at any question inserts nothing.
 */
export async function insertSnippet(services: ExtensionServices, ...args: unknown[]): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  // A separate bundle, loaded here on first use (esbuild.mjs); later calls get the loaded module.
  const generators: SnippetGenerators = await import('../../snippets');
  // Snippets send what the extension sends, the Basic encoding learned for this app included, and repeat
  // the API call the user last made with Call the API rather than the bare base URL.
  const app = services.pinApp();
  const config = app ? effectiveConfiguration(services, app) : emptyConfiguration();
  const apiPath = app && lastApiPathFor(services, app.id, config);
  // Decided before anything is asked or generated: an invalid value would be written into code the user runs.
  const readiness = generators.snippetReadiness(config);
  if (!readiness.ready) {
    void refuseInvalidConfiguration(readiness.invalid, app?.name);
    return false;
  }
  const choice = await chooseSnippet(services, generators, editor, isSnippetKind(args[0]) ? args[0] : undefined);
  if (choice === undefined) return false;

  const context = generators.snippetContextFor(config, CALLBACK_PATH, apiPath, app?.name);
  const text = choice.language.generate(choice.kind, context, choice.variant);
  const target = await insertInto(editor, text, choice.language);
  services.log.info(`Inserted the ${choice.kind} snippet (${describeLanguage(choice)}) into ${target}.`);
  // Completes walkthrough step 8, which asks for code in the user's own file, not for opening the picker.
  await setContextKey(vscode.commands, CONTEXT_KEYS.snippetInserted, true);
  void warnAboutConfiguration(config, readiness.missing);
  return true;
}

/**
 * The first invalid value, the app's field that holds it, and the ways to fix it; nothing was generated.
 * Configure App asks for the values again; Open Settings shows authCodeFlow.apps, whose "Edit in
 * settings.json" reaches the fields Configure App does not ask for (extra parameters, the JWKS URL…).
 */
async function refuseInvalidConfiguration(invalid: readonly InvalidValue[], appName: string | undefined): Promise<void> {
  const [first] = invalid;
  const more = moreValues(invalid.length, 'fixing');
  const where = first.field === undefined
    ? `the app${appName ? ` "${appName}"` : ''} in ${APPS_SETTING}`
    : appFieldName(first.field, appName);
  const choice = await vscode.window.showErrorMessage(
    `No snippet was inserted: ${first.problem} Run Configure App, or correct ${where} in settings.json, then insert the snippet again.${more}`,
    CONFIGURE,
    OPEN_SETTINGS,
  );
  if (choice === CONFIGURE) await vscode.commands.executeCommand('authCodeFlow.configure');
  else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', APPS_SETTING);
}

async function chooseSnippet(
  services: ExtensionServices,
  generators: SnippetGenerators,
  editor: vscode.TextEditor | undefined,
  requested: SnippetKind | undefined,
): Promise<SnippetChoice | undefined> {
  let language = editor === undefined ? undefined : generators.snippetLanguageFor(editor.document.languageId);
  let kind = requested;
  while (kind === undefined) {
    const picked = await pickKind(language);
    if (picked === undefined) return undefined;
    if (picked === 'anotherLanguage') {
      language = await pickLanguage(generators, language);
      if (language === undefined) return undefined;
    } else {
      kind = picked;
    }
  }
  language ??= await pickLanguage(generators, undefined);
  if (language === undefined) return undefined;
  const variant = await pickVariant(services, language);
  return variant === undefined ? undefined : { kind, language, variant: variant.id };
}

/** What to insert; with a known language, also the way to switch to another one. */
async function pickKind(language: SnippetLanguage | undefined): Promise<SnippetKind | 'anotherLanguage' | undefined> {
  const items: KindItem[] = SNIPPET_KINDS.map(({ id, label, detail }) => ({ label, detail, choice: id }));
  if (language !== undefined) {
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(globe) Another language…', description: `instead of ${language.label}`, choice: 'anotherLanguage' },
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: language === undefined ? TITLE : `${TITLE} (${language.label})`,
    placeHolder: 'Which step of the authorization code flow?',
    matchOnDetail: true,
    // Started from a walkthrough button, the walkthrough takes the focus back as the pick opens.
    ignoreFocusOut: true,
  });
  return picked?.choice;
}

async function pickLanguage(generators: SnippetGenerators, current: SnippetLanguage | undefined): Promise<SnippetLanguage | undefined> {
  const items = generators.SNIPPET_LANGUAGES.map((language) => ({
    label: language.label,
    description: language === current ? 'the current editor' : undefined,
    language,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Which language?', matchOnDescription: true, ignoreFocusOut: true });
  return picked?.language;
}

/**
 * The HTTP client for languages that offer several, last used first (`id` stays undefined for languages
 * with one); undefined when the user pressed Escape.
 */
async function pickVariant(services: ExtensionServices, language: SnippetLanguage): Promise<{ id?: string } | undefined> {
  if (language.variants === undefined || language.variants.length === 0) return {};
  const key = `${LAST_VARIANT_KEY}${language.id}`;
  const last = services.context.globalState.get<string>(key);
  const variants = [...language.variants].sort((a, b) => Number(b.id === last) - Number(a.id === last));
  const picked = await vscode.window.showQuickPick(
    variants.map((variant) => ({ label: variant.label, variant: variant.id })),
    { title: `${TITLE} (${language.label})`, placeHolder: 'Which HTTP client?', ignoreFocusOut: true },
  );
  if (picked === undefined) return undefined;
  await services.context.globalState.update(key, picked.variant);
  return { id: picked.variant };
}

/**
 * Inserts into the editor the command started from, or, when there is none or it refuses the edit
 * (read-only), into a new untitled document, so that the chosen snippet is never lost. Returns where.
 */
async function insertInto(editor: vscode.TextEditor | undefined, text: string, language: SnippetLanguage): Promise<string> {
  if (editor !== undefined && !editor.document.isClosed) {
    const inserted = await editor.insertSnippet(new vscode.SnippetString(text)).then((done) => done, () => false);
    if (inserted) return vscode.workspace.asRelativePath(editor.document.uri);
  }
  const document = await vscode.workspace.openTextDocument({ language: language.id, content: '' });
  const untitled = await vscode.window.showTextDocument(document);
  if (!(await untitled.insertSnippet(new vscode.SnippetString(text)))) {
    throw new Error(`The editor refused the ${language.label} snippet.`);
  }
  return `a new untitled ${language.label} document`;
}

/**
 * An unconfigured app still gets its snippet, with tab stops that say what belongs in each value: a
 * person reading code to learn the flow should not be sent through a form first. One warning names
 * what is missing (`problems`, from snippetReadiness) and offers Configure App. Invalid values never
 * get here: they are refused before anything is asked.
 * Snippets run outside the editor, so with the URI handler redirect they listen on a loopback redirect
 * URI that the provider must accept too; that gets a note instead.
 */
async function warnAboutConfiguration(config: AppConfiguration, problems: readonly string[]): Promise<void> {
  if (problems.length > 0) {
    const more = moreValues(problems.length, 'attention');
    const choice = await vscode.window.showWarningMessage(
      `The app is not configured, so the snippet has placeholder values. ${problems[0]}${more} Run Configure App, then insert the snippet again.`,
      CONFIGURE,
    );
    if (choice === CONFIGURE) await vscode.commands.executeCommand('authCodeFlow.configure');
  } else if (config.redirectMode === 'uriHandler') {
    await vscode.window.showInformationMessage(
      'The snippet receives the redirect itself on a loopback redirect URI (its redirectUri value): register that URI at the provider too.',
    );
  }
}

/** " 2 more settings need attention too." after the first of `count` problems; empty for one. */
function moreValues(count: number, what: 'fixing' | 'attention'): string {
  return count <= 1 ? '' : ` ${count - 1} more ${count === 2 ? 'value needs' : 'values need'} ${what} too.`;
}

function describeLanguage({ language, variant }: SnippetChoice): string {
  return variant === undefined ? language.id : `${language.id}, ${variant}`;
}
