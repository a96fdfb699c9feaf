/**
 * Reading the query of a callback that reached the editor's URI handler. The editor has already decoded
 * it once: desktop VS Code's Uri.parse percent-decodes every component (microsoft/vscode
 * src/vs/base/common/uri.ts, percentDecode), and the web callback page re-joins decoded values as
 * `name=value` (microsoft/vscode resources/web/code-web.js, handleCallback). Decoding again, as
 * URLSearchParams does, turned a code `a%2Bb` into `a b`. So values are taken as they are, and a query
 * whose structure a decoded `&` or `=` may have changed is refused rather than guessed at.
 *
 * One case stays undetectable: a value holding `&name=value` (encoded) reads as an extra parameter. A code
 * cut that way fails at the token endpoint (invalid_grant); a second `state`, `code`, `iss` or `error`
 * is refused by validateCallback, so it cannot redirect the response.
 */
import { OAuthError } from './oauthError';

export type ParsedCallbackQuery =
  | { ok: true; parameters: [string, string][] }
  | { ok: false; error: OAuthError };

/** Parameter names as OAuth and OpenID Connect spell them (RFC 6749 Appendix A: unreserved characters). */
const PARAMETER_NAME = /^[A-Za-z0-9._~-]+$/;

export function parseCallbackQuery(query: string): ParsedCallbackQuery {
  if (query === '') {
    return { ok: true, parameters: [] };
  }
  const parameters: [string, string][] = [];
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    // A pair without `=`, an empty one or a name no provider uses is a value's decoded `&` showing.
    if (equals === -1 || !PARAMETER_NAME.test(name)) {
      return { ok: false, error: ambiguous() };
    }
    const value = pair.slice(equals + 1);
    // error_description is prose, where a form-encoded space arrives as `+` in desktop VS Code.
    parameters.push([name, name === 'error_description' ? value.replace(/\+/g, ' ') : value]);
  }
  return { ok: true, parameters };
}

function ambiguous(): OAuthError {
  return new OAuthError({
    code: 'invalid_callback',
    description: 'The callback\'s query is ambiguous: after the editor decoded it, a value contains "&" or "=", '
      + 'so its parameters cannot be told apart. It was not used.',
    hint: 'Use the loopback redirect mode (Configure App), which receives the query undecoded.',
  });
}
