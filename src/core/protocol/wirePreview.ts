/**
 * The walkthrough's "show me mine" views: each tutorial step's request or response as it is (or was) on
 * the wire for the user's own configuration, as markdown. Walkthrough pages are static files, so these
 * previews are what connects the generic example to the user's app. Every credential is masked with the
 * same helpers as the log, so a preview is safe to screenshot.
 */
import { buildApiRequest } from '../api/apiCall';
import { formUrlEncodeComponent } from '../http/formUrlEncoding';
import type { AppConfiguration, AppSecrets } from '../providers/appConfiguration';
import { presetById } from '../providers/presets';
import { fence as fencedBlock, headerLines, inlineCode, singleLine } from '../text/markdown';
import type { TokenSet } from '../tokens/tokenSet';
import { buildAuthorizationRequest } from './authorizationRequest';
import { basicCredentialEncodingOf, describeBasicCredentialEncoding } from './basicCredentials';
import { isOAuthError } from '../errors/oauthError';
import { mask, redactHeaders, redactUrl, SECRET_PARAMETER_NAMES } from '../text/redact';
import { authorizationCodeTokenRequest, refreshTokenRequest, type TokenEndpointRequest } from './tokenRequest';

export type WirePreviewKind = 'authorizationRequest' | 'callback' | 'tokenRequest' | 'tokenResponse' | 'refreshRequest' | 'apiRequest';

export const WIRE_PREVIEWS: readonly { kind: WirePreviewKind; label: string; step: string }[] = [
  { kind: 'authorizationRequest', label: 'Authorization request', step: 'Step 1' },
  { kind: 'callback', label: 'Last callback (redirect back)', step: 'Step 3' },
  { kind: 'tokenRequest', label: 'Token request', step: 'Step 4' },
  { kind: 'tokenResponse', label: 'Token response', step: 'Step 5' },
  { kind: 'apiRequest', label: 'API request', step: 'Step 6' },
  { kind: 'refreshRequest', label: 'Refresh request', step: 'Step 7' },
];

/** A callback as received, already redacted (code and state masked) before it was kept. */
export interface ReceivedCallback {
  redactedUrl: string;
  receivedAt: number;
  via: 'loopback' | 'uriHandler';
}

export interface WirePreviewInput {
  config: AppConfiguration;
  /** Only whether each is stored matters: values appear masked. */
  secrets: AppSecrets;
  redirectUri: string;
  tokenSet?: TokenSet;
  lastCallback?: ReceivedCallback;
  /** The API path the next Call the API will use. */
  apiPath: string;
  preserveRefreshToken?: boolean;
  now: number;
  /** The active app's name: with several apps, the preview says whose request it is. */
  appName?: string;
}

/**
 * The `refresh_token_expires_in` the response that produced this set carried, if any. A refresh answered
 * without a refresh token keeps the old token's expiry, which that response never stated. Sets stored
 * before the stated value was kept fall back to the arithmetic.
 */
function refreshTokenExpiresInOfThisResponse(tokens: TokenSet): number | undefined {
  if (tokens.refreshTokenExpiresAt === undefined) return undefined;
  if (tokens.refreshTokenExpiresIn === undefined) return Math.round((tokens.refreshTokenExpiresAt - tokens.obtainedAt) / 1000);
  return tokens.refreshTokenExpiresAt === tokens.obtainedAt + tokens.refreshTokenExpiresIn * 1000 ? tokens.refreshTokenExpiresIn : undefined;
}

export function isWirePreviewKind(value: unknown): value is WirePreviewKind {
  return WIRE_PREVIEWS.some((preview) => preview.kind === value);
}

export function wirePreview(kind: WirePreviewKind, input: WirePreviewInput): string {
  const { label, step } = WIRE_PREVIEWS.find((preview) => preview.kind === kind) ?? WIRE_PREVIEWS[0];
  const heading = `# ${step} · ${label}\n\n${previewSubject(input)}\n\n`;
  try {
    return heading + PREVIEWS[kind](input);
  } catch (error) {
    // An incomplete configuration cannot produce a request; say what is missing instead.
    if (!isOAuthError(error)) throw error;
    return `${heading}This request cannot be built for the current configuration: ${error.message}\n\n`
      + 'Run **Auth Code Flow: Configure App** and then show it again.\n';
  }
}

/**
 * "For the app `SKY prod`: Blackbaud SKY API (oauth2.sky.blackbaud.com)." The walkthrough's pages are the
 * same for every app; this line says which app and provider the preview below belongs to.
 */
function previewSubject({ config, appName }: WirePreviewInput): string {
  let provider: string;
  try {
    provider = presetById(config.preset).label;
  } catch {
    provider = 'an unknown provider preset';
  }
  let host = '';
  try {
    host = ` (${new URL(config.authorizationEndpoint.trim()).host})`;
  } catch {
    // Not configured yet: the provider's name says enough.
  }
  const name = appName === undefined ? '' : singleLine(appName, 80);
  return name === '' ? `For ${provider}${host}.` : `For the app ${inlineCode(name)}: ${provider}${host}.`;
}

const PREVIEWS: Record<WirePreviewKind, (input: WirePreviewInput) => string> = {
  authorizationRequest: (input) => {
    const request = buildAuthorizationRequest(input.config, input.redirectUri);
    const url = new URL(request.url);
    const rows = [...url.searchParams].map(([name, value]) => `| \`${name}\` | \`${SECRET_PARAMETER_NAMES.has(name) ? mask(value) : value}\` |`);
    const masked = request.nonce === undefined ? '`state`' : '`state` and `nonce`';
    return `Authorize App opens this URL in the browser (${masked} masked as in the log):\n\n`
      + fence('http', `GET ${redactUrl(url.pathname + url.search)} HTTP/1.1\nHost: ${url.host}`)
      + '| Parameter | Value |\n| --- | --- |\n' + rows.join('\n') + '\n\n'
      + 'Every run generates a new `state` and PKCE pair; the `code_verifier` behind this `code_challenge` '
      + 'stays in the editor until step 4.\n'
      + (request.nonce === undefined ? '' : 'With `openid` requested it also sends a new `nonce`, which the ID token must repeat '
        + '(OpenID Connect Core §3.1.3.7); the ID token is verified before anything is stored.\n');
  },
  callback: (input) => {
    const callback = input.lastCallback;
    if (!callback) {
      return 'No callback has arrived in this window yet. Run **Authorize App**; the provider then sends the '
        + `browser to your redirect URI:\n\n${fence('http', `GET ${input.redirectUri}?code=…&state=… HTTP/1.1`)}`;
    }
    // Not through URL: it would percent-encode the masks ("…") and hide what was received.
    const [, host = '', path = ''] = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^#]*)/i.exec(callback.redactedUrl) ?? [];
    return `Received ${new Date(callback.receivedAt).toISOString()} through the `
      + `${callback.via === 'loopback' ? 'loopback server' : "editor's URI handler"} (code and state masked):\n\n`
      + fence('http', `GET ${path} HTTP/1.1\nHost: ${host}`)
      + 'The extension checked that `state` matches the request it sent, that the response came to the '
      + 'redirect URI it is waiting on, and that the code was not used before.\n';
  },
  tokenRequest: (input) => endpointRequest(
    authorizationCodeTokenRequest({
      config: input.config, secrets: withPlaceholders(input), code: PLACEHOLDERS.code, redirectUri: input.redirectUri,
      ...(input.config.usePkce ? { codeVerifier: PLACEHOLDERS.codeVerifier } : {}),
    }),
    'The code exchange Authorize App sends (credentials masked; the code and verifier are new on every run):', input),
  tokenResponse: (input) => {
    const tokens = input.tokenSet;
    if (!tokens) return 'No tokens are stored for the configured app. Run **Authorize App** first.\n';
    const body: Record<string, unknown> = { access_token: mask(tokens.accessToken), token_type: tokens.tokenType };
    if (tokens.expiresAt !== undefined) body.expires_in = Math.round((tokens.expiresAt - tokens.obtainedAt) / 1000);
    if (tokens.refreshToken) body.refresh_token = mask(tokens.refreshToken);
    const stated = refreshTokenExpiresInOfThisResponse(tokens);
    if (stated !== undefined) body.refresh_token_expires_in = stated;
    if (tokens.scopes) body.scope = tokens.scopes.join(' ');
    if (tokens.idToken) body.id_token = mask(tokens.idToken);
    Object.assign(body, tokens.extra);
    return `The stored token set, as the token endpoint returned it at ${new Date(tokens.obtainedAt).toISOString()} `
      + '(tokens masked; stored in VS Code secret storage only):\n\n'
      + fence('http', `HTTP/1.1 200 OK\nContent-Type: application/json\nCache-Control: no-store\n\n${JSON.stringify(body, undefined, 2)}`);
  },
  refreshRequest: (input) => endpointRequest(
    refreshTokenRequest({
      config: input.config, secrets: withPlaceholders(input),
      refreshToken: input.tokenSet?.refreshToken ?? PLACEHOLDERS.refreshToken,
      ...(input.preserveRefreshToken ? { preserveRefreshToken: true } : {}),
    }),
    `Refresh Access Token sends (credentials masked)${input.tokenSet?.refreshToken ? '' : '; no refresh token is stored yet'}:`, input),
  apiRequest: (input) => {
    // Built by Call the API's own function, so the preview lists exactly the headers a call carries.
    const keyHeader = input.config.subscriptionKeyHeader;
    const request = buildApiRequest({
      apiBaseUrl: input.config.apiBaseUrl,
      // A generic provider has no default path; the preview still shows the headers that matter.
      target: input.apiPath.trim() === '' ? '/' : input.apiPath,
      accessToken: input.tokenSet?.accessToken ?? PLACEHOLDERS.accessToken,
      ...(keyHeader ? { subscriptionKeyHeader: keyHeader, subscriptionKey: input.secrets.subscriptionKey ?? PLACEHOLDERS.subscriptionKey } : {}),
    });
    const shown = redactHeaders(request.headers, keyHeader ? [keyHeader] : []);
    if (!input.tokenSet) shown.Authorization = `Bearer ${PLACEHOLDERS.accessToken}`;
    if (keyHeader && !input.secrets.subscriptionKey) shown[keyHeader] = PLACEHOLDERS.subscriptionKey;
    return 'Call the API sends (token and key masked):\n\n'
      + fence('http', `GET ${redactUrl(request.path)} HTTP/1.1\n${headerLines({ Host: new URL(request.url).host, ...shown })}`)
      + (keyHeader && !input.secrets.subscriptionKey ? `No subscription key is stored yet; the provider expects one in \`${keyHeader}\`.\n` : '')
      + (input.tokenSet ? '' : 'No access token is stored yet: run **Authorize App** first.\n');
  },
};

/**
 * Stand-ins for values a preview cannot know (the next code) or that are not stored yet. They are shown
 * as they are, not masked, so they read as placeholders rather than as someone's credentials.
 */
const PLACEHOLDERS = {
  code: '{code from step 3}',
  codeVerifier: '{code_verifier from step 1}',
  refreshToken: '{refresh token from step 5}',
  accessToken: '{access token from step 5}',
  subscriptionKey: '{subscription key}',
  clientSecret: '{application secret}',
} as const;
const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set(Object.values(PLACEHOLDERS));

/** Placeholders stand in for secrets that are not stored, so the preview still shows the request's shape. */
function withPlaceholders(input: WirePreviewInput): AppSecrets {
  return { ...input.secrets, clientSecret: input.secrets.clientSecret ?? PLACEHOLDERS.clientSecret };
}

function endpointRequest(request: TokenEndpointRequest, intro: string, input: WirePreviewInput): string {
  const url = new URL(request.url);
  const body = Object.entries(request.form)
    .map(([name, value]) => `${name}=${PLACEHOLDER_VALUES.has(value) ? value
      : SECRET_PARAMETER_NAMES.has(name) ? mask(value) : formUrlEncodeComponent(value)}`)
    .join('\n&');
  const { Accept: accept = 'application/json', ...sent } = redactHeaders(request.headers);
  const headers = { Host: url.host, ...sent, 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept };
  return `${intro}\n\n${fence('http', `POST ${url.pathname}${url.search} HTTP/1.1\n${headerLines(headers)}\n\n${body}`)}`
    + 'On the wire the body is one line; it is split here at each `&` to read.'
    + (input.config.clientAuthMethod === 'client_secret_basic'
      ? ` The \`Authorization\` header is ${describeBasicCredentialEncoding(basicCredentialEncodingOf(input.config))}.` : '')
    + (input.secrets.clientSecret || input.config.clientAuthMethod === 'none' ? '\n' : ' The application secret is not stored yet.\n');
}

/** A code block followed by a blank line, as every preview puts text after it. */
function fence(language: string, text: string): string {
  return `${fencedBlock(language, text)}\n`;
}
