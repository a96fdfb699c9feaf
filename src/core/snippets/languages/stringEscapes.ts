/**
 * What every language's string-literal helper shares: the characters no literal holds raw, and how a
 * lone surrogate is spelled. A snippet must compile (Python refuses a NUL in its source, Go a BOM in
 * the middle of a file and a \ud800 escape, C# a U+2028 in a regular literal) and must read as it runs:
 * an invisible bidi override in a pasted client ID would make the code look like something else
 * (Trojan Source, CVE-2021-42574). Each helper spells these characters with its language's escape.
 */

/**
 * The characters a literal spells as an escape: C0 and C1 controls and DEL, the zero-width and bidi
 * format characters, U+2028/U+2029 (line ends in C#, JavaScript before ES2019) and U+FEFF.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
export const INVISIBLE = /[\0-\x1F\x7F-\x9F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;

/**
 * `value` with each lone surrogate replaced by U+FFFD. A lone surrogate has no UTF-8 form, so it cannot
 * be sent as it is; U+FFFD is what the editor's own requests send for it (TextEncoder), so every
 * language sends the same bytes.
 */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The UTF-16 code unit of `char` as upper-case hex, four digits. */
export function hex4(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

/** The UTF-8 bytes of `text`, as `\xNN` escapes. */
export function utf8Escapes(text: string): string {
  return [...new TextEncoder().encode(text)].map((byte) => `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The contents of a backslash-escaped literal quoted with `quote` (JavaScript, TypeScript, Python, Go,
 * C#): `\`, the quote, \n, \r and \t escaped, and every other invisible character as \uXXXX, which all
 * of them read.
 */
export function backslashEscaped(value: string, quote: '"' | "'"): string {
  const special = new RegExp(`[\\\\${quote}]|${INVISIBLE.source}`, 'g');
  return wellFormed(value).replace(special, (char) => NAMED[char] ?? (char === '\\' || char === quote ? `\\${char}` : `\\u${hex4(char)}`));
}

/**
 * The contents of a literal whose quoting has no escapes (single quotes in PHP, Ruby, bash and
 * PowerShell): `quoted` spells the ordinary text, and each run of invisible characters is spliced in
 * as `splice(run)`, an expression that closes the literal, joins the run and opens the literal again.
 */
export function splicedLiteral(value: string, quoted: (text: string) => string, splice: (run: string) => string): string {
  return wellFormed(value)
    .split(new RegExp(`(${INVISIBLE.source}+)`))
    .map((part, index) => (index % 2 === 1 ? splice(part) : quoted(part)))
    .join('');
}
