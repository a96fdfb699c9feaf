import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

import { consentHeadlessly } from '../support/headlessConsent';
import { startSandbox, type Sandbox, type SandboxClient, type SandboxInfo } from '../support/sandbox';
import { makeTestCertificates } from '../harness/testCertificates';

// These tests pin down the sandbox's observable contract. They carry their own
// minimal PKCE and token requests on purpose: the extension's protocol code is
// tested against the sandbox elsewhere, and must not be what proves the
// sandbox right.

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  [field: string]: unknown;
}

interface AuthorizationResult {
  callback: URL;
  state: string;
  verifier: string;
  redirectUri: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 40_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function authorizationUrl(
  info: SandboxInfo,
  client: SandboxClient,
  params: { redirectUri: string; state: string; challenge?: string; method?: string; scope?: string; prompt?: string | null },
): URL {
  const url = new URL(info.authorization_endpoint);
  const scope = params.scope ?? 'api offline_access';
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', params.state);
  // OpenID Connect Core §11: offline_access is kept only with prompt=consent, as the extension sends it.
  const prompt = params.prompt === undefined ? (scope.split(' ').includes('offline_access') ? 'consent' : null) : params.prompt;
  if (prompt !== null) url.searchParams.set('prompt', prompt);
  if (params.challenge !== undefined) {
    url.searchParams.set('code_challenge', params.challenge);
    url.searchParams.set('code_challenge_method', params.method ?? 'S256');
  }
  return url;
}

async function authorize(
  info: SandboxInfo,
  client: SandboxClient,
  options: { redirectUri?: string; scope?: string; deny?: boolean; login?: string; prompt?: string | null } = {},
): Promise<AuthorizationResult> {
  const redirectUri = options.redirectUri ?? `http://127.0.0.1:${randomPort()}/callback`;
  const state = base64url(randomBytes(16));
  const { verifier, challenge } = pkcePair();
  const callback = await consentHeadlessly(
    authorizationUrl(info, client, { redirectUri, state, challenge, scope: options.scope, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}) }).href,
    { deny: options.deny, login: options.login },
  );
  return { callback, state, verifier, redirectUri };
}

async function tokenRequest(info: SandboxInfo, client: SandboxClient, params: Record<string, string>): Promise<{ status: number; body: TokenResponse }> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_basic': {
      const id = encodeURIComponent(client.client_id);
      const secret = encodeURIComponent(client.client_secret ?? '');
      headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
      break;
    }
    case 'client_secret_post':
      form.set('client_id', client.client_id);
      form.set('client_secret', client.client_secret ?? '');
      break;
    case 'none':
      form.set('client_id', client.client_id);
      break;
  }
  const response = await fetch(info.token_endpoint, {
    method: 'POST',
    headers,
    body: form.toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: (await response.json()) as TokenResponse };
}

async function exchangeCode(info: SandboxInfo, client: SandboxClient, result: AuthorizationResult, verifier = result.verifier) {
  const code = result.callback.searchParams.get('code');
  assert.ok(code, `expected a code in ${result.callback.href}`);
  return tokenRequest(info, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: result.redirectUri,
    code_verifier: verifier,
  });
}

async function callApi(
  info: SandboxInfo,
  options: { token?: string; key?: string | null; url?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  const key = options.key === undefined ? info.subscription_key : options.key;
  if (key !== null) {
    headers[info.subscription_key_header] = key;
  }
  const response = await fetch(options.url ?? info.protected_resource, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Tokens for the basic client, obtained through a full, checked code flow. */
async function basicClientTokens(info: SandboxInfo, login?: string): Promise<Required<Pick<TokenResponse, 'access_token' | 'refresh_token'>>> {
  const result = await authorize(info, info.clients.basic, { login });
  const { status, body } = await exchangeCode(info, info.clients.basic, result);
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.access_token && body.refresh_token);
  return { access_token: body.access_token, refresh_token: body.refresh_token };
}

describe('sandbox authorization server', function () {
  let sandbox: Sandbox;
  let info: SandboxInfo;

  before(async function () {
    sandbox = await startSandbox();
    info = sandbox.info;
  });

  after(async function () {
    await sandbox?.stop();
  });

  it('announces its endpoints and demo clients on one JSON line', function () {
    assert.match(info.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.authorization_endpoint, `${info.issuer}/auth`);
    assert.equal(info.token_endpoint, `${info.issuer}/token`);
    assert.equal(info.revocation_endpoint, `${info.issuer}/token/revocation`);
    assert.equal(info.jwks_uri, `${info.issuer}/jwks`);
    assert.equal(info.api_base_url, `${info.issuer}/api`);
    assert.equal(info.protected_resource, `${info.issuer}/api/me`);
    assert.equal(info.events_url, `${info.issuer}/__sandbox/events`);
    assert.equal(info.subscription_key_header, 'Bb-Api-Subscription-Key');
    assert.equal(info.subscription_key, 'sandbox-subscription-key');
    assert.deepEqual(info.scopes, ['api', 'offline_access']);
    assert.equal(info.clients.basic.token_endpoint_auth_method, 'client_secret_basic');
    assert.equal(info.clients.post.token_endpoint_auth_method, 'client_secret_post');
    assert.equal(info.clients.public.token_endpoint_auth_method, 'none');
    assert.match(info.clients.basic.client_secret, /^sandbox-secret-.{32,}$/);
    assert.match(info.clients.post.client_secret, /^sandbox-secret-.{32,}$/);
    assert.equal(info.clients.public.client_secret, undefined);
    assert.equal(info.clients.keep.token_endpoint_auth_method, 'client_secret_basic');
    assert.match(info.clients.keep.client_secret, /^sandbox-secret-.{32,}$/);
  });

  it('publishes discovery metadata that agrees with the announcement', async function () {
    const response = await fetch(`${info.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    assert.equal(response.status, 200);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, info.issuer);
    assert.equal(metadata.authorization_endpoint, info.authorization_endpoint);
    assert.equal(metadata.token_endpoint, info.token_endpoint);
    assert.equal(metadata.revocation_endpoint, info.revocation_endpoint);
    assert.equal(metadata.jwks_uri, info.jwks_uri);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
  });

  it('runs the code flow with PKCE for the basic client and returns SKY-like token responses', async function () {
    const result = await authorize(info, info.clients.basic, { login: 'alice' });
    assert.equal(result.callback.origin + result.callback.pathname, result.redirectUri);
    assert.equal(result.callback.searchParams.get('state'), result.state);
    assert.equal(result.callback.searchParams.get('iss'), info.issuer);

    const { status, body } = await exchangeCode(info, info.clients.basic, result);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    // SKY's own spelling (blackbaud/sky-api-docs includes/authcodeflow/step5.md), not oidc-provider's "Bearer".
    assert.equal(body.token_type, 'bearer');
    assert.ok(typeof body.expires_in === 'number' && body.expires_in > 3500 && body.expires_in <= 3600, `expires_in ${body.expires_in}`);
    assert.deepEqual(body.scope?.split(' ').sort(), ['api', 'offline_access']);
    assert.equal(body.environment_id, 'p-sandbox');
    assert.equal(body.environment_name, 'Sandbox Environment');
    assert.equal(body.legal_entity_id, 'p-sandbox-le');
    assert.equal(body.legal_entity_name, 'Sandbox Legal Entity');
    assert.equal(body.user_id, 'alice');
    assert.equal(body.email, 'alice@sandbox.example');
    assert.equal(body.given_name, 'Alice');
    assert.equal(body.family_name, 'Sandbox');
    assert.equal(body.mode, 'Full');
    assert.match(String(body.tenant_id), /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(body.tenant_name, 'Sandbox Tenant');
    assert.ok(
      typeof body.refresh_token_expires_in === 'number' && body.refresh_token_expires_in > 86_000 && body.refresh_token_expires_in <= 86_400,
      `refresh_token_expires_in ${String(body.refresh_token_expires_in)}`,
    );
  });

  it('drops offline_access from a request without prompt=consent (OpenID Connect Core §11), and still issues a refresh token as SKY does', async function () {
    const result = await authorize(info, info.clients.basic, { prompt: null });
    const { status, body } = await exchangeCode(info, info.clients.basic, result);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'api');
    assert.equal(typeof body.refresh_token, 'string');
  });

  it('issues a refresh token even when offline_access is not requested', async function () {
    const result = await authorize(info, info.clients.public, { scope: 'api' });
    const { status, body } = await exchangeCode(info, info.clients.public, result);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'api');
    assert.equal(typeof body.refresh_token, 'string');
  });

  describe('protected resource', function () {
    let accessToken: string;

    before(async function () {
      ({ access_token: accessToken } = await basicClientTokens(info, 'bob'));
    });

    it('answers 200 with a live token and the subscription key', async function () {
      const { status, body } = await callApi(info, { token: accessToken });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, { sub: 'bob', scope: 'api offline_access', path: '/api/me', client_id: info.clients.basic.client_id });
    });

    it('serves any GET below the API base URL', async function () {
      const { status, body } = await callApi(info, { token: accessToken, url: `${info.api_base_url}/constituent/v1/constituents?limit=1` });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.path, '/api/constituent/v1/constituents');
    });

    it('refuses a request without the subscription key like the SKY API gateway', async function () {
      const { status, body } = await callApi(info, { token: accessToken, key: null });
      assert.equal(status, 401);
      assert.equal(body.statusCode, 401);
      assert.match(String(body.message), /^Access denied due to missing subscription key/);
    });

    it('refuses a wrong subscription key', async function () {
      const { status, body } = await callApi(info, { token: accessToken, key: 'not-the-key' });
      assert.equal(status, 401);
      assert.match(String(body.message), /^Access denied due to invalid subscription key/);
    });

    it('refuses a bad or missing bearer token with WWW-Authenticate invalid_token', async function () {
      for (const token of ['not-a-real-token', undefined]) {
        const { status, headers } = await callApi(info, { token });
        assert.equal(status, 401);
        assert.match(headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
      }
    });
  });

  it('rotates refresh tokens and refuses a used one', async function () {
    const first = await basicClientTokens(info);

    const rotated = await tokenRequest(info, info.clients.basic, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.ok(rotated.body.refresh_token && rotated.body.access_token);
    assert.notEqual(rotated.body.refresh_token, first.refresh_token);
    assert.notEqual(rotated.body.access_token, first.access_token);
    assert.equal(rotated.body.environment_id, 'p-sandbox');
    assert.equal((await callApi(info, { token: rotated.body.access_token })).status, 200);

    const again = await tokenRequest(info, info.clients.basic, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token });
    assert.equal(again.status, 200, JSON.stringify(again.body));

    const replay = await tokenRequest(info, info.clients.basic, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
  });

  it('answers the keep client\'s refresh without a refresh_token and leaves its refresh token valid', async function () {
    const result = await authorize(info, info.clients.keep);
    const first = await exchangeCode(info, info.clients.keep, result);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(first.body.refresh_token, 'the code exchange issues a refresh token');

    for (let round = 1; round <= 2; round += 1) {
      const refreshed = await tokenRequest(info, info.clients.keep, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.equal(refreshed.status, 200, `round ${round}: ${JSON.stringify(refreshed.body)}`);
      assert.ok(refreshed.body.access_token);
      assert.equal(refreshed.body.token_type, 'bearer');
      assert.equal('refresh_token' in refreshed.body, false, `round ${round}: no refresh_token in ${Object.keys(refreshed.body).join(', ')}`);
      assert.equal('refresh_token_expires_in' in refreshed.body, false);
      assert.equal(refreshed.body.environment_id, 'p-sandbox');
      assert.equal((await callApi(info, { token: refreshed.body.access_token })).status, 200);
    }
  });

  it('authenticates the post client with its secret in the body, and only that way', async function () {
    const result = await authorize(info, info.clients.post);
    const { status, body } = await exchangeCode(info, info.clients.post, result);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(typeof body.access_token, 'string');

    const viaBasic = await authorize(info, info.clients.post);
    const wrongMethod = await exchangeCode(info, { ...info.clients.post, token_endpoint_auth_method: 'client_secret_basic' }, viaBasic);
    assert.equal(wrongMethod.status, 401);
    assert.equal(wrongMethod.body.error, 'invalid_client');
  });

  it('refuses a wrong client secret', async function () {
    const result = await authorize(info, info.clients.basic);
    const { status, body } = await exchangeCode(info, { ...info.clients.basic, client_secret: 'wrong' }, result);
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
  });

  it('refuses a wrong code_verifier with invalid_grant', async function () {
    const result = await authorize(info, info.clients.basic);
    const { status, body } = await exchangeCode(info, info.clients.basic, result, pkcePair().verifier);
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_grant');
  });

  it('requires S256 PKCE from every client', async function () {
    const redirectUri = `http://127.0.0.1:${randomPort()}/callback`;
    for (const client of [info.clients.basic, info.clients.post, info.clients.public]) {
      const missing = authorizationUrl(info, client, { redirectUri, state: 's' });
      const response = await fetch(missing, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await response.body?.cancel();
      const location = new URL(response.headers.get('location') ?? 'about:blank');
      assert.equal(location.searchParams.get('error'), 'invalid_request', `${client.client_id}: ${location.href}`);
    }

    const verifier = base64url(randomBytes(32));
    const plain = authorizationUrl(info, info.clients.basic, { redirectUri, state: 's', challenge: verifier, method: 'plain' });
    const response = await fetch(plain, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.body?.cancel();
    assert.equal(new URL(response.headers.get('location') ?? 'about:blank').searchParams.get('error'), 'invalid_request');
  });

  it('sends error=access_denied when the user cancels', async function () {
    const result = await authorize(info, info.clients.basic, { deny: true });
    assert.equal(result.callback.searchParams.get('error'), 'access_denied');
    assert.equal(result.callback.searchParams.get('state'), result.state);
    assert.equal(result.callback.searchParams.get('iss'), info.issuer);
    assert.equal(result.callback.searchParams.get('code'), null);
  });

  describe('redirect URI policy', function () {
    for (const redirectUri of [
      `http://127.0.0.1:${randomPort()}/callback`,
      `http://localhost:${randomPort()}/callback`,
      `http://[::1]:${randomPort()}/callback`,
      'vscode://authcodeflow.auth-code-flow/callback',
      'vscode-insiders://authcodeflow.auth-code-flow/callback',
      'code-oss://authcodeflow.auth-code-flow/callback',
    ]) {
      it(`accepts ${redirectUri} and exchanges its code`, async function () {
        const result = await authorize(info, info.clients.public, { redirectUri });
        const expected = new URL(redirectUri);
        assert.equal(result.callback.protocol, expected.protocol);
        assert.equal(result.callback.host, expected.host);
        assert.equal(result.callback.pathname, expected.pathname);
        assert.equal(result.callback.searchParams.get('state'), result.state);
        const { status, body } = await exchangeCode(info, info.clients.public, result);
        assert.equal(status, 200, JSON.stringify(body));
      });
    }

    it("accepts code-server's URI-handler redirect and keeps its query", async function () {
      const redirectUri = 'http://127.0.0.1:1234/stable-abc/callback?vscode-reqid=1&vscode-scheme=code-oss';
      const result = await authorize(info, info.clients.basic, { redirectUri });
      assert.equal(result.callback.origin, 'http://127.0.0.1:1234');
      assert.equal(result.callback.pathname, '/stable-abc/callback');
      assert.equal(result.callback.searchParams.get('vscode-reqid'), '1');
      assert.equal(result.callback.searchParams.get('vscode-scheme'), 'code-oss');
      assert.equal(result.callback.searchParams.get('state'), result.state);
      assert.equal(result.callback.searchParams.get('iss'), info.issuer);
      const { status, body } = await exchangeCode(info, info.clients.basic, result);
      assert.equal(status, 200, JSON.stringify(body));
    });

    for (const redirectUri of [
      'https://evil.example/callback',
      'http://evil.example/callback',
      'http://127.0.0.1:1234/not-the-callback',
      'vscode://someone-else.extension/callback',
      'vscode://authcodeflow.auth-code-flow/elsewhere',
      'http://127.0.0.1:1234/callback#fragment',
    ]) {
      it(`rejects ${redirectUri} without redirecting to it`, async function () {
        const url = authorizationUrl(info, info.clients.basic, { redirectUri, state: 's', challenge: pkcePair().challenge });
        const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const page = await response.text();
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('location'), null);
        assert.match(page, /invalid_redirect_uri/);
        await assert.rejects(consentHeadlessly(url.href), /invalid_redirect_uri/);
      });
    }
  });

  it('lists what the token endpoint did, without tokens', async function () {
    const tokens = await basicClientTokens(info);
    const refreshed = await tokenRequest(info, info.clients.basic, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200);
    const replayed = await tokenRequest(info, info.clients.basic, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(replayed.status, 400);

    const events = await sandbox.events();
    const lastThree = events.slice(-3).map(({ grant_type, client_id, status, error }) => ({ grant_type, client_id, status, error }));
    assert.deepEqual(lastThree, [
      { grant_type: 'authorization_code', client_id: info.clients.basic.client_id, status: 200, error: undefined },
      { grant_type: 'refresh_token', client_id: info.clients.basic.client_id, status: 200, error: undefined },
      { grant_type: 'refresh_token', client_id: info.clients.basic.client_id, status: 400, error: 'invalid_grant' },
    ]);
    assert.ok(events.every((event) => !Number.isNaN(Date.parse(event.at))));
    const serialized = JSON.stringify(events);
    for (const secret of [tokens.access_token, tokens.refresh_token, refreshed.body.access_token, refreshed.body.refresh_token]) {
      assert.ok(secret && !serialized.includes(secret), 'events must not contain tokens');
    }
  });
});

describe('sandbox options', function () {
  it('honours a short access token TTL on another loopback address', async function () {
    // All of 127.0.0.0/8 is routed to lo only on Linux.
    const host = process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1';
    const sandbox = await startSandbox({ host, accessTokenTtl: 2 });
    try {
      assert.match(sandbox.info.issuer, new RegExp(`^http://${host.replace(/\./g, '\\.')}:\\d+$`));
      assert.equal(sandbox.info.access_token_ttl, 2);
      const { access_token } = await basicClientTokens(sandbox.info);
      assert.equal((await callApi(sandbox.info, { token: access_token })).status, 200);
      await sleep(3_000);
      const expired = await callApi(sandbox.info, { token: access_token });
      assert.equal(expired.status, 401);
      assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    } finally {
      await sandbox.stop();
    }
  });

  it('refuses to listen on a non-loopback address', async function () {
    await assert.rejects(startSandbox({ host: '0.0.0.0' }), /loopback/);
  });

  it('--allow-host: one named unicast address, the same as --host, and only with https', async function () {
    const certificates = makeTestCertificates('127.0.0.9');
    try {
      const tls = { certFile: certificates.certFile, keyFile: certificates.keyFile, ca: certificates.caPem };
      await assert.rejects(startSandbox({ allowHost: '0.0.0.0', tls }), /one unicast IP address \(no wildcard, no name\)/);
      await assert.rejects(startSandbox({ allowHost: '::', tls }), /one unicast IP address/);
      await assert.rejects(startSandbox({ allowHost: 'sandbox.example', tls }), /one unicast IP address/);
      await assert.rejects(startSandbox({ allowHost: '127.0.0.9' }), /needs --tls-cert and --tls-key/);
      // Served over https on exactly that address; this process trusts the test CA for its own requests.
      const sandbox = await startSandbox({ allowHost: '127.0.0.9', tls });
      try {
        assert.match(sandbox.info.issuer, /^https:\/\/127\.0\.0\.9:\d+$/);
        assert.deepEqual(await sandbox.events(), []);
      } finally {
        await sandbox.stop();
      }
    } finally {
      certificates.remove();
    }
  });

  it('stops and frees its port', async function () {
    const sandbox = await startSandbox();
    await sandbox.stop();
    await sandbox.stop();
    await assert.rejects(fetch(sandbox.info.events_url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
  });
});
