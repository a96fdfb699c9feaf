// Text editors in the workbench, handled as a person would: open a workspace file with Quick Open, read
// what the active editor shows, use its context menu, save and read the file back from disk.
import { existsSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/** The editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Opens a file of the workspace by name with Quick Open (Ctrl+P) and waits until its tab is active. */
export async function openWorkspaceFile(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  // A file created a moment ago may not be indexed yet: reopen Quick Open a few times, bounded.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(name);
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 5) throw new Error(`Quick Open did not find ${name}.`, { cause: error });
      await page.keyboard.press('Escape');
    }
  }
  await row.click();
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** The lines the active editor renders (only those in view), with its non-breaking spaces made plain. */
export async function visibleEditorText(page: Page): Promise<string> {
  return (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** Waits until the active editor shows `text`. */
export async function waitForEditorText(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await visibleEditorText(page)).includes(text)) {
    if (Date.now() > deadline) throw new Error(`The editor did not show "${text}" within ${timeoutMs / 1000} s:\n${await visibleEditorText(page)}`);
    await page.waitForTimeout(200);
  }
}

/** Selects everything in the active editor and deletes it. */
export async function clearActiveEditor(page: Page): Promise<void> {
  await activeEditor(page).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
}

/**
 * Saves the active editor (Ctrl+S) and returns the file's content once `ready` accepts it: the save
 * lands on disk a moment later, so this presses Ctrl+S again until it does, bounded.
 */
export async function saveAndRead(page: Page, file: string, ready: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(300);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (ready(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} did not reach the expected content within ${timeoutMs / 1000} s; it holds:\n${text.slice(0, 2000)}`);
  }
}

/**
 * Right-clicks into the active editor and runs the context menu entry whose label matches. The menu
 * ignores a click that comes right after it opened, so the pointer rests on the entry first, and the
 * click is repeated (bounded) while the menu stays open.
 */
export async function runEditorContextMenu(page: Page, label: string | RegExp): Promise<void> {
  await activeEditor(page).locator('.view-lines').click({ button: 'right' });
  const menu = page.locator('.monaco-menu').first();
  const item = menu.locator('.action-item', { hasText: label }).first();
  await item.waitFor({ timeout: 10_000 });
  for (let attempt = 1; await menu.isVisible(); attempt++) {
    if (attempt > 3) throw new Error(`The context menu did not run "${String(label)}".`);
    await item.hover();
    await page.waitForTimeout(300);
    await item.click();
    await page.waitForTimeout(300);
  }
}
