// The Apps view (activity bar → Auth Code Flow → Apps) as a person uses it: open it from the activity bar,
// find an app's row by its name, hover it for the inline actions, right-click it for the rest, and the
// view's title bar for Switch App.
import type { Locator, Page } from 'playwright-core';

/** The side bar when it shows the extension's own container (package.json viewsContainers.activitybar). */
function appsContainer(page: Page): Locator {
  return page.locator('.part.sidebar [id="workbench.view.extension.authCodeFlow"]').first();
}

/** The container's button in the activity bar. */
function activityBarButton(page: Page): Locator {
  return page.locator('.activitybar .action-item a[aria-label^="Auth Code Flow"]').first();
}

/**
 * The image the activity-bar button draws (a CSS mask of the icon file package.json names),
 * and its status when the page fetches it: 200 when the .vsix ships the icon. Without it the button is an
 * empty square that no one would recognise.
 */
export async function activityBarIcon(page: Page): Promise<{ url: string; status: number }> {
  const button = activityBarButton(page);
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  return button.evaluate(async (element) => {
    // The test's TypeScript has no DOM library; these are the browser's globals.
    const browser = globalThis as unknown as { getComputedStyle(node: unknown): Record<string, string> };
    const style = browser.getComputedStyle(element);
    const mask = style.maskImage || style.webkitMaskImage || '';
    const url = /url\("?([^")]+)"?\)/.exec(mask)?.[1];
    if (!url) return { url: `no image in ${JSON.stringify(mask)}`, status: 0 };
    return { url, status: (await fetch(url)).status };
  });
}

/** Opens the Apps view from its activity-bar icon, unless the side bar already shows it. */
export async function openAppsView(page: Page): Promise<Locator> {
  const container = appsContainer(page);
  if (!(await container.isVisible().catch(() => false))) {
    // Clicking the icon of the container already shown would close the side bar: checked above.
    await activityBarButton(page).click({ timeout: 15_000 });
  }
  await container.waitFor({ state: 'visible', timeout: 15_000 });
  return container;
}

/** An app's row; its accessible name is "<name>[, active app], <state>" (src/editor/apps/appTreeItem.ts). */
export function appRow(page: Page, name: string): Locator {
  return appsContainer(page).locator(`.monaco-list-row[aria-label^="${name}, "]`).first();
}

/** The row's accessible name: "<name>, active app, <state>" or "<name>, <state>" (what a screen reader says). */
export async function appRowLabel(page: Page, name: string): Promise<string> {
  return (await appRow(page, name).getAttribute('aria-label', { timeout: 15_000 })) ?? '';
}

/** Waits (bounded) until the row of `name` says something matching `pattern`, and returns that. */
export async function waitForAppRow(page: Page, name: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await appRowLabel(page, name).catch(() => '');
    if (pattern.test(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`The Apps view's row "${name}" did not show ${String(pattern)} within ${timeoutMs / 1000} s; it said "${last}".`);
}

/** Hovers the app's row and clicks one of its inline actions (Authorize App, Refresh Access Token, Call the API). */
export async function clickInlineAppAction(page: Page, name: string, action: string): Promise<void> {
  const row = appRow(page, name);
  await row.hover({ timeout: 15_000 });
  await row.locator(`.actions .action-label[aria-label^="${action}"]`).first().click({ timeout: 15_000 });
}

/** Right-clicks the app's row and picks `item` (e.g. "Remove App…") from its context menu. */
export async function clickAppContextMenuItem(page: Page, name: string, item: string): Promise<void> {
  await appRow(page, name).click({ button: 'right', timeout: 15_000 });
  const menu = page.locator('.monaco-menu').first();
  const entry = menu.locator('.action-item', { hasText: item }).first();
  await entry.waitFor({ state: 'visible', timeout: 15_000 });
  // The menu ignores a click that comes right after it opened (as in editorText.ts's context menu), so the
  // pointer rests on the entry first, and the click is repeated, a bounded number of times, while it stays open.
  for (let attempt = 1; await menu.isVisible(); attempt++) {
    if (attempt > 3) throw new Error(`The Apps view's context menu did not run "${item}".`);
    await entry.hover();
    await page.waitForTimeout(300);
    await entry.click({ timeout: 5_000 }).catch(() => undefined);
    await page.waitForTimeout(300);
  }
}

/** Clicks one of the view's title-bar actions (Configure App, Switch App…). */
export async function clickAppsViewTitleAction(page: Page, action: string): Promise<void> {
  const container = appsContainer(page);
  // Title actions of a pane show while the pointer is over the side bar.
  await container.hover({ timeout: 15_000 });
  await page.locator(`.part.sidebar .action-label[aria-label^="${action}"]`).first().click({ timeout: 15_000 });
}
