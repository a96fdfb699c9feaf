// The page the browser shows after the loopback redirect. Provider text is escaped: anyone who can
// make the browser open the loopback URL controls it.
import { describeIgnoredCallback } from '../../core/protocol/ignoredCallback';
import type { CallbackOutcome } from '../../core/protocol/pendingAuthorizations';

export type LoopbackPageResult =
  | { kind: 'success' }
  | { kind: 'error'; title: string; detail: string }
  | { kind: 'notFound' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

export function renderLoopbackPage(result: LoopbackPageResult, returnToEditorUri?: string): string {
  const { title, body } = content(result);
  // An editor scheme such as vscode://; never a scheme the browser would execute.
  const back = returnToEditorUri && /^[a-z][a-z0-9+.-]*:\/\//i.test(returnToEditorUri) && !/^(javascript|data|vbscript):/i.test(returnToEditorUri)
    ? `<p><a href="${escapeHtml(returnToEditorUri)}">Return to the editor</a></p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`
    + '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style></head>'
    + `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>${back}</body></html>`;
}

function content(result: LoopbackPageResult): { title: string; body: string } {
  switch (result.kind) {
    case 'success':
      return { title: 'Authorization received', body: 'The editor is exchanging the code for tokens. You can close this tab.' };
    case 'error':
      return { title: result.title, body: result.detail };
    case 'notFound':
      return { title: 'Not found', body: 'This server only receives the authorization response.' };
  }
}

/**
 * The page for what became of a delivered callback, and whether the loopback server may close. A stray or
 * forged request never closes it: the genuine response may still be on its way.
 */
export function loopbackAnswer(outcome: CallbackOutcome): { page: LoopbackPageResult; done: boolean } {
  switch (outcome.kind) {
    case 'accepted':
      return { page: { kind: 'success' }, done: true };
    case 'rejected':
      return { page: { kind: 'error', title: 'Authorization failed', detail: outcome.error.message }, done: true };
    case 'noPending': {
      const { title, detail } = describeIgnoredCallback(outcome);
      return { page: { kind: 'error', title, detail }, done: false };
    }
  }
}
