// Plays the user at the sandbox provider's pages (oidc-provider's development interactions): sign in
// with any login when asked (the provider remembers the session afterwards), then approve or cancel.
import type { Page } from 'playwright-core';

const LOGIN = 'input[name=login]';
const CONTINUE = 'button[type=submit]:has-text("Continue")';

export async function signInIfAsked(tab: Page, login = 'developer@example.org'): Promise<void> {
  await tab.locator(`${LOGIN}, ${CONTINUE}`).first().waitFor({ timeout: 30_000 });
  if (!(await tab.locator(LOGIN).isVisible())) return;
  await tab.fill(LOGIN, login);
  await tab.fill('input[name=password]', 'any password works in the sandbox');
  await tab.locator('button[type=submit]').click();
}

export async function approve(tab: Page): Promise<void> {
  await tab.locator(CONTINUE).click({ timeout: 30_000 });
}

export async function deny(tab: Page): Promise<void> {
  await tab.locator(CONTINUE).waitFor({ timeout: 30_000 });
  await tab.locator('a', { hasText: '[ Cancel ]' }).click({ timeout: 30_000 });
}
