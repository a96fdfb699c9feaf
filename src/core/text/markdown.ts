/**
 * Markdown building blocks for the read-only views (the tokens view, API responses). What goes into them
 * came from a server (claims, provider fields, response bodies), so every helper makes sure that text stays
 * text: it cannot close its code block, break a table row or smuggle in invisible characters.
 */

/** C0/C1 controls except tab and line breaks, zero-width and bidi controls (the "Trojan Source" set, U+061C included). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** Text with invisible and control characters removed; line breaks kept as `\n`. */
export function visibleText(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
}

/** One line of visible text, at most `maxLength` characters. */
export function singleLine(text: string, maxLength = 500): string {
  const line = visibleText(text).replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

/** A fenced code block that the text cannot end early: the fence is longer than any backtick run inside. */
export function fence(language: string, text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  return `${marks}${language}\n${visibleText(text)}\n${marks}\n`;
}

/** Inline code for a one-line value (a token, a field name), safe whatever backticks it contains. */
export function inlineCode(text: string): string {
  const line = singleLine(text, Number.MAX_SAFE_INTEGER);
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longestRun + 1);
  // CommonMark strips one space at each end, so padding keeps a value that starts or ends with ` intact.
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${marks}${pad}${line}${pad}${marks}`;
}

/**
 * A table cell: one line, with the column separator escaped, and the brackets too, so a server's value
 * cannot become a link: `[x](command:y)` would be a link in a cell (and in the editor, the markdown extension
 * makes it ctrl-clickable), `<command:y>` an autolink and `<a href=…>` raw HTML. A backslash escapes any
 * ASCII punctuation in CommonMark (spec §2.4), so the text reads the same.
 */
export function tableCell(text: string): string {
  return singleLine(text).replace(/[\\|[\]<>]/g, '\\$&');
}

/** HTTP header lines for an `http` code block; a value from a server cannot add lines of its own. */
export function headerLines(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers).map(([name, value]) => `${name}: ${singleLine(value, 2000)}`).join('\n');
}
