/**
 * Turning text that came from a server (error_description, an error page) into one short, inert line the
 * editor can show. Providers and anyone who can make the browser hit the callback control this text, so
 * it is treated as hostile: markup is dropped rather than escaped (the UI renders plain text, where an
 * escaped `&lt;` would just be noise), and characters that can make text display as something else are
 * removed.
 */
import { redactText } from './redact';

/** RFC 6749 error_description is meant to be a sentence; anything longer is noise or an attack. */
export const MAX_DESCRIPTION_LENGTH = 300;
/** Enough of a body to recognise it ("502 Bad Gateway", "Login required") without pasting the page. */
export const MAX_EXCERPT_LENGTH = 200;
/** Bounds the regex work on a huge body: only its beginning can end up in an excerpt anyway. */
const MAX_SCANNED_LENGTH = 16 * 1024;

const SCRIPT_OR_STYLE_ELEMENT = /<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const TAG_OR_COMMENT = /<[/!?A-Za-z][^>]*>/g;
const ANGLE_BRACKET = /[<>]/g;
const LINE_BREAK_OR_TAB = /[\t\n\v\f\r\u2028\u2029]/g;
/** C0/C1 controls, DEL, zero-width and bidi controls (the "Trojan Source" set, the Arabic letter mark included). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL_OR_INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const RUN_OF_SPACES = /\s{2,}/g;
/**
 * `[label](target)`: VS Code renders it as a link in a notification, and a `command:` target runs a command
 * when clicked (microsoft/vscode src/vs/base/common/linkedText.ts accepts https:, command: and file:). A
 * space between the brackets keeps the text and loses the link.
 */
const LINK_SYNTAX = /\]\s*\(/g;

/** One line of plain text: markup and control characters removed, whitespace collapsed, length-capped. */
export function sanitizeForDisplay(text: string, maxLength: number = MAX_DESCRIPTION_LENGTH): string {
  const plain = text
    .slice(0, MAX_SCANNED_LENGTH)
    .replace(SCRIPT_OR_STYLE_ELEMENT, ' ')
    .replace(TAG_OR_COMMENT, ' ')
    .replace(ANGLE_BRACKET, '')
    .replace(LINE_BREAK_OR_TAB, ' ')
    .replace(CONTROL_OR_INVISIBLE, '')
    .replace(LINK_SYNTAX, '] (')
    .replace(RUN_OF_SPACES, ' ')
    .trim();
  return truncate(plain, maxLength);
}

/** `[label](target)` turned into `[label] (target)`, which no notification renders as a link. */
export function breakLinkSyntax(text: string): string {
  return text.replace(LINK_SYNTAX, '] (');
}

/**
 * A short excerpt of a response body for an error message: sanitized like a description and with
 * anything token-shaped masked first, since an unexpected body can still carry credentials.
 */
export function bodyExcerpt(body: string, maxLength: number = MAX_EXCERPT_LENGTH): string {
  return sanitizeForDisplay(redactText(body.slice(0, MAX_SCANNED_LENGTH)), maxLength);
}

function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) {
    return text;
  }
  return `${characters.slice(0, Math.max(0, maxLength - 1)).join('').trimEnd()}…`;
}

