/**
 * The API URL every snippet embeds, computed once here so that all ten languages send the same request
 * target: what the user typed, percent-encoded once. Each language's HTTP client differs in what it
 * encodes itself (fetch encodes a space but leaves `[`, curl and PHP send it raw and the server answers
 * 400, Java's URI.create and Ruby's URI throw), so a snippet gets a URL none of them needs to touch.
 */
import { wellFormed } from './languages/stringEscapes';

/**
 * What is percent-encoded. RFC 3986 §3.3 and §3.4: a path or query character needs no encoding when it is
 * unreserved, a sub-delim, ":", "@", "/" or "?". Everything else, including "[", "]", "{", "}", "#", a space and any non-ASCII
 * character, is percent-encoded as UTF-8. A "%" that starts a %XX escape stays as it is, so a path the
 * user already encoded is not encoded twice; any other "%" becomes %25.
 */
const NEEDS_ENCODING = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu;

/**
 * `text` (a path with its query) percent-encoded once, by the rule above. A lone surrogate has no UTF-8
 * form: U+FFFD stands for it (wellFormed), as the editor's own requests send it.
 */
export function encodeRequestTarget(text: string): string {
  return wellFormed(text).replace(NEEDS_ENCODING, encodeURIComponent);
}

/**
 * The URL of an API call: base URL and path joined with exactly one slash, as a user expects from "base
 * + path", with everything after the base URL's origin encoded by {@link encodeRequestTarget}. The
 * origin is left as configured (a validated URL, and `[` there belongs to an IPv6 literal). With an
 * empty path it is the configured URL itself, encoded the same way (the token and authorization endpoints).
 */
export function apiRequestUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '');
  const tail = path.trim();
  const joined = tail === '' ? base : `${base}${tail.startsWith('/') ? '' : '/'}${tail}`;
  const origin = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(joined)?.[0] ?? '';
  return origin + encodeRequestTarget(joined.slice(origin.length));
}
