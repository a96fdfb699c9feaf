import * as assert from 'node:assert/strict';

import { createHttpClient, type HttpClient } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest, type AuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { OAuthError } from '../../src/core/errors/oauthError';
import { createPkcePair } from '../../src/core/protocol/pkce';
import { exchangeAuthorizationCode, refreshAccessToken } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration, AppSecrets, ClientAuthMethod } from '../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox, type SandboxClient, type SandboxInfo } from '../support/sandbox';

// The extension's real protocol core (authorization request, code exchange, refresh, over the real
// axios-based HTTP client) against the local oidc-provider sandbox. Nothing listens on the redirect
// URI: consentHeadlessly stops at the redirect and hands back its URL.

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const REQUEST_TIMEOUT_MS = 10_000;

interface Flow {
  config: AppConfiguration;
  secrets: AppSecrets;
  request: AuthorizationRequest;
  callback: URL;
  code: string;
}

function configFor(info: SandboxInfo, client: SandboxClient, clientAuthMethod: ClientAuthMethod = client.token_endpoint_auth_method): AppConfiguration {
  return configurationFromPreset(presetById('sandbox'), {
    ...sandboxOverrides(info),
    clientId: client.client_id,
    clientAuthMethod,
    loopbackPort: 0,
    redirectMode: 'loopback',
  });
}

function secretsFor(client: SandboxClient, info: SandboxInfo): AppSecrets {
  const secrets: AppSecrets = { subscriptionKey: info.subscription_key };
  if (client.client_secret !== undefined) {
    secrets.clientSecret = client.client_secret;
  }
  return secrets;
}

/** Steps 1 and 2: the core builds the authorization URL, the headless user consents, the redirect comes back. */
async function authorize(info: SandboxInfo, client: SandboxClient, options: { login?: string } = {}): Promise<Flow> {
  const config = configFor(info, client);
  const request = buildAuthorizationRequest(config, REDIRECT_URI);
  const callback = await consentHeadlessly(request.url, { login: options.login, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('iss'), info.issuer);
  assert.equal(callback.searchParams.get('error'), null, callback.href);
  const code = callback.searchParams.get('code');
  assert.ok(code, `expected a code in ${callback.href}`);
  return { config, secrets: secretsFor(client, info), request, callback, code };
}

/** Step 3 with the core, exactly as the extension calls it. */
function exchange(http: HttpClient, flow: Flow, overrides: { codeVerifier?: string; secrets?: AppSecrets; code?: string } = {}): Promise<TokenSet> {
  return exchangeAuthorizationCode({
    config: flow.config,
    secrets: overrides.secrets ?? flow.secrets,
    code: overrides.code ?? flow.code,
    redirectUri: flow.request.redirectUri,
    codeVerifier: overrides.codeVerifier ?? flow.request.codeVerifier,
    http,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
}

/** Runs `action`, expects an OAuthError, and returns it for closer inspection. */
async function expectOAuthError(action: () => Promise<unknown>): Promise<OAuthError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail with an OAuthError');
}

function assertMentionsNone(text: string, values: ReadonlyArray<string | undefined>): void {
  for (const value of values) {
    assert.ok(value !== undefined && value !== '', 'a value to look for');
    assert.ok(!text.includes(value), `"${text}" must not contain "${value}"`);
  }
}

async function callApi(info: SandboxInfo, accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(info.protected_resource, {
    headers: { Authorization: `Bearer ${accessToken}`, [info.subscription_key_header]: info.subscription_key },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function assertUsableTokenSet(tokens: TokenSet, before: number, info: SandboxInfo): void {
  assert.equal(typeof tokens.accessToken, 'string');
  assert.ok(tokens.accessToken.length > 20, 'access token');
  assert.equal(tokens.tokenType.toLowerCase(), 'bearer');
  assert.ok(tokens.obtainedAt >= before && tokens.obtainedAt <= Date.now());
  assert.ok(tokens.expiresAt !== undefined, 'expiresAt is set from expires_in');
  assert.ok(tokens.expiresAt > Date.now(), 'expiresAt is in the future');
  assert.ok(tokens.expiresAt <= tokens.obtainedAt + info.access_token_ttl * 1000, 'expiresAt within the TTL');
  assert.ok(tokens.expiresAt >= tokens.obtainedAt + (info.access_token_ttl - 60) * 1000, 'expiresAt close to the TTL');
  assert.ok(typeof tokens.refreshToken === 'string' && tokens.refreshToken.length > 20, 'refresh token');
  assert.notEqual(tokens.refreshToken, tokens.accessToken);
  assert.ok(tokens.refreshTokenExpiresAt !== undefined && tokens.refreshTokenExpiresAt > Date.now(), 'refresh token expiry');
  assert.deepEqual([...(tokens.scopes ?? [])].sort(), ['api', 'offline_access']);
}

describe('protocol core against the sandbox', function () {
  let sandbox: Sandbox;
  let info: SandboxInfo;
  const http = createHttpClient({ timeoutMs: REQUEST_TIMEOUT_MS });

  before(async function () {
    this.timeout(30_000);
    sandbox = await startSandbox({ exposeIssuedTokens: true });
    info = sandbox.info;
  });

  after(async function () {
    this.timeout(15_000);
    await sandbox?.stop();
  });

  it('builds a configuration for the sandbox from its preset and announcement', function () {
    const config = configFor(info, info.clients.basic);
    assert.equal(config.preset, 'sandbox');
    assert.equal(config.authorizationEndpoint, info.authorization_endpoint);
    assert.equal(config.tokenEndpoint, info.token_endpoint);
    assert.equal(config.apiBaseUrl, info.api_base_url);
    assert.equal(config.issuer, info.issuer);
    assert.equal(config.subscriptionKeyHeader, info.subscription_key_header);
    assert.deepEqual(config.scopes, info.scopes);
    assert.equal(config.usePkce, true);
  });

  it('exchanges a code with client_secret_basic and returns a SKY-like token set', async function () {
    const flow = await authorize(info, info.clients.basic, { login: 'alice' });
    assert.ok(flow.request.codeVerifier, 'PKCE is on for the sandbox preset');
    assert.equal(new URL(flow.request.url).searchParams.get('code_challenge_method'), 'S256');

    const before = Date.now();
    const tokens = await exchange(http, flow);
    assertUsableTokenSet(tokens, before, info);
    assert.deepEqual(
      {
        environment_id: tokens.extra.environment_id,
        environment_name: tokens.extra.environment_name,
        legal_entity_id: tokens.extra.legal_entity_id,
        legal_entity_name: tokens.extra.legal_entity_name,
        user_id: tokens.extra.user_id,
        email: tokens.extra.email,
      },
      {
        environment_id: 'p-sandbox',
        environment_name: 'Sandbox Environment',
        legal_entity_id: 'p-sandbox-le',
        legal_entity_name: 'Sandbox Legal Entity',
        user_id: 'alice',
        email: 'alice@sandbox.example',
      },
    );
    // Standard and secret-looking fields are mapped or dropped, never shown as "extra".
    for (const name of Object.keys(tokens.extra)) {
      assert.doesNotMatch(name, /token|secret|^scope$|^expires_in$/, `extra field ${name}`);
    }
    assertMentionsNone(JSON.stringify(tokens.extra), [tokens.accessToken, tokens.refreshToken]);
  });

  it('exchanges a code with client_secret_post', async function () {
    const flow = await authorize(info, info.clients.post);
    assert.equal(flow.config.clientAuthMethod, 'client_secret_post');
    const before = Date.now();
    const tokens = await exchange(http, flow);
    assertUsableTokenSet(tokens, before, info);
    assert.equal(tokens.extra.environment_id, 'p-sandbox');
  });

  it('exchanges a code for the public client (none + PKCE) without any secret', async function () {
    const flow = await authorize(info, info.clients.public);
    assert.equal(flow.config.clientAuthMethod, 'none');
    assert.equal(flow.secrets.clientSecret, undefined);
    const before = Date.now();
    const tokens = await exchange(http, flow);
    assertUsableTokenSet(tokens, before, info);
  });

  it('fails with invalid_grant for a wrong code_verifier, quoting neither code nor verifier', async function () {
    const flow = await authorize(info, info.clients.basic);
    const wrongVerifier = createPkcePair().verifier;
    const error = await expectOAuthError(() => exchange(http, flow, { codeVerifier: wrongVerifier }));
    assert.equal(error.code, 'invalid_grant');
    assert.equal(error.status, 400);
    assertMentionsNone(`${error.message} ${error.description ?? ''} ${error.hint}`, [flow.code, wrongVerifier, flow.request.codeVerifier]);
  });

  it('fails with invalid_grant when a code is used a second time', async function () {
    const flow = await authorize(info, info.clients.public);
    await exchange(http, flow);
    const error = await expectOAuthError(() => exchange(http, flow));
    assert.equal(error.code, 'invalid_grant');
    assertMentionsNone(error.message, [flow.code, flow.request.codeVerifier]);
  });

  it('fails with invalid_client for a wrong secret, with a hint and without the secret', async function () {
    const flow = await authorize(info, info.clients.basic);
    const wrongSecret = 'wrong-secret-Zq7+/=:x9';
    const error = await expectOAuthError(() => exchange(http, flow, { secrets: { clientSecret: wrongSecret } }));
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.status, 401);
    assert.match(error.hint, /application ID and secret/);
    assert.match(error.message, /application ID and secret/);
    assertMentionsNone(`${error.message} ${error.description ?? ''}`, [wrongSecret, info.clients.basic.client_secret, flow.code]);
  });

  it('refreshes with the core, rotating the refresh token and refusing the old one afterwards', async function () {
    const flow = await authorize(info, info.clients.basic);
    const first = await exchange(http, flow);
    assert.ok(first.refreshToken);

    const before = Date.now();
    const refreshed = await refreshAccessToken({
      config: flow.config,
      secrets: flow.secrets,
      refreshToken: first.refreshToken,
      refreshTokenExpiresAt: first.refreshTokenExpiresAt,
      http,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    assertUsableTokenSet(refreshed, before, info);
    assert.notEqual(refreshed.accessToken, first.accessToken);
    assert.notEqual(refreshed.refreshToken, first.refreshToken, 'the sandbox rotates refresh tokens');
    assert.equal(refreshed.extra.environment_id, 'p-sandbox');
    assert.equal((await callApi(info, refreshed.accessToken)).status, 200);

    const error = await expectOAuthError(() =>
      refreshAccessToken({ config: flow.config, secrets: flow.secrets, refreshToken: first.refreshToken as string, http, timeoutMs: REQUEST_TIMEOUT_MS }),
    );
    assert.equal(error.code, 'invalid_grant');
    assertMentionsNone(error.message, [first.refreshToken, refreshed.refreshToken]);
  });

  it('keeps the refresh token it has when a refresh response carries none (the keep client), and it still works', async function () {
    const flow = await authorize(info, info.clients.keep);
    const first = await exchange(http, flow);
    assert.equal(first.tokenType, 'bearer', 'SKY\'s lower-case token_type is accepted as it is');
    assert.ok(first.refreshToken && first.refreshTokenExpiresAt !== undefined && first.refreshTokenExpiresIn !== undefined);

    let current = first;
    for (let round = 1; round <= 2; round += 1) {
      const refreshed = await refreshAccessToken({
        config: flow.config,
        secrets: flow.secrets,
        refreshToken: current.refreshToken as string,
        refreshTokenExpiresAt: current.refreshTokenExpiresAt,
        refreshTokenExpiresIn: current.refreshTokenExpiresIn,
        // What the extension adds with authCodeFlow.preserveRefreshToken on; the sandbox ignores it.
        preserveRefreshToken: true,
        http,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      assert.notEqual(refreshed.accessToken, current.accessToken, `round ${round}: a new access token`);
      assert.equal(refreshed.refreshToken, first.refreshToken, `round ${round}: the refresh token is kept`);
      assert.equal(refreshed.refreshTokenExpiresAt, first.refreshTokenExpiresAt, `round ${round}: and so is its expiry`);
      assert.equal(refreshed.refreshTokenExpiresIn, first.refreshTokenExpiresIn);
      assert.equal((await callApi(info, refreshed.accessToken)).status, 200);
      current = refreshed;
    }
    const refreshes = (await sandbox.events()).filter((event) => event.client_id === info.clients.keep.client_id && event.grant_type === 'refresh_token');
    assert.deepEqual(refreshes.map((event) => event.status), [200, 200]);
  });

  it('yields an access token the protected resource accepts with the subscription key', async function () {
    const flow = await authorize(info, info.clients.post, { login: 'bob' });
    const tokens = await exchange(http, flow);
    const { status, body } = await callApi(info, tokens.accessToken);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.sub, 'bob');
    assert.equal(body.client_id, info.clients.post.client_id);
    assert.equal(body.path, new URL(info.protected_resource).pathname);

    // The same call through the core's HTTP client, as "Call API" would make it.
    const viaCore = await http.get(info.protected_resource, {
      Authorization: `${tokens.tokenType} ${tokens.accessToken}`,
      [flow.config.subscriptionKeyHeader as string]: flow.secrets.subscriptionKey as string,
    });
    assert.equal(viaCore.status, 200, viaCore.body);
    assert.equal((JSON.parse(viaCore.body) as { sub: string }).sub, 'bob');
  });

  it('serves the announcement again at <issuer>/__sandbox/info', async function () {
    const response = await fetch(`${info.issuer}/__sandbox/info`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), info);
  });

  it('lists the code and tokens just issued when exposeIssuedTokens is on', async function () {
    const flow = await authorize(info, info.clients.basic);
    const tokens = await exchange(http, flow);
    const issued = await sandbox.issued();
    assert.ok(Array.isArray(issued) && issued.every((value) => typeof value === 'string'));
    for (const [what, value] of [
      ['authorization code', flow.code],
      ['access token', tokens.accessToken],
      ['refresh token', tokens.refreshToken],
    ] as const) {
      assert.ok(value !== undefined && issued.includes(value), `${what} is listed`);
    }
    assert.ok(!issued.includes(flow.request.codeVerifier as string), 'the PKCE verifier is not an issued token');
  });

  it('serves no /__sandbox/issued without exposeIssuedTokens', async function () {
    this.timeout(30_000);
    const plain = await startSandbox();
    try {
      const response = await fetch(`${plain.info.issuer}/__sandbox/issued`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      assert.equal(response.status, 404);
      await response.body?.cancel();
      await assert.rejects(plain.issued(), /answered 404/);
      // The rest of the sandbox endpoints are still there.
      const infoResponse = await fetch(`${plain.info.issuer}/__sandbox/info`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      assert.equal(infoResponse.status, 200);
      assert.deepEqual(await infoResponse.json(), plain.info);
    } finally {
      await plain.stop();
    }
  });
});
