// Plays the end user's part of an authorization request against the sandbox
// (oidc-provider's development interactions) over plain HTTP, so protocol
// tests need no browser. The final redirect to the client is returned, not
// followed: delivering it is the job of whatever the test is exercising.

export interface HeadlessConsentOptions {
  /** Cancel the interaction instead of consenting; the client then receives `error=access_denied`. */
  deny?: boolean;
  /** The account to sign in as (becomes the token's `sub`); default "sandbox-user". */
  login?: string;
  /** Any non-empty value works with development interactions; default "sandbox-password". */
  password?: string;
  /** Upper bound on HTTP requests made; default 15. */
  maxHops?: number;
  /** Per-request timeout; default 10 000 ms. */
  requestTimeoutMs?: number;
}

/**
 * Starts at `authorizationUrl`, signs in and consents (or cancels), and
 * resolves with the authorization response: the redirect to the request's
 * `redirect_uri`, carrying `code`, `state` and `iss`, or `error`.
 *
 * Throws if the flow ends anywhere else (an error page, a redirect to an
 * unexpected place, or too many hops), quoting what the server said.
 */
export async function consentHeadlessly(authorizationUrl: string, options: HeadlessConsentOptions = {}): Promise<URL> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  const expected = redirectUri === null ? undefined : URL.parse(redirectUri) ?? undefined;
  const login = options.login ?? 'sandbox-user';
  const password = options.password ?? 'sandbox-password';
  const maxHops = options.maxHops ?? 15;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;

  const jar = new CookieJar();
  const trail: string[] = [];
  let request: { method: 'GET' | 'POST'; url: URL; body?: URLSearchParams } = { method: 'GET', url: start };

  for (let hop = 0; hop < maxHops; hop++) {
    trail.push(`${request.method} ${request.url.href}`);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = jar.header(request.url);
    if (cookie) {
      headers.cookie = cookie;
    }
    if (request.body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }

    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body?.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    jar.store(request.url, response.headers.getSetCookie());

    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) {
        throw flowError(`${response.status} redirect without a Location header`, trail);
      }
      const target = new URL(location, request.url);
      if (expected && isSameEndpoint(target, expected)) {
        return target;
      }
      if (target.origin === start.origin) {
        request = { method: 'GET', url: target };
        continue;
      }
      throw flowError(`redirected to ${target.href}, which is neither the server nor the redirect_uri ${redirectUri ?? '(none given)'}`, trail);
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw flowError(`${response.status} ${response.statusText}: ${describePage(html)}`, trail);
    }

    if (options.deny) {
      const abort = findLink(html, /\/abort(?:[?#]|$)/);
      if (!abort) {
        throw flowError(`no way to cancel on this page: ${describePage(html)}`, trail);
      }
      request = { method: 'GET', url: new URL(abort, request.url) };
      continue;
    }

    const form = findForm(html);
    if (!form) {
      throw flowError(`expected a sign-in or consent form, got: ${describePage(html)}`, trail);
    }
    const body = new URLSearchParams(form.fields);
    // A login_hint pre-fills the field; an explicit option still wins.
    if (body.has('login') && (options.login !== undefined || !body.get('login'))) {
      body.set('login', login);
    }
    if (body.has('password')) {
      body.set('password', password);
    }
    const method = form.method === 'POST' ? 'POST' : 'GET';
    const url = new URL(form.action || request.url.href, request.url);
    if (method === 'GET') {
      url.search = body.toString();
    }
    request = method === 'POST' ? { method, url, body } : { method, url };
  }

  throw flowError(`gave up after ${maxHops} requests`, trail);
}

function isSameEndpoint(actual: URL, expected: URL): boolean {
  return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
}

function flowError(message: string, trail: readonly string[]): Error {
  return new Error(`Headless consent failed: ${message}\nRequests made:\n  ${trail.join('\n  ')}`);
}

// --- Just enough HTML reading for oidc-provider's development views ----------

interface Form {
  action: string;
  method: string;
  fields: [string, string][];
}

function findForm(html: string): Form | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) {
    return undefined;
  }
  const attributes = parseAttributes(match[1]);
  const fields: [string, string][] = [];
  for (const input of match[2].matchAll(/<input\b([^>]*)>/gi)) {
    const field = parseAttributes(input[1]);
    if (field.name !== undefined && !['submit', 'button', 'image', 'reset'].includes((field.type ?? '').toLowerCase())) {
      fields.push([field.name, field.value ?? '']);
    }
  }
  return { action: attributes.action ?? '', method: (attributes.method ?? 'GET').toUpperCase(), fields };
}

function findLink(html: string, href: RegExp): string | undefined {
  for (const anchor of html.matchAll(/<a\b([^>]*)>/gi)) {
    const target = parseAttributes(anchor[1]).href;
    if (target !== undefined && href.test(target)) {
      return target;
    }
  }
  return undefined;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, doubleQuoted, singleQuoted, bare] of source.matchAll(
    /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g,
  )) {
    attributes[name.toLowerCase()] = decodeEntities(doubleQuoted ?? singleQuoted ?? bare ?? '');
  }
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** A short, readable account of a page for error messages: the sandbox's error block if present, else its text. */
function describePage(html: string): string {
  const detail = /<pre id="error">([\s\S]*?)<\/pre>/i.exec(html)?.[1] ?? html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ');
  const text = decodeEntities(detail).replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 500)}…` : text || '(empty page)';
}

// --- A cookie jar for a single host --------------------------------------------

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires?: number;
}

/**
 * Only as much of RFC 6265 as one loopback origin needs: oidc-provider scopes
 * its interaction cookies by path (/interaction/<uid>, /auth/<uid>) and
 * clears them with past expiry dates, so both must be honoured for the
 * provider to see the cookies it expects.
 */
class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  store(requestUrl: URL, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair, ...attributeParts] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) {
        continue;
      }
      const cookie: StoredCookie = {
        name: pair.slice(0, separator).trim(),
        value: pair.slice(separator + 1).trim(),
        path: defaultPath(requestUrl),
      };
      for (const part of attributeParts) {
        const [rawKey, ...rest] = part.split('=');
        const key = rawKey.trim().toLowerCase();
        const value = rest.join('=').trim();
        if (key === 'path' && value.startsWith('/')) {
          cookie.path = value;
        } else if (key === 'max-age' && /^-?\d+$/.test(value)) {
          cookie.expires = Date.now() + Number(value) * 1000;
        } else if (key === 'expires' && cookie.expires === undefined) {
          const date = Date.parse(value);
          if (!Number.isNaN(date)) {
            cookie.expires = date;
          }
        }
      }
      const id = `${cookie.name}\u0000${cookie.path}`;
      if (cookie.expires !== undefined && cookie.expires <= Date.now()) {
        this.cookies.delete(id);
      } else {
        this.cookies.set(id, cookie);
      }
    }
  }

  header(requestUrl: URL): string {
    const now = Date.now();
    return [...this.cookies.values()]
      .filter((cookie) => (cookie.expires === undefined || cookie.expires > now) && pathMatches(requestUrl.pathname, cookie.path))
      // RFC 6265 §5.4: longer paths first, so the most specific cookie wins for servers that read the first one.
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }
}

function defaultPath(url: URL): string {
  const lastSlash = url.pathname.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : url.pathname.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}
