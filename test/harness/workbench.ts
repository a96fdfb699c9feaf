// Drives the code-server workbench as a person would: the command palette, notifications, tabs.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

export interface OpenWorkbench {
  context: BrowserContext;
  page: Page;
}

/** Opens the workbench on a folder in a fresh browser context and waits until it is interactive. */
export async function openWorkbench(browser: Browser, serverUrl: string, folder: string): Promise<OpenWorkbench> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar appears once the workbench has restored its parts; before that key presses are lost.
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  return { context, page };
}

/** Runs a command by its palette title, e.g. "Auth Code Flow: Show Redirect URI". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // Right after start-up the palette can open before the extension's commands are known, a key press can
  // be swallowed while the workbench settles, and an editor that opens meanwhile (a walkthrough) takes
  // the focus and closes the palette: reopen it a few times, bounded.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(`>${title}`);
      await row.waitFor({ timeout: 5_000 });
      await row.click({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 5) throw new Error(`The command palette did not offer "${title}".`, { cause: error });
      // Only to close the palette: on a walkthrough page Escape means "Go Back".
      if (await input.isVisible()) await page.keyboard.press('Escape');
    }
  }
}

/** The extension's token item in the status bar. */
export function tokenStatusItem(page: Page): Locator {
  return page.locator('.statusbar-item[id$="authCodeFlow.tokenStatus"]');
}

/** A notification toast whose message matches. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast', { hasText: text }).first();
}

/**
 * Waits for a notification, as a toast or, failing that, in the notification center. The workbench
 * schedules toasts on an animation frame, which a headless page does not always render promptly; a
 * person would then find the message behind the bell in the status bar, and so does this.
 */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = notification(page, text);
  const inCenter = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await toast.isVisible().catch(() => false)) return toast;
    if (await inCenter.isVisible().catch(() => false)) return inCenter;
    await page.waitForTimeout(1_000);
    if (!(await page.locator('.notifications-center.visible').isVisible().catch(() => false))) {
      await page.locator('.statusbar-item[id="status.notifications"] a, .statusbar-item[id="status.notifications"]').first().click().catch(() => undefined);
    }
  }
  throw new Error(`No notification matching ${String(text)} within ${timeoutMs / 1000} s.`);
}

/** Dismisses every notification, so that a later wait cannot find an old one. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

export async function notificationMessage(toast: Locator): Promise<string> {
  return (await toast.locator('.notification-list-item-message').innerText()).trim();
}

export async function clickNotificationButton(toast: Locator, label: string): Promise<void> {
  // A hover left open where the pointer last was (the status bar item's tooltip sits right above the
  // toasts) intercepts the click, as it would a person's; a person moves the pointer away first.
  await toast.page().mouse.move(1, 1);
  await toast.page().locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await toast.locator('.monaco-button', { hasText: label }).first().click();
}

/**
 * Picks an item in the open quick pick by (part of) its label. An item scrolled out of the list is
 * found the way a person finds it: by typing its label into the filter.
 */
export async function pickQuickItem(page: Page, label: string | RegExp): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'attached', timeout: 15_000 });
  if (!(await row.isVisible()) && typeof label === 'string') {
    await page.locator('.quick-input-widget input').first().fill(label);
  }
  await row.click();
}

/**
 * Answers the open input box: waits for its prompt, optionally replaces the value, presses Enter.
 * `undefined` keeps the prefilled value, as a person accepting the default would.
 */
export async function answerInputBox(page: Page, prompt: string | RegExp, value?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget', { hasText: prompt });
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('input').first();
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  // The next step reuses the widget; wait until this prompt is gone so answers cannot land twice.
  await page.locator('.quick-input-widget .quick-input-message', { hasText: prompt }).waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

/**
 * The editor asks before opening an external site; clicking "Open" opens it in a new tab of the same
 * browser context, which is returned.
 */
export async function confirmOpenExternal(page: Page, context: BrowserContext): Promise<Page> {
  const opened = context.waitForEvent('page', { timeout: 30_000 });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.locator('.monaco-button', { hasText: /^Open$/ }).first().click();
  const tab = await opened;
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}
