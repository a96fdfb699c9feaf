// Issue 10, finding 4, end to end: the URI handler must take a callback's parameters exactly as the provider
// sent them. The sandbox issues codes holding + % & = and / (--codes-with-reserved-characters), which travel
// provider redirect → Chromium → code-server's callback page → the workbench → the extension's URI handler →
// the token request; oidc-provider finds a code only under its exact string, so tokens prove the code arrived
// byte for byte. Then a callback sent from the browser whose error_description hides `&state=` must not
// yield a second state, whichever way round the genuine one is placed.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox, type SandboxEvent } from '../support/sandbox';
import { answerConfigureForSandbox } from '../harness/appFlows';
import { approve, signInIfAsked } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import {
  clearNotifications, confirmOpenExternal, notificationMessage, runCommand, waitForNotification,
} from '../harness/workbench';

/** The characters the finding names; every issued code must carry each of them. */
const RESERVED = ['+', '%', '&', '=', '/'];

interface StartedAuthorization {
  /** The browser tab Authorize App opened on the provider. */
  tab: Page;
  /** The state and redirect_uri of the authorization request, as the browser sent them to the provider. */
  state: string;
  redirectUri: string;
}

describe('URI handler callbacks with reserved characters, through Chromium and code-server', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let session: EditorSession;
  let prefix: string;

  before(async () => {
    // 127.0.0.2, not 127.0.0.1: code-server rewrites loopback URLs opened externally (see authorize.e2e).
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true, codesWithReservedCharacters: true });
    prefix = sandbox.info.authorization_code_prefix ?? '';
    assert.ok(RESERVED.every((character) => prefix.includes(character)), `the sandbox's code prefix ${JSON.stringify(prefix)}`);
    session = await startEditorSession('urihandler-callback', { env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer } });
    await clearNotifications(session.page);
    await runCommand(session.page, 'Auth Code Flow: Configure App');
    await answerConfigureForSandbox(session.page, 'Editor URI handler');
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  /** Runs Authorize App, opens the provider in a new tab and reads the request the browser sent there. */
  async function startAuthorization(): Promise<StartedAuthorization> {
    await clearNotifications(session.page);
    const authorizationRequest = session.context.waitForEvent('request', {
      predicate: (request) => request.url().startsWith(`${sandbox.info.authorization_endpoint}?`),
      timeout: 30_000,
    });
    await runCommand(session.page, 'Auth Code Flow: Authorize App');
    const tab = await confirmOpenExternal(session.page, session.context);
    const query = new URL((await authorizationRequest).url()).searchParams;
    const state = query.get('state');
    const redirectUri = query.get('redirect_uri');
    assert.ok(state && redirectUri, `the authorization request carries state and redirect_uri: ${query.toString()}`);
    assert.match(redirectUri, /\/callback\?vscode-reqid=/, 'code-server\'s callback page is the redirect URI');
    return { tab, state, redirectUri };
  }

  /** Opens, in the browser, the redirect URI with these parameters added, as a provider's redirect would. */
  async function sendCallback(tab: Page, redirectUri: string, parameters: [string, string][]): Promise<string> {
    const url = new URL(redirectUri);
    for (const [name, value] of parameters) url.searchParams.append(name, value);
    await tab.goto(url.href, { timeout: 30_000 });
    return url.href;
  }

  /** What the extension logs from now on (earlier tests' lines excluded). */
  function logFromNow(): () => string {
    const start = session.extensionLog().length;
    return () => session.extensionLog().slice(start);
  }

  function authorizationCodeGrants(events: SandboxEvent[]): SandboxEvent[] {
    return events.filter((event) => event.grant_type === 'authorization_code');
  }

  it('a code holding + % & = / arrives byte for byte: consent in the browser, code exchanged, tokens stored', async () => {
    const { tab } = await startAuthorization();
    await signInIfAsked(tab);
    await approve(tab);
    await tab.waitForURL(/\/callback\?/, { timeout: 30_000 });
    // What the browser received from the provider, before code-server and the extension handled it.
    const code = new URL(tab.url()).searchParams.get('code') ?? '';
    assert.ok(code.startsWith(prefix), `the provider redirected with a code starting ${JSON.stringify(code.slice(0, prefix.length))}`);
    assert.ok(RESERVED.every((character) => code.includes(character)));
    assert.ok((await sandbox.issued()).includes(code), 'the code in the browser is the one the sandbox issued');

    const outcome = await waitForNotification(session.page, /Authorized as|Authorize App failed/);
    const text = await notificationMessage(outcome);
    assert.match(text, /Authorized as .* The access token expires in .*a refresh token is stored/,
      `Authorize App did not succeed: ${text}\nsandbox log:\n${sandbox.diagnostics().slice(-2000)}`);
    await tab.close().catch(() => undefined);

    // oidc-provider looks codes up by their exact string: a 200 means the token request carried this code.
    const grants = authorizationCodeGrants(await sandbox.events());
    assert.deepEqual(grants.map((grant) => [grant.status, grant.error]), [[200, undefined]]);
    const log = await waitForExtensionLog(session, /Step 5, tokens returned: stored in secret storage with a refresh token/,
      'the tokens were not stored');
    assert.match(log, /Authorization response received through the URI handler/);
  });

  it('a forged response whose error_description hides the genuine &state= is ignored, and the authorization goes on', async () => {
    const before = (await sandbox.events()).length;
    const newLog = logFromNow();
    const { tab, state, redirectUri } = await startAuthorization();
    // Read as a second parameter, the hidden state would match the waiting request and end it with the
    // forger's error; read as it was sent, the response's only state is the forger's, which matches nothing.
    const sent = await sendCallback(tab, redirectUri, [
      ['state', 'forged-state-of-no-request'],
      ['error', 'access_denied'],
      ['error_description', `Forged by the test&state=${state}`],
    ]);
    assert.match(sent, /error_description=Forged\+by\+the\+test%26state%3D/, `the hidden state is sent encoded: ${sent}`);
    await waitForNotification(session.page, 'received a response that does not belong to the authorization in progress');
    // state_mismatch: one state, the forger's. Two would have been invalid_callback; the genuine one, a rejection.
    await waitForExtensionLog(session, /Callback with no matching authorization request: state_mismatch; the authorization in progress goes on/,
      'the forged callback was not reported as a state mismatch');
    await waitForNotification(session.page, 'Approve access in the browser');
    const log = newLog();
    assert.doesNotMatch(log, /Authorization response rejected/);
    assert.doesNotMatch(log, /Authorize App failed/);
    assert.equal((await sandbox.events()).length, before, 'no token request');
    await tab.close().catch(() => undefined);
  });

  it('the genuine response with &state= hidden in its error_description ends the authorization with the provider\'s error, intact', async () => {
    const before = (await sandbox.events()).length;
    const newLog = logFromNow();
    // This Authorize App stops the one the forged response left waiting.
    const { tab, state, redirectUri } = await startAuthorization();
    const description = 'Denied by the test&state=forged-in-the-description';
    await sendCallback(tab, redirectUri, [
      ['error', 'access_denied'],
      ['error_description', description],
      ['state', state],
    ]);
    const failure = await waitForNotification(session.page, 'Authorize App failed');
    const text = await notificationMessage(failure);
    // The provider's error reached the waiting request, and its description came through whole: had
    // `&state=` been read as a parameter, two states would have been refused as invalid_callback instead.
    assert.match(text, /The provider answered access_denied: /);
    assert.ok(text.includes(`${description}.`), `the description is shown as sent: ${text}`);
    await waitForExtensionLog(session, /Authorization response rejected: access_denied/, 'the response was not delivered to the waiting request');
    assert.doesNotMatch(newLog(), /invalid_callback/);
    assert.equal((await sandbox.events()).length, before, 'no token request after an error response');
    await tab.close().catch(() => undefined);
  });

  it('leaves no code (in any encoding), token or secret in the user-data folder or the output channel', async () => {
    const issued = await sandbox.issued();
    // The random part of each code, alone: URL encoding leaves it as it is, so it is found in any spelling.
    const codeTails = issued.filter((value) => value.startsWith(prefix)).map((code) => code.slice(prefix.length));
    assert.ok(codeTails.length >= 1 && codeTails.every((tail) => tail.length >= 20), 'the sandbox issued codes with the prefix');
    assertNoSecretsInUserData(session, [
      sandbox.info.clients.basic.client_secret,
      sandbox.info.subscription_key,
      ...issued,
      ...codeTails,
    ]);
  });
});
