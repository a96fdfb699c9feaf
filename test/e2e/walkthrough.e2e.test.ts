import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { answerConfigureForSandbox, consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { assertNoSecretsInUserData } from '../harness/leakCheck';
import { visibleEditorText } from '../harness/editorText';
import { READABLE_VIEW_SETTINGS, waitForViewText } from '../harness/readOnlyViews';
import { screenshotPath } from '../harness/screenshots';
import { answerInputBox, clearNotifications, pickQuickItem, runCommand, tokenStatusItem, waitForNotification } from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

const STEPS = ['Set up your application', '1. Request authorization', '2. User authorizes your app',
  '3. User is redirected back', '4. Request tokens', '5. Tokens returned', '6. Call the API',
  '7. Refresh the access token', '8. Next steps: code for your app'];
const AUTHORIZED_STEPS = STEPS.slice(1, 6);

function step(page: Page, title: string): Locator {
  return page.locator('.getting-started-step', { has: page.locator('.step-title', { hasText: title }) });
}

async function isDone(page: Page, title: string): Promise<boolean> {
  return (await step(page, title).locator('[data-done-step-id]').getAttribute('aria-checked')) === 'true';
}

/** Waits (bounded) until the workbench marks the step complete. */
async function waitUntilDone(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isDone(page, title))) {
    if (Date.now() > deadline) throw new Error(`"${title}" was not marked complete within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(250);
  }
}

/** Expands a step (as a click on its title does) and presses one of its buttons. */
async function pressStepButton(page: Page, title: string, button: string): Promise<void> {
  await step(page, title).locator('.step-title').click();
  await step(page, title).locator('.button-link, .monaco-button, a', { hasText: button }).first().click();
}

async function waitForText(locator: Locator, text: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!text.test(await locator.innerText().catch(() => ''))) {
    if (Date.now() > deadline) throw new Error(`${text} not shown within ${timeoutMs / 1000} s; shown: ${await locator.innerText().catch(() => '(nothing)')}`);
    await locator.page().waitForTimeout(250);
  }
}

describe('the walkthrough, followed with its buttons in the real workbench', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let session: EditorSession;
  /** What Insert Code Snippet wrote in step 8, for the leak check. */
  const insertedSnippets: string[] = [];
  /** Every code and token the sandbox had issued before the status bar refresh. */
  let issuedBeforeRefresh: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2', exposeIssuedTokens: true });
    session = await startEditorSession('walkthrough', {
      env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer }, userSettings: READABLE_VIEW_SETTINGS,
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  it('opens from the palette with the setup step and the eight tutorial steps, none complete', async () => {
    const { page } = session;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickItem(page, 'Authorization Code Flow');
    await step(page, STEPS[0]).waitFor({ timeout: 30_000 });
    const titles = await page.locator('.getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(titles.map((title) => title.trim()), STEPS);
    for (const title of STEPS) assert.equal(await isDone(page, title), false, `${title} is complete before anything happened`);
    // The teaching text of the open step is shown beside it.
    await page.locator('.getting-started-media').waitFor({ timeout: 15_000 });
  });

  it('completes the setup step only once Configure App has saved an application', async () => {
    const { page } = session;
    await step(page, STEPS[0]).locator('.step-title').click();
    assert.equal(await isDone(page, STEPS[0]), false, 'opening the step does not complete it');
    await pressStepButton(page, STEPS[0], 'Configure App');
    await answerConfigureForSandbox(page, 'Loopback redirect');
    await waitUntilDone(page, STEPS[0]);
    for (const title of STEPS.slice(1)) assert.equal(await isDone(page, title), false, `${title} completed without an authorization`);
  });

  it('shows the status bar item once an app is configured, offering Authorize App', async () => {
    const item = tokenStatusItem(session.page);
    await item.waitFor({ timeout: 15_000 });
    assert.match(await item.innerText(), /Authorize/);
  });

  it('completes steps 1 to 5 when Authorize App, started from step 1, has stored tokens', async () => {
    const { page } = session;
    await pressStepButton(page, STEPS[1], 'Authorize App');
    const tab = await consentInBrowser(session, sandbox, approve);
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close();
    await page.bringToFront();
    for (const title of AUTHORIZED_STEPS) await waitUntilDone(page, title);
    for (const title of STEPS.slice(6)) assert.equal(await isDone(page, title), false, `${title} completed by authorizing`);
    issuedBeforeRefresh = await sandbox.issued();
  });

  it('shows the countdown in the status bar, with the details in its tooltip', async () => {
    const item = tokenStatusItem(session.page);
    await waitForText(item, /\b(59|60)m\b/);
    const label = await item.getAttribute('aria-label');
    assert.match(label ?? '', /Access token: valid for (59|60) min/);
    assert.match(label ?? '', /Click to refresh/);
    // For the README: the walkthrough with steps 1-5 ticked, and the status bar item's tooltip.
    // Not Escape: on the walkthrough page it means "Go Back" to the Welcome overview.
    await clearNotifications(session.page);
    await session.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await session.page.screenshot({ path: screenshotPath('walkthrough') });
    await item.hover();
    await session.page.locator('.monaco-hover', { hasText: 'Access token: valid for' }).first().waitFor({ timeout: 10_000 });
    const viewport = session.page.viewportSize() ?? { width: 1400, height: 900 };
    await session.page.screenshot({
      path: screenshotPath('status-bar'), clip: { x: viewport.width - 560, y: viewport.height - 260, width: 560, height: 260 },
    });
    await session.page.mouse.move(10, 10);
  });

  it('shows step 4\'s real token request from its button, with the secret masked', async () => {
    const { page } = session;
    await pressStepButton(page, STEPS[4], 'Show My Token Request');
    const text = await waitForViewText(page, 'Token request.md', /POST \/token HTTP\/1\.1/);
    assert.match(text, /Authorization: Basic .{4}…\(\d+ chars\)/);
    assert.ok(!text.includes(sandbox.info.clients.basic.client_secret), 'the preview shows the application secret');
    // Closing the preview brings the walkthrough, the editor behind it, back.
    await runCommand(page, 'View: Close Editor');
    await step(page, STEPS[0]).waitFor({ timeout: 15_000 });
  });

  it('completes step 6 only when Call the API, from its button, got a 200 from the protected resource', async () => {
    const { page } = session;
    await pressStepButton(page, STEPS[6], 'Call the API');
    await answerInputBox(page, 'Path to GET');
    await waitForViewText(page, 'API Response.md', /→ 200 OK/);
    await runCommand(page, 'View: Close Editor');
    await waitUntilDone(page, STEPS[6]);
    assert.equal(await isDone(page, STEPS[7]), false, 'calling the API completed the refresh step');
  });

  it('completes step 7 when a click on the status bar has refreshed the tokens', async () => {
    const { page } = session;
    const grantsBefore = (await sandbox.events()).filter((event) => event.grant_type === 'refresh_token').length;
    await tokenStatusItem(page).click();
    await waitForNotification(page, /Refreshed as .* The access token expires in/);
    const refreshes = (await sandbox.events()).filter((event) => event.grant_type === 'refresh_token');
    assert.equal(refreshes.length, grantsBefore + 1, 'one refresh_token grant per click');
    assert.equal(refreshes.at(-1)?.status, 200);
    await waitUntilDone(page, STEPS[7]);
  });

  it('completes step 8 once Insert Code Snippet, from its button, has written code into a file', async () => {
    const { page } = session;
    await pressStepButton(page, STEPS[8], 'Insert Code Snippet');
    await pickQuickItem(page, 'Complete minimal flow');
    // Started from the walkthrough there is no text editor, so the language is asked and a new file opened.
    await pickQuickItem(page, 'Python (requests)');
    const code = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await waitForText(code, /REDIRECT_URI/);
    assert.match(await page.locator('.statusbar-item[id="status.editor.mode"]').innerText(), /Python/);
    await page.screenshot({ path: screenshotPath('insert-code-snippet') });
    // The untitled document never reaches the disk: its text goes to the leak check from the screen.
    insertedSnippets.push(await visibleEditorText(page));
    await runCommand(page, 'View: Revert and Close Editor');
    await waitUntilDone(page, STEPS[8]);
    for (const title of STEPS) assert.equal(await isDone(page, title), true, `${title} is not complete at the end`);
  });

  it('proves on the wire that the old refresh token is refused after rotation', async () => {
    // Last, because oidc-provider revokes the whole grant when a rotated refresh token is replayed.
    const fresh = (await sandbox.issued()).filter((value) => !issuedBeforeRefresh.includes(value));
    assert.equal(fresh.length, 2, 'the refresh issued a new access token and a new refresh token');
    for (const old of issuedBeforeRefresh) {
      const response = await fetch(sandbox.info.token_endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${sandbox.info.clients.basic.client_id}:${sandbox.info.clients.basic.client_secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: old }).toString(),
      });
      assert.equal(response.status, 400, 'a value issued before the refresh still works as a refresh token');
      assert.equal(((await response.json()) as { error?: string }).error, 'invalid_grant');
    }
  });

  it('leaves no secret, code or token in settings, logs, global state, workspace files or the inserted snippet after the whole walkthrough', async () => {
    const secrets = [sandbox.info.clients.basic.client_secret, sandbox.info.subscription_key, ...(await sandbox.issued())];
    assert.ok(secrets.length >= 7, `expected a code and two token pairs, got ${secrets.length - 2}`);
    assert.equal(insertedSnippets.length, 1, 'the snippet inserted in step 8 is searched too');
    assertNoSecretsInUserData(session, secrets, { snippets: insertedSnippets });
  });
});
