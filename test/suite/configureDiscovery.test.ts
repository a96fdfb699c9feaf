// Configure App's discovery path, run as the user runs it (the real command in the real extension) with
// the editor's prompts answered by the test: the issuer URL first, the provider's metadata read, what was
// found and chosen shown in a modal, then the client ID and the rest; and a document naming another issuer
// refused with the fix, falling back to the manual endpoints.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readActiveApp } from '../../src/editor/settings';
import { clearApps } from './appSettings';
import { startSandbox, type Sandbox } from '../support/sandbox';

const EXTENSION_ID = 'authcodeflow.auth-code-flow';

type Answer = (prompt: string, options: unknown, items?: readonly unknown[]) => unknown;

interface Script {
  /** Answers for each prompt, matched by a substring of its prompt, placeholder or message, used in order. */
  answers: [match: string, answer: Answer][];
  /** Every prompt shown, in order, with the modal's detail for messages. */
  seen: string[];
}

/** Replaces the editor's prompts with the script for the length of `action`; an unexpected prompt is cancelled. */
async function withScriptedPrompts(script: Script, action: () => Thenable<unknown>): Promise<unknown> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const names = ['showQuickPick', 'showInputBox', 'showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;
  const originals = Object.fromEntries(names.map((name) => [name, window[name]]));
  const answer = (text: string, options: unknown, items?: readonly unknown[]): unknown => {
    script.seen.push(text);
    const index = script.answers.findIndex(([match]) => text.includes(match));
    if (index === -1) return undefined;
    const [[, respond]] = script.answers.splice(index, 1) as [[string, Answer]];
    return respond(text, options, items);
  };
  window.showQuickPick = async (items: Thenable<readonly vscode.QuickPickItem[]> | readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) =>
    answer(`pick: ${options?.placeHolder ?? ''}`, options, await items);
  window.showInputBox = async (options?: vscode.InputBoxOptions) => {
    const value = answer(`input: ${options?.prompt ?? ''}`, options);
    const problem = typeof value === 'string' ? await options?.validateInput?.(value) : undefined;
    assert.ok(problem === undefined || problem === null, `Configure App refused "${String(value)}": ${JSON.stringify(problem)}`);
    return value;
  };
  for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) {
    window[name] = async (message: string, ...rest: unknown[]) => {
      const options = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] as vscode.MessageOptions : undefined;
      return answer(`message: ${message}${options?.detail ? `\n${options.detail}` : ''}`, options, rest.filter((item) => typeof item === 'string'));
    };
  }
  try {
    return await action();
  } finally {
    Object.assign(window, originals);
  }
}

const pickLabel = (label: string): Answer => (_text, _options, items) =>
  (items as vscode.QuickPickItem[]).find((item) => item.label.startsWith(label)) ?? assert.fail(`no item "${label}"`);
const type = (value: string): Answer => () => value;
const keep: Answer = (_text, options) => (options as vscode.InputBoxOptions).value ?? '';
const button = (label: string): Answer => () => label;

describe('Configure App through discovery', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let mismatched: Sandbox;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    [sandbox, mismatched] = await Promise.all([startSandbox(), startSandbox({ discovery: 'issuer-mismatch' })]);
  });

  // Each test adds its app to an empty list, so Configure App asks for the first app's name.
  beforeEach(clearApps);

  after(async () => {
    await clearApps();
    await Promise.all([sandbox?.stop(), mismatched?.stop()]);
  });

  it('fills the app from the issuer URL and shows what it found and chose before asking for the client ID', async () => {
    const { info } = sandbox;
    const client = info.clients.basic;
    const script: Script = {
      seen: [],
      answers: [
        ['input: A name for your app', type('Discovered sandbox')],
        ['pick: Which provider', pickLabel('Any OAuth 2.0 / OpenID provider')],
        ['input: Issuer URL', type(info.issuer)],
        ['pick: Does the application have a client secret?', pickLabel('Yes')],
        ['message: Discovered', button('Continue')],
        ['input: API base URL', type(info.api_base_url)],
        ['input: Application (client) ID', type(client.client_id)],
        ['input: Application secret', type(client.client_secret)],
        ['pick: How should the browser return', pickLabel('Loopback redirect')],
        ['input: Loopback port', type('0')],
        ['input: Scopes', keep],
        ['message: Saved.', () => undefined],
      ],
    };
    // Commands resolve to nothing (see commandResults.test.ts): "Saved." is how the user learns it.
    await withScriptedPrompts(script, () => vscode.commands.executeCommand('authCodeFlow.configure'));
    assert.ok(script.seen.some((text) => text.startsWith('message: Saved.')), script.seen.join('\n---\n'));
    assert.deepEqual(script.answers.map(([match]) => match), [], 'every expected prompt was shown');

    const summary = script.seen.find((text) => text.startsWith('message: Discovered')) ?? '';
    assert.ok(summary.includes(`Found the OpenID Connect metadata at ${info.issuer}/.well-known/openid-configuration.`), summary);
    assert.match(summary, /Chose client authentication client_secret_basic, because the app has a secret/);
    assert.match(summary, /Chose to require iss in every authorization response/);
    assert.match(summary, /Found PKCE S256 support/);
    assert.ok(!summary.includes(client.client_secret), 'no secret in the summary');

    const app = readActiveApp();
    assert.equal(app?.name, 'Discovered sandbox');
    const config = app?.configuration;
    assert.equal(config?.preset, 'generic');
    assert.equal(config?.issuer, info.issuer);
    assert.equal(config?.authorizationEndpoint, info.authorization_endpoint);
    assert.equal(config?.tokenEndpoint, info.token_endpoint);
    assert.equal(config?.clientAuthMethod, 'client_secret_basic');
    assert.deepEqual(config?.scopes, ['openid', 'offline_access']);
    assert.equal(config?.clientId, client.client_id);
    assert.equal(config?.jwksUri, info.jwks_uri);
    assert.equal(config?.requireIssuerParameter, true);
  });

  it('refuses a document naming another issuer, says both and the fix, and falls back to the manual endpoints', async () => {
    const { info } = mismatched;
    const script: Script = {
      seen: [],
      answers: [
        ['input: A name for your app', type('Mismatched sandbox')],
        ['pick: Which provider', pickLabel('Any OAuth 2.0 / OpenID provider')],
        ['input: Issuer URL', type(info.issuer)],
        ['message: The provider\'s metadata could not be used.', button('Enter Endpoints Manually')],
        ['input: Authorization endpoint', type(info.authorization_endpoint)],
        ['input: Token endpoint', type(info.token_endpoint)],
        ['pick: How does the app authenticate', pickLabel('None')],
        ['input: API base URL', type('')],
        ['input: Application (client) ID', type(info.clients.public.client_id)],
        ['pick: How should the browser return', pickLabel('Loopback redirect')],
        ['input: Loopback port', type('0')],
        ['input: Scopes', type('api')],
        ['message: Saved.', () => undefined],
      ],
    };
    // Commands resolve to nothing (see commandResults.test.ts): "Saved." is how the user learns it.
    await withScriptedPrompts(script, () => vscode.commands.executeCommand('authCodeFlow.configure'));
    assert.ok(script.seen.some((text) => text.startsWith('message: Saved.')), script.seen.join('\n---\n'));
    const refusal = script.seen.find((text) => text.startsWith('message: The provider\'s metadata could not be used.')) ?? '';
    assert.ok(refusal.includes(`names the issuer "${info.issuer}/other-tenant"`), refusal);
    assert.ok(refusal.includes(`asked for is "${info.issuer}"`), refusal);
    assert.match(refusal, /enter exactly that as the issuer/);
    const config = readActiveApp()?.configuration;
    assert.equal(config?.authorizationEndpoint, info.authorization_endpoint);
    assert.equal(config?.clientAuthMethod, 'none');
    assert.equal(config?.issuer, undefined, 'the refused issuer is not kept');
  });
});
