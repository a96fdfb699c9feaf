/**
 * The only module that touches axios. Callers get status, headers and the raw body of every response and
 * decide what it means (an OAuth error body is information, not an exception); only transport failures
 * (timeout, refused connection, DNS, TLS) are thrown, as {@link TransportError}s that name the host and the fix.
 *
 * axios is imported lazily on the first request so that activating the extension does not evaluate it,
 * and always with its fetch adapter: in the extension host, fetch honours VS Code's proxy settings, and
 * the bundle only carries axios' platform-neutral build (see esbuild.mjs).
 */
import type { AxiosStatic } from 'axios';
import { ConfigurationError, OAuthError, TransportError } from '../errors/oauthError';
import { redactUrl } from '../text/redact';
import { formUrlEncode } from './formUrlEncoding';

export const DEFAULT_HTTP_TIMEOUT_MS = 15_000;

/**
 * Bodies are read only up to these sizes: axios' fetch adapter ignores maxContentLength, and a hostile or
 * broken endpoint could otherwise fill the extension host's memory. postForm goes to the token endpoint
 * (a token response is a few KB); get is the API call, whose JSON pages can be large.
 */
export const RESPONSE_LIMITS = { postForm: 1024 * 1024, get: 10 * 1024 * 1024 } as const;

export interface HttpRequestOptions {
  /** Overrides the client's timeout for this request (default 15 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Names the endpoint in error messages: "The token endpoint" reads better than a bare host. */
  label?: string;
  /**
   * Follow 3xx responses. Off by default: a redirect must not carry the client secret, a token or a
   * subscription key to wherever a Location header points; the caller sees the 3xx instead.
   */
  followRedirects?: boolean;
  /** Largest body read before the request fails with `response_too_large` (default: see {@link RESPONSE_LIMITS}). */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers (Set-Cookie) joined with ", ". */
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/** Injected everywhere an HTTP call is made, so tests can fake it and the editor can wrap it for logging. */
export interface HttpClient {
  /** POST with an application/x-www-form-urlencoded body. */
  postForm(
    url: string,
    form: Readonly<Record<string, string>>,
    headers?: Readonly<Record<string, string>>,
    options?: HttpRequestOptions,
  ): Promise<HttpResponse>;
  get(url: string, headers?: Readonly<Record<string, string>>, options?: HttpRequestOptions): Promise<HttpResponse>;
}

export interface HttpClientDefaults {
  timeoutMs?: number;
}

export function createHttpClient(defaults: HttpClientDefaults = {}): HttpClient {
  const timeoutFor = (options: HttpRequestOptions): number => options.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  return {
    postForm: (url, form, headers = {}, options = {}) =>
      send(
        {
          method: 'POST',
          url,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: formUrlEncode(form),
        },
        { maxBodyBytes: RESPONSE_LIMITS.postForm, ...options },
        timeoutFor(options),
      ),
    get: (url, headers = {}, options = {}) =>
      send({ method: 'GET', url, headers: { ...headers } }, { maxBodyBytes: RESPONSE_LIMITS.get, ...options }, timeoutFor(options)),
  };
}

interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

let axiosLoading: Promise<AxiosStatic> | undefined;

function loadAxios(): Promise<AxiosStatic> {
  axiosLoading ??= import('axios').then((module) => module.default);
  return axiosLoading;
}

async function send(request: OutgoingRequest, options: HttpRequestOptions, timeoutMs: number): Promise<HttpResponse> {
  const target = checkedUrl(request.url, options.label);
  const context: FailureContext = { target, timeoutMs, label: options.label ?? 'The server', signal: options.signal };
  const axios = await loadAxios();
  const started = performance.now();
  try {
    const response = await axios.request<string>({
      url: request.url,
      method: request.method,
      headers: request.headers,
      data: request.body,
      adapter: 'fetch',
      timeout: timeoutMs,
      signal: options.signal,
      validateStatus: () => true,
      // The body stream itself, read below with a size limit; axios neither buffers nor parses it.
      responseType: 'stream',
      transformResponse: [(body: unknown) => body],
      fetchOptions: { redirect: options.followRedirects === true ? 'follow' : 'manual' },
    });
    const headers = flattenHeaders(response.headers);
    const body = await readLimited(response.data as unknown, Number(headers['content-length']), options.maxBodyBytes ?? RESPONSE_LIMITS.get, context);
    return { status: response.status, headers, body, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw error instanceof OAuthError ? error : transportError(error, context);
  }
}

/** The body as UTF-8 text, cancelled as soon as it (or its declared length) passes `limit` bytes. */
async function readLimited(stream: unknown, declaredLength: number, limit: number, context: FailureContext): Promise<string> {
  const tooLarge = (): OAuthError => new TransportError({
    code: 'response_too_large',
    description: `${context.label} (${context.target.host}) sent a response larger than ${formatBytes(limit)}; it was not read further.`,
    hint: 'Check the URL: a token endpoint or API answers with far less. For an API, request a smaller page.',
  });
  if (typeof stream === 'string') {
    return stream;
  }
  if (typeof (stream as { getReader?: unknown } | null)?.getReader !== 'function') {
    return '';
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  if (declaredLength > limit) {
    await reader.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return text + decoder.decode();
    }
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MiB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

function checkedUrl(url: string, label: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError({ code: 'invalid_configuration', description: `${label ?? 'The'} URL "${redactUrl(url)}" is not an absolute URL.` });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigurationError({
      code: 'invalid_configuration',
      description: `${label ?? 'The'} URL "${redactUrl(url)}" must start with https:// (or http:// for localhost).`,
    });
  }
  return parsed;
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const source: unknown =
    typeof headers === 'object' && headers !== null && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): unknown }).toJSON()
      : headers;
  const flat: Record<string, string> = {};
  if (typeof source !== 'object' || source === null) {
    return flat;
  }
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) {
      continue;
    }
    flat[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return flat;
}

interface FailureContext {
  target: URL;
  timeoutMs: number;
  label: string;
  signal: AbortSignal | undefined;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN']);
const TLS_CODE = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;

/**
 * Maps a thrown transport error to an OAuthError. Deliberately never copies the underlying message: some
 * (e.g. undici's invalid-header error) quote the offending header value, which may be a secret.
 */
function transportError(error: unknown, context: FailureContext): OAuthError {
  const { target, label } = context;
  const host = target.host;
  const codes = errorCodes(error);
  const has = (set: ReadonlySet<string>): string | undefined => codes.find((code) => set.has(code));
  const fail = (code: string, description: string, hint?: string): OAuthError => {
    const init = hint === undefined ? { code, description, cause: error } : { code, description, hint, cause: error };
    // A cancellation is the user's doing, not the network's.
    return code === 'cancelled' ? new OAuthError(init) : new TransportError(init);
  };

  if (context.signal?.aborted === true || codes.includes('ERR_CANCELED')) {
    return fail('cancelled', `The request to ${host} was cancelled.`);
  }
  if (has(TIMEOUT_CODES) !== undefined) {
    return fail('timeout', `${label} (${host}) did not answer within ${formatDuration(context.timeoutMs)}.`);
  }
  if (codes.includes('ECONNREFUSED')) {
    return fail(
      'network_error',
      `${label} (${host}) refused the connection.`,
      'Check the URL (host and port) and that the server is running.',
    );
  }
  if (has(DNS_CODES) !== undefined) {
    return fail(
      'network_error',
      `The host name "${target.hostname}" could not be resolved.`,
      'Check the host name in the URL, your network connection and proxy settings.',
    );
  }
  if (has(RESET_CODES) !== undefined) {
    return fail('network_error', `${label} (${host}) closed the connection unexpectedly.`);
  }
  if (has(UNREACHABLE_CODES) !== undefined) {
    return fail('network_error', `${label} (${host}) is unreachable from this machine.`);
  }
  const tls = codes.find((code) => TLS_CODE.test(code));
  if (tls !== undefined) {
    return fail(
      'network_error',
      `The TLS certificate of ${host} was not accepted (${tls}).`,
      'Check the URL; behind a TLS-inspecting proxy, make its CA certificate trusted by the editor.',
    );
  }
  if (isInvalidHeaderError(error)) {
    return fail(
      'invalid_configuration',
      'A request header value contains characters HTTP does not allow (often a line break pasted with a key or secret).',
      'Run Configure App and paste the secret or subscription key again.',
    );
  }
  const detail = codes.find((code) => code !== 'ERR_NETWORK');
  return fail('network_error', `${label} (${host}) could not be reached${detail === undefined ? '' : ` (${detail})`}.`);
}

/** Every `code` along the cause chain; undici nests the socket error one or two levels down, sometimes in an AggregateError. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const pending: unknown[] = [error];
  for (let visited = 0; pending.length > 0 && visited < 16; visited += 1) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    if (cause !== undefined) {
      pending.push(cause);
    }
    if (Array.isArray(errors)) {
      pending.push(...errors);
    }
  }
  return codes;
}

function isInvalidHeaderError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth += 1) {
    if (/invalid header|header value/i.test(String((current as { message?: unknown }).message))) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) {
    return `${milliseconds} ms`;
  }
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
