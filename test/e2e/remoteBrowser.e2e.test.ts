// Issue 13: a browser that cannot reach the extension host's loopback, as on a real remote host
// (Remote-SSH, a container, Codespaces, code-server on another machine). Chromium runs in a network
// namespace that reaches code-server only over a veth pair (test/harness/networkNamespace.ts). Before
// the redirect capability model, Authorize App with the loopback redirect opened the consent page and
// then waited five minutes for a redirect that could not arrive; now it says so before consent.
//
// Not here yet (see the branch's report): the URI handler and a forwarded loopback completing the flow in
// this setup need the sandbox provider on the veth address over https (a test CA trusted through
// NODE_EXTRA_CA_CERTS, http.systemCertificates off).
//
// AUTH_CODE_FLOW_E2E_VSIX runs the suite against another build, e.g. one from before the model, to see
// it fail first.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { createIsolatedBrowserNetwork, type IsolatedBrowserNetwork } from '../harness/networkNamespace';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { answerInputBox, clearNotifications, notificationMessage, pickQuickItem, runCommand, waitForNotification } from '../harness/workbench';

/** Whether `host:port` accepts a TCP connection from inside the namespace (bounded by the timeout). */
function reachableFromBrowser(network: IsolatedBrowserNetwork, host: string, port: number): boolean {
  const probe = `const s=require('net').connect(${port},'${host}');s.setTimeout(3000,()=>process.exit(2));`
    + 's.on(\'connect\',()=>process.exit(0));s.on(\'error\',()=>process.exit(1));';
  return network.exec([process.execPath, '-e', probe]).status === 0;
}

describe('remote browser: the browser cannot reach the extension host\'s loopback', function () {
  this.timeout(180_000);
  let network: IsolatedBrowserNetwork | undefined;
  let sandbox: Sandbox | undefined;
  let session: EditorSession | undefined;

  before(async function () {
    if (spawnSync('ip', ['-V']).status !== 0 || process.getuid?.() !== 0) {
      throw new Error('This suite needs root and iproute2 (ip netns) to put the browser in its own network namespace.');
    }
    network = createIsolatedBrowserNetwork();
    // On the host's loopback only: the extension host reaches it (Configure App, the token request), the
    // browser does not.
    sandbox = await startSandbox({ host: '127.0.0.2' });
    const info = sandbox.info;
    session = await startEditorSession('remote-browser', {
      codeServerHost: network.hostAddress,
      launchBrowser: network.launchBrowser,
      env: { AUTH_CODE_FLOW_SANDBOX_URL: info.issuer },
      ...(process.env.AUTH_CODE_FLOW_E2E_VSIX ? { vsix: process.env.AUTH_CODE_FLOW_E2E_VSIX } : {}),
      // The sandbox's public client, configured as Configure App would leave it, with the any-port loopback.
      userSettings: {
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
        'authCodeFlow.loopbackPort': 0,
      },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    try {
      await session?.stop();
      await sandbox?.stop();
    } finally {
      network?.remove();
    }
  });

  it('the setup: the browser reaches code-server on the veth pair, and nothing on the host\'s loopback', () => {
    assert.equal(reachableFromBrowser(network!, network!.hostAddress, session!.server.port), true, 'code-server on the veth address');
    const issuer = new URL(sandbox!.info.issuer);
    assert.equal(reachableFromBrowser(network!, issuer.hostname, Number(issuer.port)), false, 'the sandbox on the host\'s 127.0.0.2');
    assert.equal(reachableFromBrowser(network!, '10.0.0.1', 80), false, 'no route anywhere else');
  });

  it('Authorize App with the loopback redirect says before consent that it cannot work here, and what to change', async () => {
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Authorize App');
    // Before the model: the consent page opened ("Do you want code-server to open the external website?")
    // and the progress said "Approve access in the browser…" until the five-minute timeout.
    const warning = await waitForNotification(page, 'Authorize App did not open the browser', 20_000);
    const text = await notificationMessage(warning);
    assert.match(text, /loopback redirect, any free port cannot work here/);
    assert.match(text, /remote host's 127\.0\.0\.1.*its own 127\.0\.0\.1/);
    assert.match(text, /Choose Editor URI handler in Configure App/);
    assert.equal(session!.context.pages().length, 1, 'no consent tab was opened');
  });

  it('Show Redirect URI says that the loopback redirect URI cannot work where the editor runs now', async () => {
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Show Redirect URI');
    const text = await notificationMessage(await waitForNotification(page, 'Redirect URI for this editor', 20_000));
    assert.match(text, /^Redirect URI for this editor: http:\/\/127\.0\.0\.1:<any free port>\/callback It cannot work where the editor runs now: /);
    assert.match(text, /Choose Editor URI handler in Configure App/);
  });

  it('Configure App marks the loopback redirect as unable to work here and gives the URI handler\'s prefix', async () => {
    const page = session!.page;
    await clearNotifications(page);
    await runCommand(page, 'Auth Code Flow: Configure App');
    await pickQuickItem(page, 'Local sandbox');
    await answerInputBox(page, 'URL of the local sandbox');
    await answerInputBox(page, 'Application (client) ID');
    // No secret question: the configured client is public (client authentication "none").
    await answerInputBox(page, 'Subscription key');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Editor URI handler' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const loopback = await rows.filter({ hasText: 'Loopback redirect' }).first().innerText();
    const uriHandler = await rows.filter({ hasText: 'Editor URI handler' }).first().innerText();
    await page.keyboard.press('Escape');
    assert.match(loopback, /cannot work here/);
    assert.match(loopback, /its own 127\.0\.0\.1/);
    assert.doesNotMatch(uriHandler, /cannot work here/);
    assert.ok(uriHandler.includes(`begins with http://${network!.hostAddress}:${session!.server.port}/`), uriHandler);
  });
});
