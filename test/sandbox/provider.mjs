#!/usr/bin/env node
// Sandbox OAuth 2.0 authorization server for developing and testing the
// "Authorization Code Flow" extension without a real SKY API account.
//
// It is oidc-provider on a loopback address, configured to look like the parts
// of Blackbaud SKY API the extension talks to: the authorization and token
// endpoints, a protected resource behind a subscription-key gateway, and
// SKY-shaped token responses. Everything lives in memory and is lost on exit.
//
//   node test/sandbox/provider.mjs [--host 127.0.0.1] [--port 0]
//        [--access-token-ttl 3600] [--refresh-token-ttl 86400]
//        [--exit-on-stdin-close]
//        [--allow-host <one IP address> --tls-cert <pem> --tls-key <pem>]
//
// Once listening it prints exactly one JSON line (see `SandboxInfo`) to stdout;
// all diagnostics go to stderr. See test/sandbox/README.md.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { parseArgs } from 'node:util';

// oidc-provider and its dependencies print notices with console.info/log,
// which would corrupt the single machine-readable line our parent process
// parses from stdout. Route every console stream to stderr before the library
// is loaded (it is imported dynamically in main()), and write the JSON line
// through process.stdout directly.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

/** @typedef {typeof import('oidc-provider')} OidcProviderModule */
/** @typedef {InstanceType<OidcProviderModule['Provider']>} OidcProvider */

// ---------------------------------------------------------------------------
// Fixed demo values. These are published sandbox credentials that only work
// against this in-memory server; they are not secrets. They are fixed so that
// launch configurations, docs and manual testing can rely on them.
// ---------------------------------------------------------------------------

/** Header SKY API's gateway (Azure API Management) reads the subscription key from. */
const SUBSCRIPTION_KEY_HEADER = 'Bb-Api-Subscription-Key';
/** The only subscription key the sandbox gateway accepts. */
const SUBSCRIPTION_KEY = 'sandbox-subscription-key';

/** Scopes the sandbox understands. There is deliberately no `openid`: SKY API is plain OAuth 2.0. */
const SCOPES = /** @type {const} */ (['api', 'offline_access']);

/**
 * Accepted besides SCOPES, for the OpenID Connect tests: with `openid` asked for, the token response
 * carries an ID token signed with the sandbox's key (OpenID Connect Core §3.1.3.3). The sandbox preset
 * never asks for it, so the SKY-like flow stays plain OAuth 2.0.
 */
const OPENID_SCOPE = 'openid';

/** The extension's id as it appears in editor URI-handler redirects (`<publisher>.<name>`). */
const EXTENSION_AUTHORITY = 'authcodeflow.auth-code-flow';

/** URI schemes of the editors whose URI handler may receive the redirect. */
const EDITOR_SCHEMES = new Set(['vscode:', 'vscode-insiders:', 'code-oss:']);

/** Hostnames (as WHATWG URL reports them) that RFC 8252 §7.3 loopback redirects may use. */
const LOOPBACK_REDIRECT_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * @typedef {'client_secret_basic' | 'client_secret_post' | 'none'} TokenEndpointAuthMethod
 * @typedef {{ client_id: string; client_secret?: string; token_endpoint_auth_method: TokenEndpointAuthMethod }} DemoClient
 */

/**
 * Reassigned once at start-up by `--second-issuer` (see `useSecondIssuerClients`), before any request.
 *
 * @type {{ basic: DemoClient; post: DemoClient; public: DemoClient; keep: DemoClient }}
 */
let DEMO_CLIENTS = {
  basic: {
    client_id: 'sandbox-basic-client',
    client_secret: 'sandbox-secret-basic-3f9c1a7e52d84b06a1c9e7f3d5b20846c1e9a7f3',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  post: {
    client_id: 'sandbox-post-client',
    client_secret: 'sandbox-secret-post-8b2e4d6f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b',
    token_endpoint_auth_method: 'client_secret_post',
  },
  public: {
    client_id: 'sandbox-public-client',
    token_endpoint_auth_method: 'none',
  },
  // Refresh tokens of this client are not rotated, and its refresh responses carry no refresh_token at
  // all, which RFC 6749 §6 allows ("MAY issue a new refresh token"). The client must then keep the one it
  // has; whether SKY answers like this (e.g. to preserve_refresh_token=true) is not documented.
  keep: {
    client_id: 'sandbox-keep-client',
    client_secret: 'sandbox-secret-keep-5d1f7b3a9e2c4086b4d2f6a8c0e1b3d5f7a9c2e4',
    token_endpoint_auth_method: 'client_secret_basic',
  },
};

// ---------------------------------------------------------------------------
// SKY-like Basic credentials: one more client, compared raw (self-contained)
// ---------------------------------------------------------------------------

/**
 * A client whose secret contains "+", "/" and "=", authenticated the way
 * Blackbaud documents and its samples send it: `Basic base64(id:secret)` with
 * the raw values (blackbaud/sky-api-docs includes/authcodeflow/step4.md;
 * blackbaud/sky-api-tutorial-auth-code-php includes/blackbaud/auth.php). The
 * RFC 6749 §2.3.1 spelling (each value form-urlencoded first) is refused with
 * invalid_client, as SKY API refuses it.
 *
 * @type {DemoClient & { client_secret: string }}
 */
let SKY_BASIC_CLIENT = {
  client_id: 'sandbox-sky-client',
  client_secret: 'sandbox+sky/secret=Q2xpZW50U2VjcmV0+Lw==',
  token_endpoint_auth_method: 'client_secret_basic',
};

/**
 * oidc-provider decodes Basic credentials the RFC way, which would read the
 * raw "+" as a space. For SKY_BASIC_CLIENT this middleware reads the header
 * raw and hands oidc-provider the same values re-spelled the RFC way, so its
 * own secret comparison sees exactly the bytes the client sent: the raw
 * secret matches, the form-urlencoded one ("sandbox%2Bsky…") does not, and
 * oidc-provider answers invalid_client (and records the event) as usual.
 * Every other client keeps oidc-provider's RFC decoding.
 *
 * @param {OidcProvider} provider
 */
function compareSkyClientBasicCredentialsRaw(provider) {
  const formEncode = (/** @type {string} */ value) => new URLSearchParams([['', value]]).toString().slice(1);
  provider.use(async (ctx, next) => {
    const match = ctx.method === 'POST' && /^Basic ([A-Za-z0-9+/]+=*)$/.exec(ctx.headers.authorization ?? '');
    if (match) {
      const credentials = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = credentials.indexOf(':');
      if (colon !== -1 && credentials.slice(0, colon) === SKY_BASIC_CLIENT.client_id) {
        const [id, secret] = [credentials.slice(0, colon), credentials.slice(colon + 1)];
        ctx.req.headers.authorization = `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
      }
    }
    await next();
  });
}

/**
 * Registered for documentation and discovery only: the effective check is
 * `isSandboxRedirectUriAllowed`, because code-server's redirect carries a
 * commit, port and request id that cannot be known at registration time.
 */
const REGISTERED_REDIRECT_URIS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
  `vscode://${EXTENSION_AUTHORITY}/callback`,
  `vscode-insiders://${EXTENSION_AUTHORITY}/callback`,
  `code-oss://${EXTENSION_AUTHORITY}/callback`,
];

/**
 * Token-response fields that make sandbox responses look like SKY API's: the fields of the sample
 * response in blackbaud/sky-api-docs includes/authcodeflow/step5.md (tenant_id and tenant_name are the
 * older names for the customer) and of the official C# sample's token model
 * (blackbaud/sky-api-tutorial-auth-code-c-sharp Models/RefreshTokenResponseModel.cs: mode is "Full" or
 * "Limited"). The user's given_name, family_name, user_id and email are added per account.
 */
const SKY_ENVIRONMENT = {
  tenant_id: '7F3C2A10-5B6E-4D8A-9C1F-5A4D8F1E0001',
  tenant_name: 'Sandbox Tenant',
  environment_id: 'p-sandbox',
  environment_name: 'Sandbox Environment',
  legal_entity_id: 'p-sandbox-le',
  legal_entity_name: 'Sandbox Legal Entity',
  mode: 'Full',
};

/** Paths of the provider endpoints the extension uses, pinned so the JSON line can announce them. */
const ROUTES = { authorization: '/auth', token: '/token', revocation: '/token/revocation', jwks: '/jwks' };

/** Keeps a long-running manual session from growing without bound. */
const MAX_EVENTS = 1000;

const USAGE = `Usage: node test/sandbox/provider.mjs [options]

  --host <address>             loopback IP address to listen on (default 127.0.0.1; env SANDBOX_HOST)
  --port <n>                   port, 0 for an ephemeral one (default 0; env SANDBOX_PORT)
  --access-token-ttl <sec>     access token lifetime (default 3600; env SANDBOX_ACCESS_TOKEN_TTL)
  --refresh-token-ttl <sec>    refresh token lifetime (default 86400; env SANDBOX_REFRESH_TOKEN_TTL)
  --exit-on-stdin-close        exit when stdin reaches EOF, so a crashed parent cannot orphan the server
  --expose-issued-tokens       TESTS ONLY: list every code and token issued at GET /__sandbox/issued, so
                               leak tests can search the editor's files for them
  --codes-with-reserved-characters
                               TESTS ONLY: every authorization code starts with a fixed prefix holding
                               + % & = and /, to prove a client carries codes byte for byte
  --quirks github|google       answer like that provider: github, the token endpoint form-encoded unless
                               Accept: application/json, and errors with HTTP 200 and GitHub's codes;
                               google, a refresh token only for access_type=offline (no offline_access scope)
  --discovery <mode>           standard (default), oauth-only (no openid-configuration), issuer-mismatch,
                               malformed (code_challenge_methods_supported a string), no-iss-parameter
  --second-issuer              a second provider: its own client IDs and secrets (second-…), and refresh
                               tokens only when offline_access is granted (OpenID Connect Core §11); run it
                               on another loopback address, e.g. --host 127.0.0.2
  --allow-host <address>       TESTS ONLY: listen on this one non-loopback IP address instead (--host must name
                               the same address; never a wildcard) and accept redirect URIs on it (the
                               remote-browser suite's end of its veth pair, where code-server also listens);
                               needs --tls-cert and --tls-key, since the provider then is not on loopback
  --tls-cert <file>            serve https with this PEM certificate (chain) ...
  --tls-key <file>             ... and this PEM private key
  --help                       show this text
`;

// ---------------------------------------------------------------------------
// Sandbox-only redirect URI policy
// ---------------------------------------------------------------------------

/**
 * Decides whether the sandbox sends an authorization response to `value`.
 *
 * Real authorization servers compare redirect URIs exactly (modulo the
 * loopback port for native apps). The sandbox cannot, because the
 * extension's redirect depends on the editor it runs in:
 *
 * - loopback listeners (RFC 8252 §7.3): `http://127.0.0.1|localhost|[::1]:<any port>/…/callback`,
 *   which also covers code-server's URI-handler redirect
 *   `http://127.0.0.1:<port>/stable-<commit>/callback?vscode-reqid=…&vscode-scheme=…`;
 * - desktop editors' URI handlers: `vscode|vscode-insiders|code-oss://authcodeflow.auth-code-flow/callback`.
 *
 * A query string is allowed (and preserved in the response, with `code`,
 * `state` and `iss` added to it); fragments and userinfo never are. Anything
 * else, e.g. an https URL on another host, is refused with `invalid_redirect_uri`.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
function isSandboxRedirectUriAllowed(value) {
  return isRedirectUriAllowedWith(value, allowedRemoteHost);
}

/**
 * `--allow-host`: the one non-loopback address the sandbox was told to serve. Redirect URIs on it are
 * accepted too, over http or https, ending in /callback: code-server listening there gives the URI
 * handler's callback page `http://ADDR:PORT/stable-<commit>/callback?vscode-reqid=…` and forwards a
 * loopback port as `http://ADDR:PORT/proxy/LOOPBACKPORT/callback` (issue 13). Set once at start-up.
 *
 * @type {string | undefined}
 */
let allowedRemoteHost;

/**
 * @param {unknown} value
 * @param {string | undefined} remoteHost
 * @returns {boolean}
 */
function isRedirectUriAllowedWith(value, remoteHost) {
  if (typeof value !== 'string' || value.includes('#')) {
    return false;
  }
  const url = URL.parse(value);
  if (!url || url.username || url.password) {
    return false;
  }
  if (remoteHost !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === hostnameOf(remoteHost)) {
    return url.pathname.endsWith('/callback');
  }
  if (url.protocol === 'http:') {
    return LOOPBACK_REDIRECT_HOSTNAMES.has(url.hostname) && url.pathname.endsWith('/callback');
  }
  if (EDITOR_SCHEMES.has(url.protocol)) {
    return url.host === EXTENSION_AUTHORITY && !url.port && url.pathname === '/callback';
  }
  return false;
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/**
 * @typedef {'github' | 'google'} ProviderQuirks
 * @typedef {{ host: string; port: number; accessTokenTtl: number; refreshTokenTtl: number; exitOnStdinClose: boolean; exposeIssuedTokens: boolean; codesWithReservedCharacters: boolean; quirks?: ProviderQuirks; discovery: DiscoveryMode; secondIssuer: boolean; allowHost?: string; tls?: { cert: string; key: string } }} Settings
 */

/** The providers whose token-endpoint habits `--quirks` imitates (see "Provider quirks" below). */
const PROVIDER_QUIRKS = new Set(['github', 'google']);

class UsageError extends Error {}

/**
 * Flags win over environment variables, which win over defaults.
 *
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {Settings | 'help'}
 */
function readSettings(argv, env) {
  /** @type {ReturnType<typeof parseArgs>['values']} */
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'access-token-ttl': { type: 'string' },
        'refresh-token-ttl': { type: 'string' },
        'exit-on-stdin-close': { type: 'boolean' },
        'expose-issued-tokens': { type: 'boolean' },
        'codes-with-reserved-characters': { type: 'boolean' },
        quirks: { type: 'string' },
        discovery: { type: 'string' },
        'second-issuer': { type: 'boolean' },
        'allow-host': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  if (values.help) {
    return 'help';
  }

  const host = String(values.host ?? env.SANDBOX_HOST ?? '127.0.0.1');
  const allowHost = values['allow-host'] === undefined ? undefined : String(values['allow-host']);
  if (allowHost !== undefined && !isSingleUnicastAddress(allowHost)) {
    throw new UsageError(`--allow-host must be one unicast IP address (no wildcard, no name), got "${allowHost}".`);
  }
  if (allowHost !== undefined && host !== allowHost) {
    throw new UsageError(`--allow-host ${allowHost} needs --host ${allowHost}: the sandbox listens on that one address, got --host "${host}".`);
  }
  const tlsCert = values['tls-cert'] === undefined ? undefined : String(values['tls-cert']);
  const tlsKey = values['tls-key'] === undefined ? undefined : String(values['tls-key']);
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together.');
  }
  if (allowHost !== undefined && tlsCert === undefined) {
    throw new UsageError('--allow-host needs --tls-cert and --tls-key: off loopback the sandbox speaks https only.');
  }
  if (host !== allowHost && !isLoopbackAddress(host)) {
    throw new UsageError(
      `--host must be a loopback IP address (127.0.0.0/8 or ::1), got "${host}". ` +
        'The sandbox hands out demo credentials and must never be reachable from other machines; ' +
        'use an address rather than "localhost" so the issuer URL is unambiguous.',
    );
  }

  const quirks = values.quirks === undefined ? undefined : String(values.quirks);
  if (quirks !== undefined && !PROVIDER_QUIRKS.has(quirks)) {
    throw new UsageError(`--quirks must be one of ${[...PROVIDER_QUIRKS].join(', ')}, got "${quirks}"`);
  }
  const discovery = String(values.discovery ?? 'standard');
  if (!DISCOVERY_MODES.includes(/** @type {DiscoveryMode} */ (discovery))) {
    throw new UsageError(`--discovery must be one of ${DISCOVERY_MODES.join(', ')}, got "${discovery}"`);
  }

  /** @type {{ cert: string; key: string } | undefined} */
  let tls;
  if (tlsCert !== undefined && tlsKey !== undefined) {
    try {
      tls = { cert: fs.readFileSync(tlsCert, 'utf8'), key: fs.readFileSync(tlsKey, 'utf8') };
    } catch (error) {
      throw new UsageError(`cannot read --tls-cert/--tls-key: ${/** @type {Error} */ (error).message}`);
    }
  }

  return {
    ...(quirks === undefined ? {} : { quirks: /** @type {ProviderQuirks} */ (quirks) }),
    ...(allowHost === undefined ? {} : { allowHost }),
    ...(tls === undefined ? {} : { tls }),
    host,
    discovery: /** @type {DiscoveryMode} */ (discovery),
    secondIssuer: Boolean(values['second-issuer']),
    port: readInteger('--port', values.port ?? env.SANDBOX_PORT, 0, 0, 65535),
    accessTokenTtl: readInteger(
      '--access-token-ttl',
      values['access-token-ttl'] ?? env.SANDBOX_ACCESS_TOKEN_TTL,
      3600,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    refreshTokenTtl: readInteger(
      '--refresh-token-ttl',
      values['refresh-token-ttl'] ?? env.SANDBOX_REFRESH_TOKEN_TTL,
      86400,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    exitOnStdinClose: Boolean(values['exit-on-stdin-close']),
    exposeIssuedTokens: Boolean(values['expose-issued-tokens']),
    codesWithReservedCharacters: Boolean(values['codes-with-reserved-characters']),
  };
}

/**
 * @param {string} name
 * @param {unknown} raw
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function readInteger(name, raw, fallback, min, max) {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer between ${min} and ${max}, got "${text}"`);
  }
  return value;
}

/**
 * One concrete unicast address: not 0.0.0.0 or :: (every interface), not multicast or broadcast.
 *
 * @param {string} host
 */
function isSingleUnicastAddress(host) {
  switch (net.isIP(host)) {
    case 4: {
      const [first] = host.split('.').map(Number);
      return host !== '0.0.0.0' && host !== '255.255.255.255' && first !== 0 && !(first >= 224 && first <= 239);
    }
    case 6: {
      const canonical = new URL(`http://[${host}]/`).hostname;
      return canonical !== '[::]' && !canonical.toLowerCase().startsWith('[ff');
    }
    default:
      return false;
  }
}

/** The host as WHATWG URL's hostname spells it (IPv6 in brackets). @param {string} host */
function hostnameOf(host) {
  return net.isIPv6(host) ? new URL(`http://[${host}]/`).hostname : host;
}

/** @param {string} host */
function isLoopbackAddress(host) {
  switch (net.isIP(host)) {
    case 4:
      return host.split('.')[0] === '127';
    case 6:
      // Let the URL parser canonicalise spellings such as 0:0:0:0:0:0:0:1.
      return new URL(`http://[${host}]/`).hostname === '[::1]';
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------

/**
 * @typedef {{ grant_type: string | null; client_id: string | null; status: number; error?: string; at: string }} SandboxEvent
 */

/**
 * @param {OidcProviderModule} oidc
 * @param {string} issuer
 * @param {Settings} settings
 * @param {SandboxEvent[]} events
 * @returns {OidcProvider}
 */
function createProvider({ Provider, errors }, issuer, settings, events) {
  // A fresh key per run: nothing signed by the sandbox needs to outlive it.
  const signingKey = {
    ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    use: 'sig',
    alg: 'RS256',
    kid: `sandbox-${crypto.randomUUID()}`,
  };

  const provider = new Provider(issuer, {
    clients: [...Object.values(DEMO_CLIENTS), SKY_BASIC_CLIENT].map((client) => ({
      ...client,
      // `native` is what makes oidc-provider accept loopback redirect URIs on
      // any port (RFC 8252 §7.3) and custom URI schemes at registration.
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: REGISTERED_REDIRECT_URIS,
      // oidc-provider lists openid in scopes_supported whatever `scopes` says, so a client configured by
      // discovery asks for it; the clients may, and then get a signed ID token, verified against /jwks like
      // any OpenID provider's (test/sandbox-tests/idTokenValidation.test.ts).
      scope: [OPENID_SCOPE, ...SCOPES].join(' '),
    })),
    // Requests without `openid` stay plain OAuth 2.0 authorization
    // requests; listing `api` here makes it a scope the
    // provider grants and copies into the access token (otherwise it would be
    // silently dropped for lack of a resource server).
    scopes: [OPENID_SCOPE, ...SCOPES],
    jwks: { keys: [signingKey] },
    cookies: {
      // Cookie signing keys only need to survive this process. Cookies are
      // not marked Secure because oidc-provider derives that from the
      // request, and the sandbox is plain http on loopback.
      keys: [crypto.randomBytes(32).toString('base64url')],
    },
    // oidc-provider 9 only implements S256, so requiring PKCE for every
    // client is all it takes to make "plain" and PKCE-less requests fail.
    pkce: { required: () => true },
    // SKY API returns a refresh token on every code exchange, whether or not
    // offline_access was asked for; mirror that for any client allowed to use it.
    // The second issuer is a standard OpenID Provider instead: a refresh token
    // only when offline_access was granted, which OpenID Connect Core §11 ties
    // to prompt=consent (oidc-provider's own default rule). Google mode: only
    // for access_type=offline, which googleOfflineAccess turned into offline_access.
    issueRefreshToken: settings.secondIssuer
      ? async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access')
      : async (_ctx, client, code) =>
        client.grantTypeAllowed('refresh_token') && (settings.quirks !== 'google' || code.scopes.has('offline_access')),
    // Each refresh consumes the presented token; replaying a consumed one is
    // refused (and oidc-provider revokes the whole grant, per RFC 9700 §4.14.2).
    // The keep client is the exception: its refresh token stays valid.
    rotateRefreshToken: (ctx) => ctx.oidc.client?.clientId !== DEMO_CLIENTS.keep.client_id,
    // Tokens must not die with the provider's browser session: the extension
    // never comes back to the authorization server's cookies.
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: settings.accessTokenTtl,
      RefreshToken: settings.refreshTokenTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: settings.refreshTokenTtl,
      Grant: settings.refreshTokenTtl,
    },
    routes: ROUTES,
    // Advertise only what the demo clients can use, so discovery-driven
    // clients are not steered towards flows the sandbox never exercises.
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    features: {
      // Any login and password are accepted; consent is a form submission.
      devInteractions: { enabled: true },
      revocation: { enabled: true },
    },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
    // Every sandbox caller is a Node process or the editor host, never a web page.
    clientBasedCORS: () => false,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox authorization error</title></head>
<body><h1>Sandbox authorization error</h1>
<pre id="error">${escapeHtml(JSON.stringify(out, null, 2))}</pre></body></html>`;
    },
  });

  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(/** @type {string} */ value) {
    return isSandboxRedirectUriAllowed(value);
  };

  // oidc-provider treats client_secret_basic and client_secret_post as
  // interchangeable. The sandbox holds each client to its registered method so
  // that tests notice when the extension sends the secret the wrong way.
  const compareClientSecret = provider.Client.prototype.compareClientSecret;
  provider.Client.prototype.compareClientSecret = function strictCompareClientSecret(/** @type {string} */ actual) {
    const params = Provider.ctx?.oidc?.params;
    const used = typeof params?.client_secret === 'string' && params.client_secret !== '' ? 'client_secret_post' : 'client_secret_basic';
    if (used !== this.clientAuthMethod) {
      throw new errors.InvalidClientAuth(
        `the client is registered for ${this.clientAuthMethod} but authenticated with ${used}`,
      );
    }
    return compareClientSecret.call(this, actual);
  };

  compareSkyClientBasicCredentialsRaw(provider);

  serveDiscoveryMode(provider, settings.discovery);

  // Outermost, so it reshapes the token response after everything else has written it.
  if (settings.quirks === 'github') {
    provider.use(githubTokenResponses);
  }

  if (settings.quirks === 'google') {
    provider.use(async (ctx, next) => {
      if (ctx.method === 'GET' && ctx.path === ROUTES.authorization) {
        googleOfflineAccess(ctx);
      }
      await next();
    });
  }

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token') {
      return;
    }

    const body = /** @type {Record<string, unknown> | undefined} */ (
      ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body) ? ctx.body : undefined
    );

    const event = /** @type {SandboxEvent} */ ({
      grant_type: stringOrNull(ctx.oidc.params?.grant_type ?? ctx.oidc.body?.grant_type),
      client_id: stringOrNull(ctx.oidc.client?.clientId ?? ctx.oidc.params?.client_id ?? ctx.oidc.body?.client_id),
      status: ctx.status,
      at: new Date().toISOString(),
    });
    if (typeof body?.error === 'string') {
      event.error = body.error;
    }
    events.push(event);
    if (events.length > MAX_EVENTS) {
      events.splice(0, events.length - MAX_EVENTS);
    }

    if (ctx.status === 200 && body && typeof body.access_token === 'string') {
      const answer = { ...body };
      if (event.grant_type === 'refresh_token' && event.client_id === DEMO_CLIENTS.keep.client_id) {
        delete answer.refresh_token;
      }
      // SKY writes the type in lower case (blackbaud/sky-api-docs includes/authcodeflow/step5.md:
      // "will always contain the value bearer"); oidc-provider writes "Bearer".
      ctx.body = { ...answer, token_type: 'bearer', ...(await skyTokenResponseExtras(provider, answer)) };
    }
  });

  // SKY API's error shapes (see the "SKY API error shapes" section below); registered after the
  // middleware above so that it runs inside it, and the event log records the rewritten error.
  provider.use(skyErrorShapes);

  provider.on('server_error', (_ctx, error) => {
    console.error('sandbox: oidc-provider server_error:', error);
  });
  // Error responses carry only a generic description; the reason a request
  // was refused is worth seeing when debugging a client against the sandbox.
  for (const event of ['authorization.error', 'grant.error', 'revocation.error']) {
    provider.on(event, (_ctx, /** @type {{ error?: string; error_detail?: string; message: string }} */ error) => {
      console.error(`sandbox: ${event}: ${error.error ?? error.message}${error.error_detail ? ` (${error.error_detail})` : ''}`);
    });
  }

  return provider;
}

// ---------------------------------------------------------------------------
// Discovery modes (--discovery; issue 11). oidc-provider serves the same
// metadata at OpenID Connect Discovery's /.well-known/openid-configuration and
// RFC 8414's /.well-known/oauth-authorization-server, announcing
// authorization_response_iss_parameter_supported (RFC 9207) and sending iss in
// every authorization response. These modes change only the documents, so a
// client's discovery can be tested against each way a provider can differ.
// ---------------------------------------------------------------------------

/** @typedef {'standard' | 'oauth-only' | 'issuer-mismatch' | 'malformed' | 'no-iss-parameter'} DiscoveryMode */
const DISCOVERY_MODES = /** @type {const} */ (['standard', 'oauth-only', 'issuer-mismatch', 'malformed', 'no-iss-parameter']);

/**
 * - `oauth-only`: /.well-known/openid-configuration answers 404, as for a plain RFC 8414 server, so a
 *   client must fall back to /.well-known/oauth-authorization-server;
 * - `issuer-mismatch`: both documents name the issuer `<issuer>/other-tenant`, which RFC 8414 §3.3 and
 *   OpenID Connect Discovery §4.3 require a client to refuse;
 * - `malformed`: code_challenge_methods_supported is the string "S256" instead of an array of strings;
 * - `no-iss-parameter`: authorization_response_iss_parameter_supported is left out (the responses still
 *   carry iss, as RFC 9207 allows).
 *
 * @param {OidcProvider} provider
 * @param {DiscoveryMode} mode
 */
function serveDiscoveryMode(provider, mode) {
  if (mode === 'standard') {
    return;
  }
  provider.use(async (ctx, next) => {
    if (mode === 'oauth-only' && ctx.path === '/.well-known/openid-configuration') {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: 'This sandbox publishes only RFC 8414 metadata (--discovery oauth-only).' };
      return;
    }
    await next();
    if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') {
      return;
    }
    const document = { ...ctx.body };
    if (mode === 'issuer-mismatch') {
      document.issuer = `${document.issuer}/other-tenant`;
    } else if (mode === 'malformed') {
      document.code_challenge_methods_supported = 'S256';
    } else if (mode === 'no-iss-parameter') {
      delete document.authorization_response_iss_parameter_supported;
    }
    ctx.body = document;
  });
}

/**
 * `--second-issuer`: the clients get their own IDs and secrets (`second-…` instead of `sandbox-…`), so a
 * second sandbox on another loopback address stands in for a second provider that knows nothing of the
 * first one's applications. Called once, before the provider is created.
 */
function useSecondIssuerClients() {
  const rename = (/** @type {DemoClient} */ client) => ({
    ...client,
    client_id: client.client_id.replace(/^sandbox-/, 'second-'),
    ...(client.client_secret ? { client_secret: client.client_secret.replace(/^sandbox/, 'second') } : {}),
  });
  DEMO_CLIENTS = {
    basic: rename(DEMO_CLIENTS.basic),
    post: rename(DEMO_CLIENTS.post),
    public: rename(DEMO_CLIENTS.public),
    keep: rename(DEMO_CLIENTS.keep),
  };
  SKY_BASIC_CLIENT = /** @type {DemoClient & { client_secret: string }} */ (rename(SKY_BASIC_CLIENT));
}

// ---------------------------------------------------------------------------
// Provider quirks (--quirks github|google; issue 11): the token-endpoint habits
// of two providers the extension has presets for, so their handling is proven
// against a server.
// ---------------------------------------------------------------------------

/**
 * GitHub's codes for the errors oidc-provider names the RFC 6749 way (github/docs content/apps/oauth-apps/
 * maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors.md).
 *
 * @type {Record<string, { error: string; error_description: string; anchor: string }>}
 */
const GITHUB_ERRORS = {
  invalid_grant: { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.', anchor: 'bad-verification-code' },
  invalid_client: {
    error: 'incorrect_client_credentials',
    error_description: 'The client_id and/or client_secret passed are incorrect.',
    anchor: 'incorrect-client-credentials',
  },
};

/**
 * GitHub's token endpoint: `application/x-www-form-urlencoded` unless the request's Accept header asks for
 * JSON (github/docs content/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps.md), and errors
 * with HTTP 200 and an error body (`error`, `error_description`, `error_uri`).
 *
 * @param {any} ctx Koa context
 * @param {() => Promise<void>} next
 */
async function githubTokenResponses(ctx, next) {
  await next();
  if (ctx.oidc?.route !== 'token' || !ctx.body || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body)) {
    return;
  }
  /** @type {Record<string, unknown>} */
  let answer = ctx.body;
  if (typeof answer.error === 'string') {
    const github = GITHUB_ERRORS[answer.error];
    answer = github
      ? {
          error: github.error,
          error_description: github.error_description,
          error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${github.anchor}`,
        }
      : answer;
    ctx.status = 200;
    ctx.remove('WWW-Authenticate');
  }
  if (/\bapplication\/json\b/i.test(ctx.get('Accept'))) {
    ctx.body = answer;
    return;
  }
  ctx.body = new URLSearchParams(Object.entries(answer).map(([name, value]) => [name, String(value)])).toString();
  ctx.type = 'application/x-www-form-urlencoded; charset=utf-8';
}

/**
 * Google issues a refresh token for `access_type=offline`, not for an `offline_access` scope
 * (https://developers.google.com/identity/protocols/oauth2/web-server#offline). oidc-provider knows only
 * the scope, so the authorization request is rewritten: access_type=offline becomes offline_access, and an
 * offline_access scope without it is dropped, as Google would not honour it.
 *
 * @param {{ query: Record<string, string | string[] | undefined> }} ctx Koa context
 */
function googleOfflineAccess(ctx) {
  const { scope, access_type: accessType } = ctx.query;
  const scopes = (typeof scope === 'string' ? scope.split(' ') : []).filter((name) => name !== '' && name !== 'offline_access');
  if (accessType === 'offline') {
    scopes.push('offline_access');
  }
  // Google's own rule replaces OpenID Connect Core §11 here: access_type=offline brings a refresh token
  // on the first consent without prompt=consent, so oidc-provider is told consent was asked for.
  const prompt = accessType === 'offline' && ctx.query.prompt === undefined ? { prompt: 'consent' } : {};
  ctx.query = { ...ctx.query, ...prompt, scope: scopes.join(' ') };
}

/**
 * @param {OidcProvider} provider
 * @param {Record<string, unknown>} body
 */
async function skyTokenResponseExtras(provider, body) {
  const accessToken = await provider.AccessToken.find(/** @type {string} */ (body.access_token));
  const refreshToken =
    typeof body.refresh_token === 'string' ? await provider.RefreshToken.find(body.refresh_token) : undefined;
  const accountId = accessToken?.accountId ?? refreshToken?.accountId;

  return {
    ...SKY_ENVIRONMENT,
    ...(accountId ? { user_id: accountId, email: emailFor(accountId), ...namesFor(accountId) } : {}),
    ...(refreshToken?.exp ? { refresh_token_expires_in: Math.max(0, refreshToken.exp - epochSeconds()) } : {}),
  };
}

// ---------------------------------------------------------------------------
// SKY API error shapes (issue 9). Where SKY's documented errors differ from
// oidc-provider's, the sandbox answers as SKY does, so the extension's handling
// of them is tested offline. Sources: blackbaud/sky-api-docs,
// content/docs/authorization/common-auth-issues/index.md (before it moved to
// developer.blackbaud.com), includes/basics/ratelimits.md, quotas.md, response.md.
// ---------------------------------------------------------------------------

/** What SKY API puts in `error_message` (not error_description) beside error=access_denied. */
const SKY_ACCESS_DENIED_MESSAGE = 'The user chose not to give your app access to their Blackbaud data.';

/**
 * Koa middleware around oidc-provider's routes:
 * - a denied consent redirects with `error=access_denied` and SKY's `error_message`, without
 *   oidc-provider's `error_description` ("End-User aborted interaction");
 * - the token endpoint answers `invalid_redirect_uri` with SKY's description when the redirect_uri of a
 *   code exchange is not a registered one (oidc-provider says invalid_grant for any mismatch; SKY keeps
 *   invalid_grant for a registered URI that differs from the authorization request's).
 *
 * @param {any} ctx Koa context
 * @param {() => Promise<void>} next
 */
async function skyErrorShapes(ctx, next) {
  await next();
  const route = ctx.oidc?.route;
  if ((route === 'resume' || route === 'authorization') && ctx.status >= 300 && ctx.status < 400) {
    const location = URL.parse(ctx.response.get('Location'));
    if (location?.searchParams.get('error') === 'access_denied') {
      location.searchParams.delete('error_description');
      location.searchParams.set('error_message', SKY_ACCESS_DENIED_MESSAGE);
      ctx.response.set('Location', location.href);
    }
    return;
  }
  if (route !== 'token' || ctx.body?.error !== 'invalid_grant') {
    return;
  }
  const params = ctx.oidc.params ?? {};
  if (params.grant_type === 'authorization_code' && typeof params.redirect_uri === 'string' && !isSandboxRedirectUriAllowed(params.redirect_uri)) {
    ctx.body = {
      error: 'invalid_redirect_uri',
      error_description: `The specified value for the redirect_uri parameter '${params.redirect_uri}' did not match any pre-registered values.`,
    };
  }
}

/**
 * The gateway's rate limit (429) and call volume quota (403), armed by tests through
 * `POST /__sandbox/api-limit?status=429|403&retry_after=<seconds>&format=seconds|date&times=<n>`
 * (`DELETE` disarms): the next `times` API calls with a valid subscription key get SKY's answer,
 * Retry-After included (as seconds, or as an HTTP-date with format=date).
 *
 * @typedef {{ status: 429 | 403; retryAfter: number; format: 'seconds' | 'date'; remaining: number }} ApiLimit
 * @type {{ current: ApiLimit | undefined }}
 */
const apiLimit = { current: undefined };

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} url
 */
function handleApiLimitSwitch(req, res, url) {
  if (req.method === 'DELETE') {
    apiLimit.current = undefined;
    sendJson(res, 200, { armed: false });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST, DELETE' });
    return;
  }
  const status = Number(url.searchParams.get('status'));
  const retryAfter = Number(url.searchParams.get('retry_after') ?? '1');
  const times = Number(url.searchParams.get('times') ?? '1');
  const format = url.searchParams.get('format') ?? 'seconds';
  if ((status !== 429 && status !== 403) || !Number.isSafeInteger(retryAfter) || retryAfter < 0 || retryAfter > 86400
    || !Number.isSafeInteger(times) || times < 1 || times > 1000 || (format !== 'seconds' && format !== 'date')) {
    sendJson(res, 400, { error: 'invalid_request', message: 'status=429|403, retry_after=0..86400, times=1..1000, format=seconds|date' });
    return;
  }
  apiLimit.current = { status, retryAfter, format, remaining: times };
  sendJson(res, 200, { armed: true, ...apiLimit.current });
}

/**
 * Answers the call with the armed limit, if any; true when it did.
 *
 * @param {http.ServerResponse} res
 */
function answeredByApiLimit(res) {
  const limit = apiLimit.current;
  if (!limit) {
    return false;
  }
  limit.remaining -= 1;
  if (limit.remaining <= 0) {
    apiLimit.current = undefined;
  }
  const retryAfter = limit.format === 'date'
    ? new Date(Date.now() + limit.retryAfter * 1000).toUTCString()
    : String(limit.retryAfter);
  const message = limit.status === 429
    ? `Rate limit is exceeded. Try again in ${limit.retryAfter} second${limit.retryAfter === 1 ? '' : 's'}.`
    : `Out of call volume quota. Quota will be replenished in ${clockDuration(limit.retryAfter)}.`;
  sendJson(res, limit.status, { statusCode: limit.status, message }, { 'Retry-After': retryAfter });
  return true;
}

/** @param {number} seconds as SKY prints it: 00:06:46 */
function clockDuration(seconds) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

// ---------------------------------------------------------------------------
// Test-only: authorization codes holding URL reserved characters
// (--codes-with-reserved-characters; issue 10, finding 4)
// ---------------------------------------------------------------------------

/**
 * The fixed start of every authorization code when the switch is on. RFC 6749 §4.1.2 lets a code be any
 * string, and only URL-safe codes would never reveal a client (or an editor between the browser and the
 * client) that decodes a query once too often or not at all: `+` read as a form-encoded space, `%2B` and
 * `%26` decoded a second time, `&` and `=` splitting the query (`&state=` into a second state), `/` and a
 * lone `%` (not an escape). The random rest of the code stays oidc-provider's, so codes remain unguessable.
 */
const RESERVED_CHARACTERS_CODE_PREFIX = '+a%2Bb%26c&state=x=/100%/';

/**
 * Makes oidc-provider issue its codes with {@link RESERVED_CHARACTERS_CODE_PREFIX} in front. Nothing is
 * unwrapped at the token endpoint: oidc-provider stores the code under exactly this string and looks the
 * presented one up as it is, so a code altered anywhere on its way answers invalid_grant.
 *
 * @param {OidcProvider} provider
 */
function issueCodesWithReservedCharacters(provider) {
  const { prototype } = provider.AuthorizationCode;
  const generateTokenId = prototype.generateTokenId;
  prototype.generateTokenId = function generateCodeWithReservedCharacters() {
    return `${RESERVED_CHARACTERS_CODE_PREFIX}${generateTokenId.call(this)}`;
  };
}

// ---------------------------------------------------------------------------
// Echo API (snippet tests): what arrived, byte for byte
// ---------------------------------------------------------------------------

/**
 * Generated snippets must send exactly the path and headers the user configured. `GET /api/echo/…`
 * answers without authentication with the raw request target (as it stood on the request line, before
 * any parsing) and the raw header lines, and each one is recorded, so a test sees how many requests a
 * snippet made. `GET /__sandbox/echoes` lists them.
 */
const ECHO_PREFIX = '/api/echo/';
/** @type {{ raw_path: string; raw_headers: string[] }[]} */
const echoes = [];

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function handleEcho(req, res) {
  const echo = { raw_path: req.url ?? '', raw_headers: req.rawHeaders };
  if (echoes.length < 1000) {
    echoes.push(echo);
  }
  sendJson(res, 200, echo);
}

// ---------------------------------------------------------------------------
// Protected resource and test introspection
// ---------------------------------------------------------------------------

/**
 * Plays SKY API's gateway and one API: the subscription key is checked first
 * (as Azure API Management does, before the request reaches the API), then the
 * bearer token is looked up in the provider's own token store.
 *
 * @param {OidcProvider} provider
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {string} path
 */
async function handleApi(provider, req, res, path) {
  if (req.method !== 'GET') {
    sendJson(res, 405, { statusCode: 405, message: `Method ${req.method} is not allowed; the sandbox API is read-only.` }, { Allow: 'GET' });
    return;
  }

  const key = req.headers[SUBSCRIPTION_KEY_HEADER.toLowerCase()];
  if (key === undefined || key === '') {
    sendJson(res, 401, {
      statusCode: 401,
      message:
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });
    return;
  }
  if (key !== SUBSCRIPTION_KEY) {
    sendJson(res, 401, {
      statusCode: 401,
      message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    });
    return;
  }

  // SKY API error shapes: the gateway's rate limit and quota, when a test armed them.
  if (answeredByApiLimit(res)) {
    return;
  }

  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  const token = match ? await provider.AccessToken.find(match[1]) : undefined;
  if (!token || token.isExpired) {
    const description = match ? 'The access token is invalid or has expired.' : 'A bearer access token is required.';
    sendJson(
      res,
      401,
      { statusCode: 401, error: 'invalid_token', message: description },
      { 'WWW-Authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${description}"` },
    );
    return;
  }

  sendJson(res, 200, { sub: token.accountId, scope: token.scope ?? '', path, client_id: token.clientId });
}

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {string} path
 * @param {{ events: readonly SandboxEvent[]; info: unknown; issued?: readonly string[] }} state
 */
function handleSandbox(req, res, path, state) {
  /** @type {Record<string, unknown>} */
  const routes = {
    '/__sandbox/events': state.events,
    // The JSON line again, for clients that were not there to read stdout (Configure App's sandbox preset).
    '/__sandbox/info': state.info,
  };
  if (state.issued) {
    routes['/__sandbox/issued'] = state.issued;
  }
  if (!Object.hasOwn(routes, path)) {
    sendJson(res, 404, { error: 'not_found', message: `No sandbox endpoint at ${path}` });
    return;
  }
  if (req.method !== 'GET') {
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
    return;
  }
  sendJson(res, 200, routes[path]);
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** @param {string} accountId */
function emailFor(accountId) {
  return accountId.includes('@') ? accountId : `${accountId}@sandbox.example`;
}

/**
 * A person's names for the login: `alice` gives Alice Sandbox, `jo.doe@example.org` gives Jo.doe Sandbox.
 *
 * @param {string} accountId
 */
function namesFor(accountId) {
  const local = accountId.split('@')[0] || accountId;
  return { given_name: local.charAt(0).toUpperCase() + local.slice(1), family_name: 'Sandbox' };
}

/** @param {unknown} value */
function stringOrNull(value) {
  return typeof value === 'string' ? value : null;
}

function epochSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** @param {string} host @param {number} port @param {'http' | 'https'} scheme */
function originFor(host, port, scheme) {
  return `${scheme}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  /** @type {Settings | 'help'} */
  let settings;
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sandbox: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (settings === 'help') {
    process.stderr.write(USAGE);
    return;
  }

  // Loaded only once the command line is known to be good, so usage errors
  // are not buried under the library's start-up warnings.
  const oidc = await import('oidc-provider');
  if (settings.secondIssuer) {
    useSecondIssuerClients();
  }

  /** @type {SandboxEvent[]} */
  const events = [];
  /** @type {((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined} */
  let handler;

  allowedRemoteHost = settings.allowHost;
  // The issuer must contain the real port, which with --port 0 is only known
  // after binding; requests cannot arrive before the JSON line announces it,
  // but answer 503 rather than crash if something probes the port early.
  /** @type {(req: http.IncomingMessage, res: http.ServerResponse) => void} */
  const dispatch = (req, res) => {
    if (!handler) {
      sendJson(res, 503, { error: 'starting' });
      return;
    }
    handler(req, res);
  };
  const server = settings.tls ? https.createServer({ cert: settings.tls.cert, key: settings.tls.key }, dispatch) : http.createServer(dispatch);

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: settings.host, port: settings.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  server.on('error', (error) => console.error('sandbox: server error:', error));

  const address = /** @type {net.AddressInfo} */ (server.address());
  const origin = originFor(settings.host, address.port, settings.tls ? 'https' : 'http');
  const provider = createProvider(oidc, origin, settings, events);
  const providerCallback = provider.callback();
  if (settings.codesWithReservedCharacters) {
    issueCodesWithReservedCharacters(provider);
  }

  /** @type {string[] | undefined} */
  const issued = settings.exposeIssuedTokens ? [] : undefined;
  if (issued) {
    // Opaque codes and tokens are their jti: exactly the strings a leak test must not find anywhere.
    for (const model of ['authorization_code', 'access_token', 'refresh_token']) {
      provider.on(`${model}.saved`, (/** @type {{ jti: string }} */ token) => {
        issued.push(token.jti);
      });
    }
  }

  const info = {
    issuer: provider.issuer,
    authorization_endpoint: `${origin}${ROUTES.authorization}`,
    token_endpoint: `${origin}${ROUTES.token}`,
    revocation_endpoint: `${origin}${ROUTES.revocation}`,
    jwks_uri: `${origin}${ROUTES.jwks}`,
    api_base_url: `${origin}/api`,
    protected_resource: `${origin}/api/me`,
    subscription_key_header: SUBSCRIPTION_KEY_HEADER,
    subscription_key: SUBSCRIPTION_KEY,
    scopes: [...SCOPES],
    clients: { ...DEMO_CLIENTS, sky: SKY_BASIC_CLIENT },
    access_token_ttl: settings.accessTokenTtl,
    refresh_token_ttl: settings.refreshTokenTtl,
    events_url: `${origin}/__sandbox/events`,
    discovery_mode: settings.discovery,
    second_issuer: settings.secondIssuer,
    ...(settings.codesWithReservedCharacters ? { authorization_code_prefix: RESERVED_CHARACTERS_CODE_PREFIX } : {}),
    ...(settings.quirks ? { quirks: settings.quirks } : {}),
  };

  handler = (req, res) => {
    const path = URL.parse(req.url ?? '/', origin)?.pathname;
    if (path === undefined) {
      sendJson(res, 400, { error: 'invalid_request', message: 'Unparseable request target' });
      return;
    }
    // The echo API (snippet tests), before the URL parser normalises the target.
    if ((req.url ?? '').startsWith(ECHO_PREFIX)) {
      handleEcho(req, res);
      return;
    }
    if (path === '/__sandbox/echoes') {
      sendJson(res, 200, echoes);
      return;
    }
    if (path === '/api' || path.startsWith('/api/')) {
      handleApi(provider, req, res, path).catch((error) => {
        console.error('sandbox: /api handler failed:', error);
        if (!res.headersSent) {
          sendJson(res, 500, { statusCode: 500, message: 'Sandbox API failure' });
        } else {
          res.destroy();
        }
      });
      return;
    }
    // SKY API error shapes: the test switch for the API's rate limit and quota.
    if (path === '/__sandbox/api-limit') {
      handleApiLimitSwitch(req, res, /** @type {URL} */ (URL.parse(req.url ?? '/', origin)));
      return;
    }
    if (path.startsWith('/__sandbox/')) {
      handleSandbox(req, res, path, { events, info, ...(issued ? { issued } : {}) });
      return;
    }
    providerCallback(req, res);
  };



  let stopping = false;
  const stop = (/** @type {string} */ reason) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.error(`sandbox: stopping (${reason})`);
    server.close(() => process.exit(0));
    // Keep-alive connections from test clients would otherwise hold close() open.
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (settings.exitOnStdinClose) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }

  process.stdout.write(`${JSON.stringify(info)}\n`);
  console.error(`sandbox: listening at ${origin} (access tokens ${settings.accessTokenTtl}s, refresh tokens ${settings.refreshTokenTtl}s)`);
}

try {
  await main();
} catch (error) {
  // Typically EADDRINUSE or EADDRNOTAVAIL (e.g. 127.0.0.2 on macOS, where only 127.0.0.1 is configured).
  console.error('sandbox: failed to start:', error);
  process.exitCode = 1;
}
