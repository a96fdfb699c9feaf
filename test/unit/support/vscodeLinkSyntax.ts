/**
 * The link syntax VS Code's notifications render as clickable links, copied from microsoft/vscode
 * src/vs/base/common/linkedText.ts (parseLinkedText). A `command:` target runs a command when clicked, so
 * provider-controlled text shown in a notification must never match it.
 */
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/** The links VS Code would render in `text`; empty means the text stays plain. */
export function notificationLinksIn(text: string): string[] {
  return Array.from(text.matchAll(VSCODE_NOTIFICATION_LINK), (match) => match[0]);
}
