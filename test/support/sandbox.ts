import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

/** How a demo client authenticates at the sandbox token endpoint. */
export type SandboxTokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface SandboxClient {
  client_id: string;
  /** Absent for the public client. */
  client_secret?: string;
  token_endpoint_auth_method: SandboxTokenEndpointAuthMethod;
}

/** The JSON line test/sandbox/provider.mjs prints once it is listening. */
export interface SandboxInfo {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint: string;
  /** The keys its ID tokens are signed with; the same URL its discovery documents name. */
  jwks_uri: string;
  /** Base URL of the sandbox's SKY-like API; any `GET {api_base_url}/...` is protected. */
  api_base_url: string;
  /** `GET` it with a bearer token and the subscription key to prove a token works. */
  protected_resource: string;
  subscription_key_header: string;
  subscription_key: string;
  scopes: string[];
  clients: {
    basic: SandboxClient & { client_secret: string; token_endpoint_auth_method: 'client_secret_basic' };
    post: SandboxClient & { client_secret: string; token_endpoint_auth_method: 'client_secret_post' };
    public: SandboxClient & { token_endpoint_auth_method: 'none' };
    /**
     * A secret with "+", "/" and "=", and Basic credentials compared as SKY API compares them: base64 of
     * the raw "id:secret"; the RFC 6749 §2.3.1 spelling (form-urlencoded first) gets invalid_client.
     */
    sky: SandboxClient & { client_secret: string; token_endpoint_auth_method: 'client_secret_basic' };
    /** client_secret_basic; its refresh responses carry no refresh_token, and its refresh token never rotates. */
    keep: SandboxClient & { client_secret: string; token_endpoint_auth_method: 'client_secret_basic' };
  };
  /** Seconds. */
  access_token_ttl: number;
  /** Seconds. */
  refresh_token_ttl: number;
  events_url: string;
  /** With `codesWithReservedCharacters`: the fixed start of every authorization code, holding + % & = and /. */
  authorization_code_prefix?: string;
  /** The provider whose token-endpoint habits the sandbox imitates, when started with `quirks`. */
  quirks?: SandboxQuirks;
  /** The `discovery` option the server runs with. */
  discovery_mode: SandboxDiscoveryMode;
  /** Started as the second issuer (its own `second-…` clients; refresh tokens only with offline_access). */
  second_issuer: boolean;
}

/**
 * `github`: the token endpoint answers form-encoded unless the request has Accept: application/json, and
 * errors with HTTP 200 and GitHub's codes. `google`: a refresh token only when the authorization request
 * had access_type=offline (an offline_access scope alone brings none).
 */
export type SandboxQuirks = 'github' | 'google';

/**
 * How the sandbox's metadata documents differ from oidc-provider's (test/sandbox/README.md, "Discovery modes"):
 * `oauth-only` hides /.well-known/openid-configuration (RFC 8414's location only), `issuer-mismatch` names
 * another issuer, `malformed` makes code_challenge_methods_supported a string, `no-iss-parameter` leaves
 * authorization_response_iss_parameter_supported out.
 */
export type SandboxDiscoveryMode = 'standard' | 'oauth-only' | 'issuer-mismatch' | 'malformed' | 'no-iss-parameter';

/** One request the sandbox token endpoint answered. Tokens are never recorded. */
export interface SandboxEvent {
  grant_type: string | null;
  client_id: string | null;
  status: number;
  /** The OAuth error code when the request was refused. */
  error?: string;
  /** ISO 8601 timestamp. */
  at: string;
}

/** SKY API's gateway limits the sandbox can answer with (blackbaud/sky-api-docs, includes/basics/ratelimits.md, quotas.md). */
export interface SandboxApiLimit {
  /** 429 "Rate limit is exceeded. …" or 403 "Out of call volume quota. …". */
  status: 429 | 403;
  /** Seconds for Retry-After; default 1. */
  retryAfter?: number;
  /** Retry-After as delay-seconds (default) or as an HTTP-date. */
  format?: 'seconds' | 'date';
  /** How many API calls (with a valid subscription key) get this answer; default 1. */
  times?: number;
}

export interface SandboxOptions {
  /** Loopback IP address to listen on; default 127.0.0.1. With `allowHost`, that address. */
  host?: string;
  /**
   * One non-loopback address to listen on instead (the remote-browser suite's end of its veth pair), whose
   * redirect URIs are accepted too; needs `tls`. Never a wildcard: the provider refuses one.
   */
  allowHost?: string;
  /** Serve https with this certificate and key (PEM files); `ca` (PEM text) is what this process trusts for its own requests. */
  tls?: { certFile: string; keyFile: string; ca: string };
  /** Default 0, i.e. an ephemeral port. */
  port?: number;
  /** Seconds; default 3600. */
  accessTokenTtl?: number;
  /** Seconds; default 86400. */
  refreshTokenTtl?: number;
  /** How long to wait for the server to announce itself; default 20 000 ms. */
  startupTimeoutMs?: number;
  /** Lets {@link Sandbox.issued} list every code and token issued, for leak tests. */
  exposeIssuedTokens?: boolean;
  /** Every authorization code starts with `info.authorization_code_prefix` (+ % & = and /). */
  codesWithReservedCharacters?: boolean;
  /** Imitate a provider's token-endpoint habits (see {@link SandboxQuirks}). */
  quirks?: SandboxQuirks;
  /** Default `standard`. */
  discovery?: SandboxDiscoveryMode;
  /** A second provider: see {@link startSecondSandbox}. */
  secondIssuer?: boolean;
}

/** Where {@link startSecondSandbox} listens: another loopback address, so its issuer differs by host, not only by port. */
export const SECOND_ISSUER_HOST = '127.0.0.2';

export interface Sandbox {
  readonly info: SandboxInfo;
  /** Stops the server and resolves once the process has exited. Safe to call more than once. */
  stop(): Promise<void>;
  /** What the token endpoint has done so far, oldest first. */
  events(): Promise<SandboxEvent[]>;
  /** Everything the server wrote to stderr so far (truncated to the most recent part), for failure messages. */
  diagnostics(): string;
  /** Every authorization code, access token and refresh token issued so far (needs `exposeIssuedTokens`). */
  issued(): Promise<string[]>;
  /** Makes the next API call(s) answer with SKY's rate limit or quota; `undefined` disarms it. */
  limitApi(limit: SandboxApiLimit | undefined): Promise<void>;
}

const PROVIDER_SCRIPT = path.join('test', 'sandbox', 'provider.mjs');
const DEFAULT_STARTUP_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const KILL_GRACE_MS = 2_000;
const MAX_DIAGNOSTICS_CHARS = 64 * 1024;

/**
 * Starts test/sandbox/provider.mjs in a child process and resolves with the
 * endpoints and demo credentials it announces.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const root = findRepositoryRoot(__dirname);
  const args = [path.join(root, PROVIDER_SCRIPT), '--host', options.allowHost ?? options.host ?? '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.allowHost !== undefined) {
    args.push('--allow-host', options.allowHost);
  }
  if (options.tls !== undefined) {
    args.push('--tls-cert', options.tls.certFile, '--tls-key', options.tls.keyFile);
  }
  if (options.accessTokenTtl !== undefined) {
    args.push('--access-token-ttl', String(options.accessTokenTtl));
  }
  if (options.refreshTokenTtl !== undefined) {
    args.push('--refresh-token-ttl', String(options.refreshTokenTtl));
  }
  if (options.exposeIssuedTokens) {
    args.push('--expose-issued-tokens');
  }
  if (options.codesWithReservedCharacters) {
    args.push('--codes-with-reserved-characters');
  }
  if (options.quirks !== undefined) {
    args.push('--quirks', options.quirks);
  }
  if (options.discovery !== undefined) {
    args.push('--discovery', options.discovery);
  }
  if (options.secondIssuer) {
    args.push('--second-issuer');
  }
  // If this process dies without calling stop(), the server sees stdin close
  // and exits instead of lingering as an orphan.
  args.push('--exit-on-stdin-close');

  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Inside the VS Code extension host process.execPath is the Electron
    // binary, which only behaves like `node` with this variable set.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });

  let diagnostics = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    diagnostics = (diagnostics + chunk).slice(-MAX_DIAGNOSTICS_CHARS);
  });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });

  let info: SandboxInfo;
  try {
    info = await readAnnouncement(child, options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS, () => diagnostics);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }

  // Nothing more is expected on stdout, but it must keep draining; and a
  // forgotten stop() must not keep the test runner alive (the server exits by
  // itself when our stdin closes).
  child.stdout.resume();
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      if (await settlesWithin(exited, STOP_GRACE_MS)) {
        return;
      }
      child.kill('SIGKILL');
      if (!(await settlesWithin(exited, KILL_GRACE_MS))) {
        throw new Error(`Sandbox process ${child.pid} did not exit after SIGTERM and SIGKILL`);
      }
    })();
    return stopping;
  };

  const getJson = async <T>(url: string): Promise<T> => {
    if (options.tls) return (await httpsJson(url, options.tls.ca)) as T;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) {
      throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as T;
  };
  const events = (): Promise<SandboxEvent[]> => getJson<SandboxEvent[]>(info.events_url);
  const issued = (): Promise<string[]> => getJson<string[]>(`${info.issuer}/__sandbox/issued`);
  const limitApi = async (limit: SandboxApiLimit | undefined): Promise<void> => {
    const url = new URL(`${info.issuer}/__sandbox/api-limit`);
    if (limit) {
      url.searchParams.set('status', String(limit.status));
      url.searchParams.set('retry_after', String(limit.retryAfter ?? 1));
      url.searchParams.set('format', limit.format ?? 'seconds');
      url.searchParams.set('times', String(limit.times ?? 1));
    }
    const response = await fetch(url, { method: limit ? 'POST' : 'DELETE', signal: AbortSignal.timeout(5_000) });
    if (!response.ok) {
      throw new Error(`${limit ? 'POST' : 'DELETE'} ${url.href} answered ${response.status}: ${await response.text()}`);
    }
    await response.body?.cancel();
  };

  return { info, stop, events, issued, limitApi, diagnostics: () => diagnostics };
}

/**
 * A second sandbox issuer standing in for a second provider: on {@link SECOND_ISSUER_HOST} (its own port),
 * with its own issuer URL, signing keys and clients (`second-basic-client`, …), and a standard OpenID
 * Provider's refresh-token rule (only when offline_access is granted, OpenID Connect Core §11) instead of
 * SKY's refresh token on every exchange. Linux routes all of 127.0.0.0/8 to loopback; macOS only 127.0.0.1
 * unless an alias is added (`sudo ifconfig lo0 alias 127.0.0.2`), and then the start fails with EADDRNOTAVAIL.
 * `host` picks another loopback address: the e2e suites keep the first sandbox on 127.0.0.2 (code-server
 * rewrites 127.0.0.1 links opened externally), so their second issuer goes to 127.0.0.3.
 */
export function startSecondSandbox(options: Omit<SandboxOptions, 'secondIssuer'> = {}): Promise<Sandbox> {
  return startSandbox({ ...options, host: options.host ?? SECOND_ISSUER_HOST, secondIssuer: true });
}

/** GET over https trusting only `ca` (global fetch cannot be given a CA); bounded like the fetch calls. */
function httpsJson(url: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, agent: false, signal: AbortSignal.timeout(5_000) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${response.statusCode}: ${body}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as unknown);
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    request.on('error', reject);
  });
}

// This file runs from a compiled output folder (out/, out-sandbox/, ...), so
// the provider script is located from the repository root, not from here.
function findRepositoryRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, PROVIDER_SCRIPT))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the repository root (a folder with package.json and ${PROVIDER_SCRIPT}) above ${start}`);
    }
  }
}

function readAnnouncement(
  child: ChildProcessWithoutNullStreams,
  timeoutMs: number,
  diagnostics: () => string,
): Promise<SandboxInfo> {
  return new Promise<SandboxInfo>((resolve, reject) => {
    let buffered = '';

    const finish = (error: Error | undefined, info?: SandboxInfo): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) {
        reject(error);
      } else {
        resolve(info as SandboxInfo);
      }
    };
    const failure = (message: string): Error => {
      const stderr = diagnostics().trim();
      return new Error(`${message}${stderr ? `\n--- sandbox stderr ---\n${stderr}` : ' (sandbox wrote nothing to stderr)'}`);
    };

    const onData = (chunk: string): void => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline === -1) {
        return;
      }
      const line = buffered.slice(0, newline).trim();
      try {
        finish(undefined, parseAnnouncement(line));
      } catch (error) {
        finish(failure(`Sandbox printed an unexpected first line: ${(error as Error).message}\n${line}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(failure(`Sandbox exited before it was ready (${signal ?? `exit code ${code}`})`));
    };
    const onError = (error: Error): void => {
      finish(failure(`Could not start the sandbox with ${process.execPath}: ${error.message}`));
    };
    const timer = setTimeout(() => {
      finish(failure(`Sandbox did not announce itself within ${timeoutMs} ms`));
    }, timeoutMs);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function parseAnnouncement(line: string): SandboxInfo {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null) {
    throw new Error('not a JSON object');
  }
  const info = value as Partial<SandboxInfo>;
  for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'protected_resource', 'events_url'] as const) {
    if (typeof info[key] !== 'string') {
      throw new Error(`"${key}" is missing`);
    }
  }
  if (!info.clients?.basic || !info.clients.post || !info.clients.public || !info.clients.sky || !info.clients.keep) {
    throw new Error('"clients" must describe the basic, post, public, sky and keep clients');
  }
  return info as SandboxInfo;
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
