// The user's journeys through Configure App and the provider's consent page, shared by the e2e files.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { signInIfAsked } from './consentPage';
import type { EditorSession } from './editorSession';
import { answerInputBox, confirmOpenExternal, notificationMessage, pickQuickItem, waitForNotification } from './workbench';

export type RedirectChoice = 'Loopback redirect' | 'Editor URI handler';

/** The name the e2e journeys give the app they configure. */
export const E2E_APP_NAME = 'Local sandbox';

/**
 * Configure App's first question: with no app yet, the new app's name; once there is one, "Edit <active
 * app>" (the first row) unless `addNew`, which adds another app named `name`.
 */
export async function chooseAppToConfigure(page: Page, options: { name?: string; addNew?: boolean } = {}): Promise<void> {
  const name = options.name ?? E2E_APP_NAME;
  const either = page.locator('.quick-input-widget', { hasText: /A name for|Add a new app/ });
  await either.waitFor({ state: 'visible', timeout: 15_000 });
  if (await page.locator('.quick-input-widget', { hasText: 'Add a new app' }).isVisible()) {
    if (!options.addNew) {
      await pickQuickItem(page, /Edit /);
      // The next quick pick reuses the widget: wait until this one's rows are gone before answering it.
      await page.locator('.quick-input-widget', { hasText: 'Add a new app' }).waitFor({ state: 'hidden', timeout: 15_000 });
      return;
    }
    await pickQuickItem(page, 'Add a new app');
  }
  await answerInputBox(page, 'A name for', name);
}

/**
 * Answers Configure App's questions for the local sandbox, once the command has been started (from the
 * palette or a walkthrough button), accepting the values the sandbox publishes. Returns the final message.
 */
export async function answerConfigureForSandbox(page: Page, redirect: RedirectChoice): Promise<string> {
  await chooseAppToConfigure(page);
  await pickQuickItem(page, 'Local sandbox');
  await answerInputBox(page, 'URL of the local sandbox');
  await answerInputBox(page, 'Application (client) ID');
  await answerInputBox(page, 'Application secret');
  await answerInputBox(page, 'Subscription key');
  await pickQuickItem(page, redirect);
  if (redirect === 'Loopback redirect') await answerInputBox(page, 'Loopback port', '0');
  await answerInputBox(page, 'Scopes');
  return notificationMessage(await waitForNotification(page, 'Saved. Register this redirect URI'));
}

/**
 * Once Authorize App has been started: confirms opening the provider, plays the user there, and returns
 * the consent tab (on the loopback result page, or wherever the provider sent it). `provider` is the
 * sandbox, or just its issuer URL when another process runs it (npm start).
 */
export async function consentInBrowser(session: Pick<EditorSession, 'page' | 'context'>, provider: { info: { issuer: string } },
  action: (tab: Page) => Promise<void>): Promise<Page> {
  const tab = await confirmOpenExternal(session.page, session.context);
  assert.ok(tab.url().startsWith(provider.info.issuer), `the consent tab opened ${tab.url()}`);
  await signInIfAsked(tab);
  await action(tab);
  return tab;
}

export interface DiscoveryAnswers {
  /** The new app's name (the first app's, or one added beside others). */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface DiscoveryOutcome {
  /** What Configure App's summary modal said it found and chose. */
  summary: string;
  /** The scopes the Scopes step offered (discovery's choice), as prefilled. */
  offeredScopes: string;
  /** Configure App's final message. */
  saved: string;
}

/**
 * Answers Configure App for "Any OAuth 2.0 / OpenID provider" from its issuer URL, once the command has
 * been started: the issuer first, a confidential client, Continue in the summary modal, the API base
 * URL discovery proposes, then the client, a loopback redirect on any port and the scopes discovery chose.
 */
export async function answerConfigureByDiscovery(page: Page, answers: DiscoveryAnswers): Promise<DiscoveryOutcome> {
  await chooseAppToConfigure(page, { name: answers.name, addNew: true });
  await pickQuickItem(page, 'Any OAuth 2.0 / OpenID provider');
  await answerInputBox(page, 'Issuer URL of the provider', answers.issuer);
  await pickQuickItem(page, 'Yes, it has a client secret');
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Discovered' });
  await dialog.waitFor({ timeout: 30_000 });
  const summary = (await dialog.innerText()).trim();
  await dialog.locator('.monaco-button', { hasText: /^Continue$/ }).first().click();
  await answerInputBox(page, 'API base URL for Call the API');
  await answerInputBox(page, 'Application (client) ID', answers.clientId);
  await answerInputBox(page, 'Application secret', answers.clientSecret);
  await pickQuickItem(page, 'Loopback redirect');
  await answerInputBox(page, 'Loopback port', '0');
  const scopes = page.locator('.quick-input-widget', { hasText: 'Scopes' });
  await scopes.waitFor({ state: 'visible', timeout: 15_000 });
  const offeredScopes = await scopes.locator('input').first().inputValue();
  await answerInputBox(page, 'Scopes');
  const saved = await notificationMessage(await waitForNotification(page, 'Saved. Register this redirect URI'));
  return { summary, offeredScopes, saved };
}
