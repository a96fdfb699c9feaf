/**
 * Reading the query of a callback that reached the editor's URI handler, which arrives in one of two forms:
 *
 * - `decoded` (desktop VS Code): Uri.parse percent-decodes every component once (microsoft/vscode
 *   src/vs/base/common/uri.ts, percentDecode), so `uri.query` holds `code=a+b&c` for a sent
 *   `code=a%2Bb%26c`. Decoding again, as URLSearchParams does, made that `a b`. Values are therefore
 *   taken as they are, and a query whose structure a decoded `&` may have changed is refused rather than
 *   guessed at. One case stays undetectable: a value holding `&name=value` reads as an extra parameter; a
 *   code cut that way fails at the token endpoint (invalid_grant), and a second `state`, `code`, `iss` or
 *   `error` is refused by validateCallback, so it cannot redirect the response.
 * - `encoded` (VS Code for the Web, code-server): the callback page re-serialises the parameters with
 *   URLSearchParams (microsoft/vscode src/vs/code/browser/workbench/callback.html), so the query is a
 *   well-formed form-encoded string, decoded here exactly once.
 */
import { OAuthError } from '../errors/oauthError';

export type ParsedCallbackQuery =
  | { ok: true; parameters: [string, string][] }
  | { ok: false; error: OAuthError };

/** Parameter names as OAuth and OpenID Connect spell them (RFC 6749 Appendix A: unreserved characters). */
const PARAMETER_NAME = /^[A-Za-z0-9._~-]+$/;

export type CallbackQueryForm = 'decoded' | 'encoded';

export function parseCallbackQuery(query: string, form: CallbackQueryForm): ParsedCallbackQuery {
  if (form === 'encoded') {
    return { ok: true, parameters: [...new URLSearchParams(query)] };
  }
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
