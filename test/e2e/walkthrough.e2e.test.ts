import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { answerConfigureForSandbox, consentInBrowser } from '../harness/appFlows';
import { approve } from '../harness/consentPage';
import { screenshotOnFailure, startEditorSession, type EditorSession } from '../harness/editorSession';
import { pickQuickItem, runCommand, waitForNotification } from '../harness/workbench';
import { startSandbox, type Sandbox } from '../support/sandbox';

const STEPS = ['Set up your application', '1. Request authorization', '2. User authorizes your app',
  '3. User is redirected back', '4. Request tokens', '5. Tokens returned'];

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

describe('the walkthrough, followed with its buttons in the real workbench', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let session: EditorSession;

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.2' });
    session = await startEditorSession('walkthrough', { env: { AUTH_CODE_FLOW_SANDBOX_URL: sandbox.info.issuer } });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  it('opens from the palette with the setup step and the first five tutorial steps, none complete', async () => {
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

  it('completes steps 1 to 5 when Authorize App, started from step 1, has stored tokens', async () => {
    const { page } = session;
    await pressStepButton(page, STEPS[1], 'Authorize App');
    const tab = await consentInBrowser(session, sandbox, approve);
    await waitForNotification(page, /Authorized as .* The access token expires in/);
    await tab.close();
    await page.bringToFront();
    for (const title of STEPS.slice(1)) {
      await waitUntilDone(page, title);
    }
  });
});
