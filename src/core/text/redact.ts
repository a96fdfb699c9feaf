/**
 * Redaction for anything that may be logged or shown: URLs, form bodies, headers and free text.
 * Every helper works on the string as given (no parse-and-reserialise), so the non-secret parts of a
 * URL stay byte-for-byte what was sent and a log line can still be compared with the provider's docs.
 */

/**
 * Query/form parameter names whose values are credentials or single-use secrets. `state` and `code`
 * are included: a leaked code plus state is enough to finish someone else's authorization. So is `nonce`:
 * with it, an ID token minted for this request could be replayed into it.
 */
export const SECRET_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  'code',
  'state',
  'nonce',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'password',
]);

/**
 * Parameters whose value is itself a query string. code-server (and VS Code for the Web) delivers the
 * callback as `…/callback?vscode-scheme=…&vscode-query=<the real query, encoded>`, so the code and
 * state hide one level down.
 */
const NESTED_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['vscode-query']);

/** Header names whose values are credentials. Compared lower-case. */
const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'bb-api-subscription-key',
  'ocp-apim-subscription-key',
  'x-api-key',
]);

/** Below this length even a four-character prefix gives away too much of the value. */
const MIN_LENGTH_FOR_PREFIX = 16;
const PREFIX_LENGTH = 4;

/**
 * A short, display-safe stand-in for a secret: `eyJh…(1234 chars)`. The prefix lets a developer tell two
 * tokens apart (and recognise a JWT) without the value being usable.
 */
export function mask(value: string): string {
  if (value.length === 0) {
    return '(empty)';
  }
  const size = `(${value.length} chars)`;
  return value.length >= MIN_LENGTH_FOR_PREFIX ? `${value.slice(0, PREFIX_LENGTH)}…${size}` : `…${size}`;
}

/**
 * The URL with the values of secret parameters masked, in the query, in the fragment (implicit-style
 * responses put tokens there), inside code-server's nested `vscode-query`, and a password in the
 * userinfo. Works on strings that are not valid URLs too, because the thing being logged is often a
 * malformed callback.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);

  let result = redactUserinfoPassword(base);
  if (query !== undefined) {
    result += `?${redactQuery(query)}`;
  }
  if (fragment !== undefined) {
    result += `#${redactQuery(fragment)}`;
  }
  return result;
}

/** A query string (without the leading `?`) with secret values masked; other pairs are untouched. */
export function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => redactPair(pair))
    .join('&');
}

/** A copy of a form body (e.g. a token request) with secret values masked, for a log or a preview. */
export function redactForm(form: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([name, value]) => [name, SECRET_PARAMETER_NAMES.has(name) ? mask(value) : value]),
  );
}

/**
 * A copy of the headers with credentials masked. `Authorization` keeps its scheme (`Basic …`, `Bearer …`)
 * because which scheme was sent is exactly what one needs to see when client authentication fails.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  extraSecretHeaderNames: readonly string[] = [],
): Record<string, string> {
  const extra = new Set(extraSecretHeaderNames.map((name) => name.toLowerCase()));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'proxy-authorization') {
        return [name, redactCredentials(value)];
      }
      return [name, SECRET_HEADER_NAMES.has(lower) || extra.has(lower) ? mask(value) : value];
    }),
  );
}

const TEXT_SECRET_NAMES = [...SECRET_PARAMETER_NAMES].join('|');
// `"code": "…"` in JSON is far more often an application error code than an authorization code, so JSON
// pairs leave `code` alone; in query/form syntax (`?code=…`) it is always the authorization code.
const JSON_SECRET_NAMES = [...SECRET_PARAMETER_NAMES].filter((name) => name !== 'code').join('|');
const JSON_SECRET_PAIR = new RegExp(`"(${JSON_SECRET_NAMES})"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');
const FORM_SECRET_PAIR = new RegExp(`(^|[?&#\\s;,])(${TEXT_SECRET_NAMES})=([^&#\\s"'<>]+)`, 'g');
// The lookahead demands a digit or one of -_+/= inside the value, so prose such as "Basic authentication."
// stays readable; real credentials (base64, JWTs, random strings) practically always contain one.
const AUTHORIZATION_CREDENTIALS = /\b(Bearer|Basic)\s+((?=[A-Za-z.~]*[0-9\-_+/=])[A-Za-z0-9\-._~+/]+=*)/g;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * Free text (a response body excerpt, an exception message) with anything token-shaped masked:
 * `name=value` and `"name": "value"` pairs for secret names, `Bearer …`/`Basic …` credentials and
 * JWT-looking strings. Best effort by nature; it exists so an excerpt of an unexpected body can be
 * shown without a token riding along.
 */
export function redactText(text: string): string {
  return text
    .replace(JSON_SECRET_PAIR, (_match, name: string, value: string) => `"${name}":"${mask(value)}"`)
    .replace(FORM_SECRET_PAIR, (_match, lead: string, name: string, value: string) => `${lead}${name}=${mask(value)}`)
    .replace(AUTHORIZATION_CREDENTIALS, (_match, scheme: string, value: string) => `${scheme} ${mask(value)}`)
    .replace(JWT_LIKE, (token) => mask(token));
}

function redactPair(pair: string): string {
  const equalsAt = pair.indexOf('=');
  if (equalsAt === -1) {
    return pair;
  }
  const rawName = pair.slice(0, equalsAt);
  const rawValue = pair.slice(equalsAt + 1);
  const name = decodeFormComponent(rawName);
  if (SECRET_PARAMETER_NAMES.has(name)) {
    return `${rawName}=${mask(decodeFormComponent(rawValue))}`;
  }
  if (NESTED_QUERY_PARAMETERS.has(name)) {
    return `${rawName}=${encodeQuerySeparators(redactQuery(decodeFormComponent(rawValue)))}`;
  }
  return pair;
}

function redactUserinfoPassword(base: string): string {
  return base.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]*)@/, (_match, lead: string, password: string) =>
    `${lead}${mask(password)}@`,
  );
}

function redactCredentials(value: string): string {
  const spaceAt = value.indexOf(' ');
  return spaceAt === -1 ? mask(value) : `${value.slice(0, spaceAt)} ${mask(value.slice(spaceAt + 1).trim())}`;
}

/** Decodes `+` and percent escapes; a malformed escape is kept as written rather than failing the log line. */
function decodeFormComponent(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * Re-encodes a redacted nested query only as far as needed to keep the outer query's structure intact,
 * so the masks (`…(43 chars)`) stay readable in the log.
 */
function encodeQuerySeparators(value: string): string {
  return value.replace(/[%&=#+\s]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
