// Reads the extension's read-only views (Tokens.md, API Response.md) as a person sees them: the text of
// the active editor, line by line. Monaco only renders the lines in view and positions them absolutely,
// reusing DOM nodes in any order, so the lines are sorted by their position. Sessions that read views
// should turn word wrap off for markdown, or a long line shows up as several.
import type { Locator, Page } from 'playwright-core';

/** User settings that make every line of a view one rendered line and fit more of them on screen. */
export const READABLE_VIEW_SETTINGS = {
  '[markdown]': { 'editor.wordWrap': 'off' },
  'editor.fontSize': 11,
  'editor.minimap.enabled': false,
};

/** The little of the DOM this file touches (the project compiles without the DOM library). */
interface RenderedLine {
  style: { top: string };
  textContent: string | null;
}
interface LinesContainer {
  querySelectorAll(selector: string): ArrayLike<RenderedLine>;
}

function activeGroup(page: Page): Locator {
  return page.locator('.editor-group-container.active').first();
}

/** The visible text of the active editor, or undefined when the active tab is not `name`. */
export async function visibleViewText(page: Page, name: string): Promise<string | undefined> {
  const group = activeGroup(page);
  // The tab shows the name in two parts ("Tokens" and ".md"); its data attribute has it whole.
  const tab = await group.locator('.tab.active').first().getAttribute('data-resource-name', { timeout: 2_000 }).catch(() => null);
  if (tab !== name) return undefined;
  return group.locator('.monaco-editor .view-lines').first().evaluate((container) => {
    const rows = Array.from((container as unknown as LinesContainer).querySelectorAll(':scope > .view-line'));
    return rows
      .map((row) => ({ top: Number.parseFloat(row.style.top) || 0, text: (row.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((first, second) => first.top - second.top)
      .map((row) => row.text)
      .join('\n');
  });
}

/**
 * Waits (bounded) until the view `name` is the active editor and its visible text matches `pattern`, and
 * returns that text. Views are replaced in place (Reveal, a retried call), so this waits for the new text.
 */
export async function waitForViewText(page: Page, name: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = await visibleViewText(page, name).catch(() => undefined);
    if (last !== undefined && pattern.test(last)) return last;
    await page.waitForTimeout(250);
  }
  const seen = last === undefined ? `the active tab was not "${name}"` : `it showed:\n${last}`;
  throw new Error(`The view "${name}" did not show ${String(pattern)} within ${timeoutMs / 1000} s; ${seen}`);
}

/** Clicks one of the active editor's title bar actions (e.g. "Reveal Token Values") by its label. */
export async function clickEditorTitleAction(page: Page, label: string): Promise<void> {
  await activeGroup(page).locator(`.editor-actions .action-label[aria-label^="${label}"]`).first().click({ timeout: 15_000 });
}
