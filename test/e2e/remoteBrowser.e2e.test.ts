// Issue 13: a browser that cannot reach the extension host's loopback, as on a real remote host
// (Remote-SSH, a container, Codespaces, code-server on another machine). Chromium runs in a network
// namespace that reaches the host only over a veth pair (test/harness/networkNamespace.ts); code-server and
// the sandbox provider listen on the host's end of that pair and nowhere else the browser can reach. Off
// loopback the provider speaks https, with a CA this suite makes (test/harness/testCertificates.ts):
// - the extension host trusts it through NODE_EXTRA_CA_CERTS, with http.systemCertificates off (otherwise
//   VS Code's fetch patch replaces Node's CA list and the token request fails with SELF_SIGNED_CERT_IN_CHAIN);
// - Chromium trusts exactly the server's key, by its SPKI hash (--ignore-certificate-errors-spki-list;
//   Playwright always gives Chromium a --user-data-dir, which that flag needs). Chosen over an NSS database
//   in the namespace: nothing is written to the profile, and no other certificate error is waved through.
//
// Before the redirect capability model, Authorize App with the loopback redirect opened the consent page
// and waited five minutes for a redirect that could not arrive (shown by the failure-first run of the
// branch redirect-modes). Now: the loopback port is forwarded (asExternalUri gives code-server's
// /proxy/PORT/callback), Authorize App refuses before consent while the app's registered redirect URI is
// another one and names the URI to register; once Configure App recorded the forwarded URI, the loopback
// flow completes; the URI handler completes; the any-port loopback, which a web editor cannot forward to a
// registrable URI, is refused before consent.
//
// AUTH_CODE_FLOW_E2E_VSIX runs the suite against another build, e.g. one from before the model, to see
// it fail first.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { startSandbox, type Sandbox, type SandboxEvent } from '../support/sandbox';
import { chooseAppToConfigure } from '../harness/appFlows';
import { approve, signInIfAsked } from '../harness/consentPage';
import { createIsolatedBrowserNetwork, type IsolatedBrowserNetwork } from '../harness/networkNamespace';
import { screenshotOnFailure, startEditorSession, waitForExtensionLog, type EditorSession } from '../harness/editorSession';
import { makeTestCertificates, type TestCertificates } from '../harness/testCertificates';
import {
  answerInputBox, clearNotifications, confirmOpenExternal, notificationMessage, pickQuickItem, runCommand, waitForNotification,
} from '../harness/workbench';

/** Whether `host:port` accepts a TCP connection from inside the namespace (bounded by the timeout). */
function reachableFromBrowser(network: IsolatedBrowserNetwork, host: string, port: number): boolean {
  const probe = `const s=require('net').connect(${port},'${host}');s.setTimeout(3000,()=>process.exit(2));`
    + 's.on(\'connect\',()=>process.exit(0));s.on(\'error\',()=>process.exit(1));';
  return network.exec([process.execPath, '-e', probe]).status === 0;
}

/** Whether `host:port` accepts a TCP connection from the host itself. */
function reachableFromHost(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(3_000, () => { socket.destroy(); resolve(false); });
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/** A port free on the host's 127.0.0.1 now: the fixed loopback port the app registers. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function authorizationCodeGrants(events: SandboxEvent[]): SandboxEvent[] {
  return events.filter((event) => event.grant_type === 'authorization_code');
}

describe('remote browser: the browser cannot reach the extension host\'s loopback', function () {
  this.timeout(180_000);
  let network: IsolatedBrowserNetwork | undefined;
  let certificates: TestCertificates | undefined;
  let sandbox: Sandbox | undefined;
  let session: EditorSession | undefined;
  let loopbackPort = 0;
  /** What code-server's asExternalUri makes of http://127.0.0.1:PORT/callback for this browser. */
  let forwardedUri = '';

  before(async function () {
    if (spawnSync('ip', ['-V']).status !== 0 || process.getuid?.() !== 0) {
      throw new Error('This suite needs root and iproute2 (ip netns) to put the browser in its own network namespace.');
    }
    try {
      network = createIsolatedBrowserNetwork();
      certificates = makeTestCertificates(network.hostAddress);
      // On the host's end of the veth pair only, over https: the extension host and the browser both reach it.
      sandbox = await startSandbox({
        allowHost: network.hostAddress,
        tls: { certFile: certificates.certFile, keyFile: certificates.keyFile, ca: certificates.caPem },
      });
      loopbackPort = await freeLoopbackPort();
      const info = sandbox.info;
      const spki = certificates.leafSpkiSha256;
      const isolated = network;
      session = await startEditorSession('remote-browser', {
        codeServerHost: network.hostAddress,
        launchBrowser: () => isolated.launchBrowser([`--ignore-certificate-errors-spki-list=${spki}`]),
        env: { AUTH_CODE_FLOW_SANDBOX_URL: info.issuer, NODE_EXTRA_CA_CERTS: certificates.caFile },
        ...(process.env.AUTH_CODE_FLOW_E2E_VSIX ? { vsix: process.env.AUTH_CODE_FLOW_E2E_VSIX } : {}),
        userSettings: {
          // VS Code's own CA loading would otherwise replace Node's list, NODE_EXTRA_CA_CERTS included.
          'http.systemCertificates': false,
          // The sandbox's public client, as Configure App would leave it, with a fixed loopback port whose
          // registered redirect URI is the plain loopback one (what a desktop editor would register).
          'authCodeFlow.provider': 'sandbox',
          'authCodeFlow.authorizationEndpoint': info.authorization_endpoint,
          'authCodeFlow.tokenEndpoint': info.token_endpoint,
          'authCodeFlow.apiBaseUrl': info.api_base_url,
          'authCodeFlow.issuer': info.issuer,
          'authCodeFlow.clientId': info.clients.public.client_id,
          'authCodeFlow.clientAuthentication': 'none',
          'authCodeFlow.scopes': info.scopes,
          'authCodeFlow.redirectMode': 'loopback',
          'authCodeFlow.loopbackHost': '127.0.0.1',
          'authCodeFlow.loopbackPort': loopbackPort,
        },
      });
      forwardedUri = `http://${network.hostAddress}:${session.server.port}/proxy/${loopbackPort}/callback`;
    } catch (error) {
      // `after` runs too, but say what failed first.
      process.stdout.write(`      setup failed: ${(error as Error).message}\n${sandbox?.diagnostics().slice(-2000) ?? ''}\n`);
      throw error;
    }
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    try {
      await session?.stop();
      await sandbox?.stop();
    } finally {
      certificates?.remove();
      network?.remove();
    }
  });

  it('the setup: the browser reaches code-server and the https provider on the veth pair, nothing else', async () => {
    assert.equal(reachableFromBrowser(network!, network!.hostAddress, session!.server.port), true, 'code-server on the veth address');
    const issuer = new URL(sandbox!.info.issuer);
    assert.equal(issuer.protocol, 'https:');
    assert.equal(issuer.hostname, network!.hostAddress);
    assert.equal(reachableFromBrowser(network!, issuer.hostname, Number(issuer.port)), true, 'the sandbox on the veth address');
    assert.equal(await reachableFromHost('127.0.0.1', Number(issuer.port)), false, 'the sandbox is not on the host\'s loopback');
    assert.equal(reachableFromBrowser(network!, '10.0.0.1', 80), false, 'no route anywhere else');
  });

  it('Authorize App with a fixed loopback port registered as the plain loopback URI refuses before consent and names the forwarded URI to register', async () => {
    const page = session!.page;
    await clearNotifications(page);
    const grantsBefore = authorizationCodeGrants(await sandbox!.events()).length;
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const text = await notificationMessage(await waitForNotification(page, 'Authorize App did not open the browser', 60_000));
    assert.ok(text.includes(`the browser will be sent to ${forwardedUri}, `), text);
    assert.ok(text.includes(`the redirect URI registered for this app is http://127.0.0.1:${loopbackPort}/callback (their host, port and path differ)`), text);
    assert.ok(text.includes(`Register ${forwardedUri} at the provider`), text);
    assert.match(text, /or choose Editor URI handler\.$/);
    assert.equal(session!.context.pages().length, 1, 'no consent tab was opened');
    assert.equal(authorizationCodeGrants(await sandbox!.events()).length, grantsBefore);
    assert.equal(await reachableFromHost('127.0.0.1', loopbackPort), false, 'nothing was left listening');
  });

  it('Show Redirect URI shows the forwarded URI, the one that works where the editor runs now', async () => {
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Show Redirect URI');
    const text = await notificationMessage(await waitForNotification(page, 'Redirect URI for this editor', 60_000));
    assert.ok(text.startsWith(`Redirect URI for this editor: ${forwardedUri} Your browser runs elsewhere`), text);
    assert.ok(text.includes(`The app's registered redirect URI is http://127.0.0.1:${loopbackPort}/callback: register this one`), text);
  });

  /** Configure App for the sandbox's public client with this redirect; returns Configure App's last message. */
  async function configure(redirect: 'Loopback redirect' | 'Editor URI handler', port?: number): Promise<{ message: string; loopbackRow: string; uriHandlerRow: string }> {
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    await chooseAppToConfigure(page);
    await pickQuickItem(page, 'Local sandbox');
    await answerInputBox(page, 'URL of the local sandbox');
    await answerInputBox(page, 'Application (client) ID', sandbox!.info.clients.public.client_id);
    // No secret question: the app's client authentication stays "none" (a public client).
    await answerInputBox(page, 'Subscription key');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Editor URI handler' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const loopbackRow = await rows.filter({ hasText: 'Loopback redirect' }).first().innerText();
    const uriHandlerRow = await rows.filter({ hasText: 'Editor URI handler' }).first().innerText();
    await pickQuickItem(page, redirect);
    if (redirect === 'Loopback redirect') await answerInputBox(page, 'Loopback port', String(port));
    await answerInputBox(page, 'Scopes');
    const message = await notificationMessage(await waitForNotification(page, 'Saved. Register this redirect URI', 60_000));
    return { message, loopbackRow, uriHandlerRow };
  }

  /** Authorize App through consent in the namespaced browser; returns the tab and the outcome's text. */
  async function authorizeWithConsent(): Promise<{ redirectUri: string; outcome: string }> {
    const page = session!.page;
    await clearNotifications(page);
    const authorizationRequest = session!.context.waitForEvent('request', {
      predicate: (request) => request.url().startsWith(`${sandbox!.info.authorization_endpoint}?`), timeout: 30_000,
    });
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const tab = await confirmOpenExternal(page, session!.context);
    const redirectUri = new URL((await authorizationRequest).url()).searchParams.get('redirect_uri') ?? '';
    await signInIfAsked(tab);
    await approve(tab);
    const outcome = await notificationMessage(await waitForNotification(page, /Authorized as|Authorize App failed/, 60_000));
    await tab.close().catch(() => undefined);
    return { redirectUri, outcome };
  }

  it('Configure App offers the loopback redirect through the forwarded port and records the forwarded URI; Authorize App then completes over it', async () => {
    const { message, loopbackRow, uriHandlerRow } = await configure('Loopback redirect', loopbackPort);
    assert.doesNotMatch(loopbackRow, /cannot work here/);
    assert.doesNotMatch(uriHandlerRow, /cannot work here/);
    assert.ok(uriHandlerRow.includes(`begins with http://${network!.hostAddress}:${session!.server.port}/`), uriHandlerRow);
    assert.ok(message.startsWith(`Saved. Register this redirect URI for the application at the provider: ${forwardedUri} Your browser runs elsewhere`), message);

    const grantsBefore = authorizationCodeGrants(await sandbox!.events()).length;
    const { redirectUri, outcome } = await authorizeWithConsent();
    assert.equal(redirectUri, forwardedUri, 'the browser was sent to the forwarded URI');
    assert.match(outcome, /Authorized as .* The access token expires in /, `${outcome}\nsandbox log:\n${sandbox!.diagnostics().slice(-2000)}`);
    const grants = authorizationCodeGrants(await sandbox!.events()).slice(grantsBefore);
    assert.deepEqual(grants.map((grant) => [grant.status, grant.client_id]), [[200, sandbox!.info.clients.public.client_id]]);
    const log = await waitForExtensionLog(session!, /Step 5, tokens returned/, 'the tokens were not stored');
    assert.ok(log.includes(`The browser reaches it through the forwarded ${forwardedUri}, the registered redirect URI.`), log.slice(-3000));
    assert.match(log, /Authorization response received on the loopback redirect/);
    assert.equal(await reachableFromHost('127.0.0.1', loopbackPort), false, 'the loopback server closed after the response');
  });

  it('Authorize App with the URI handler completes: code-server\'s callback page on the veth address reaches the window that started it', async () => {
    const { message } = await configure('Editor URI handler');
    assert.ok(message.includes(`http://${network!.hostAddress}:${session!.server.port}/`), message);
    const grantsBefore = authorizationCodeGrants(await sandbox!.events()).length;
    const { redirectUri, outcome } = await authorizeWithConsent();
    assert.ok(redirectUri.startsWith(`http://${network!.hostAddress}:${session!.server.port}/`), redirectUri);
    assert.match(redirectUri, /\/callback\?vscode-reqid=/);
    assert.match(outcome, /Authorized as .* The access token expires in /, `${outcome}\nsandbox log:\n${sandbox!.diagnostics().slice(-2000)}`);
    const grants = authorizationCodeGrants(await sandbox!.events()).slice(grantsBefore);
    assert.deepEqual(grants.map((grant) => grant.status), [200]);
    await waitForExtensionLog(session!, /Authorization response received through the URI handler/, 'the URI handler did not receive the response');
  });

  it('the any-port loopback, which a web editor cannot forward to a URI that can be registered, is refused before consent with what to change', async () => {
    const { loopbackRow } = await configure('Loopback redirect', 0);
    assert.doesNotMatch(loopbackRow, /cannot work here/, 'the fixed port can work, so the row is offered');
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    const text = await notificationMessage(await waitForNotification(page, 'Authorize App did not open the browser', 60_000));
    assert.match(text, /loopback redirect, any free port cannot work here/);
    assert.match(text, /\/proxy\/PORT\/callback.*no registered URI can match/);
    assert.match(text, /Choose Loopback redirect, fixed port or Editor URI handler in Configure App/);
    assert.equal(session!.context.pages().length, 1, 'no consent tab was opened');
  });
});
