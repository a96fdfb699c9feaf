import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type OAuthError, TransportError } from '../../src/core/errors/oauthError';
import { createHttpClient } from '../../src/core/http/httpClient';
import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import { validateCallback } from '../../src/core/protocol/callback';
import { discover } from '../../src/core/protocol/discovery';
import { missingRefreshTokenNotice } from '../../src/core/protocol/offlineAccess';
import { exchangeAuthorizationCode } from '../../src/core/protocol/tokenRequest';
import type { AppConfiguration } from '../../src/core/providers/appConfiguration';
import { configurationFromMetadata } from '../../src/core/providers/discoveredConfiguration';
import { configurationFromPreset, presetById, validateConfiguration } from '../../src/core/providers/presets';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import { expectOAuthError } from '../support/expectOAuthError';
import { consentHeadlessly } from '../support/headlessConsent';
import { SECOND_ISSUER_HOST, startSandbox, startSecondSandbox, type Sandbox, type SandboxClient, type SandboxDiscoveryMode } from '../support/sandbox';

// Discovery (RFC 8414, OpenID Connect Discovery) with the extension's real core and HTTP client against
// the sandbox, a second sandbox issuer on another loopback address, and the sandbox's discovery modes.

const TIMEOUT_MS = 10_000;

async function expectCode(action: () => Promise<unknown>, code: string): Promise<OAuthError> {
  const error = await expectOAuthError(action);
  assert.equal(error.code, code, error.message);
  return error;
}
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const client = createHttpClient({ timeoutMs: TIMEOUT_MS });

/** Configure App's discovery path as plain data: the generic preset, then what the metadata says. */
async function discoveredApp(issuer: string, demo: SandboxClient, overrides: Partial<AppConfiguration> = {}): Promise<{ config: AppConfiguration; findings: string[] }> {
  const result = await discover(issuer, { http: client, timeoutMs: TIMEOUT_MS });
  const generic = configurationFromPreset(presetById('generic'), { redirectMode: 'loopback', loopbackPort: 0 });
  const { configuration, findings } = configurationFromMetadata(result, { hasClientSecret: demo.client_secret !== undefined, scopes: ['api'] });
  return { config: { ...generic, ...configuration, clientId: demo.client_id, ...overrides }, findings };
}

/** Authorize headlessly and exchange the code, checking the callback the way the extension does. */
async function authorizeAndExchange(config: AppConfiguration, demo: SandboxClient): Promise<{ tokens: TokenSet; url: URL }> {
  const request = buildAuthorizationRequest(config, REDIRECT_URI);
  const callback = await consentHeadlessly(request.url, { requestTimeoutMs: TIMEOUT_MS });
  const verdict = validateCallback(callback.searchParams, {
    waiting: [{
      state: request.state, redirectUri: REDIRECT_URI, createdAt: Date.now(), expiresAt: Date.now() + 60_000,
      ...(config.issuer ? { issuer: config.issuer } : {}), requireIssuer: config.requireIssuerParameter === true, issuerRequiredBy: 'metadata',
    }],
    finished: [],
    now: Date.now(),
  });
  assert.equal(verdict.kind, 'accept', verdict.kind === 'accept' ? '' : verdict.error.message);
  if (verdict.kind !== 'accept') throw new Error('unreachable');
  const tokens = await exchangeAuthorizationCode({
    config, secrets: demo.client_secret === undefined ? {} : { clientSecret: demo.client_secret },
    code: verdict.authorization.code, redirectUri: REDIRECT_URI,
    ...(request.codeVerifier ? { codeVerifier: request.codeVerifier } : {}), http: client, timeoutMs: TIMEOUT_MS,
  });
  return { tokens, url: new URL(request.url) };
}

describe('discovery against the sandbox', function () {
  this.timeout(60_000);
  let first: Sandbox;
  let second: Sandbox;

  before(async function () {
    [first, second] = await Promise.all([startSandbox(), startSecondSandbox()]);
  });

  after(async function () {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('finds the first sandbox through openid-configuration, with every field it announces', async function () {
    const { info } = first;
    const result = await discover(info.issuer, { http: client, timeoutMs: TIMEOUT_MS });
    assert.equal(result.kind, 'openid-configuration');
    assert.equal(result.metadataUrl, `${info.issuer}/.well-known/openid-configuration`);
    assert.equal(result.metadata.authorization_endpoint, info.authorization_endpoint);
    assert.equal(result.metadata.token_endpoint, info.token_endpoint);
    assert.equal(result.metadata.revocation_endpoint, info.revocation_endpoint);
    assert.equal(result.metadata.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(result.metadata.code_challenge_methods_supported, ['S256']);
    const { configuration, findings } = configurationFromMetadata(result, { hasClientSecret: true, scopes: ['api'] });
    assert.equal(configuration.requireIssuerParameter, true);
    assert.equal(configuration.openIdProvider, true);
    assert.equal(configuration.jwksUri, `${info.issuer}/jwks`);
    assert.deepEqual(configuration.scopes, ['api', 'openid', 'offline_access']);
    assert.equal(configuration.clientAuthMethod, 'client_secret_basic');
    assert.ok(findings.includes(`Found the OpenID Connect metadata at ${info.issuer}/.well-known/openid-configuration.`), findings.join('\n'));
    assert.ok(findings.some((line) => line.startsWith('Chose to require iss in every authorization response')), findings.join('\n'));
  });

  it('finds the second issuer on its own loopback address, with its own endpoints and clients', async function () {
    const { info } = second;
    assert.equal(new URL(info.issuer).hostname, SECOND_ISSUER_HOST);
    assert.notEqual(info.issuer, first.info.issuer);
    assert.match(info.clients.basic.client_id, /^second-/);
    const { config } = await discoveredApp(info.issuer, info.clients.basic);
    assert.deepEqual(validateConfiguration(config), []);
    assert.equal(config.tokenEndpoint, info.token_endpoint);
    assert.equal(new URL(config.authorizationEndpoint).hostname, SECOND_ISSUER_HOST);
  });

  it('gets a refresh token from the second issuer (a standard OpenID provider) because the request carries prompt=consent', async function () {
    const { info } = second;
    const { config } = await discoveredApp(info.issuer, info.clients.basic);
    const { tokens, url } = await authorizeAndExchange(config, info.clients.basic);
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(typeof tokens.refreshToken, 'string');
    assert.ok(tokens.scopes?.includes('offline_access'), String(tokens.scopes));
    assert.equal(missingRefreshTokenNotice(config, tokens), undefined);
  });

  it('without consent in the prompt, the second issuer drops offline_access and grants no refresh token, and the notice says why', async function () {
    const { info } = second;
    const { config } = await discoveredApp(info.issuer, info.clients.basic, { extraAuthorizationParams: { prompt: 'login' } });
    const { tokens, url } = await authorizeAndExchange(config, info.clients.basic);
    assert.equal(url.searchParams.get('prompt'), 'login');
    assert.equal(tokens.refreshToken, undefined);
    assert.ok(!tokens.scopes?.includes('offline_access'), String(tokens.scopes));
    const notice = missingRefreshTokenNotice(config, tokens) ?? '';
    assert.match(notice, /^A refresh token was asked for \(offline_access\) but none was granted/);
    assert.match(notice, /prompt=login replaced it: add consent to it \(prompt=login consent\)/);
  });

  it('the first sandbox\'s preset gets offline_access granted legitimately: the extension sends prompt=consent', async function () {
    const { info } = first;
    const config = configurationFromPreset(presetById('sandbox'), {
      issuer: info.issuer, authorizationEndpoint: info.authorization_endpoint, tokenEndpoint: info.token_endpoint,
      apiBaseUrl: info.api_base_url, clientId: info.clients.basic.client_id, loopbackPort: 0,
    });
    const { tokens, url } = await authorizeAndExchange(config, info.clients.basic);
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.deepEqual([...(tokens.scopes ?? [])].sort(), ['api', 'offline_access']);
    assert.equal(typeof tokens.refreshToken, 'string');
  });

  it('a second-issuer client is unknown to the first sandbox: the apps are separate', async function () {
    const { config } = await discoveredApp(first.info.issuer, second.info.clients.basic);
    const request = buildAuthorizationRequest(config, REDIRECT_URI);
    const page = await fetch(request.url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    assert.ok(page.status >= 400 || /invalid_client|client is invalid/i.test(await page.text()), `status ${page.status}`);
  });
});

describe('discovery modes of the sandbox', function () {
  this.timeout(60_000);
  const sandboxes = new Map<SandboxDiscoveryMode, Sandbox>();
  const modes: SandboxDiscoveryMode[] = ['oauth-only', 'issuer-mismatch', 'malformed', 'no-iss-parameter'];

  before(async function () {
    const started = await Promise.all(modes.map((discovery) => startSandbox({ discovery })));
    modes.forEach((mode, index) => sandboxes.set(mode, started[index] as Sandbox));
  });

  after(async function () {
    await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.stop()));
  });

  const sandbox = (mode: SandboxDiscoveryMode): Sandbox => sandboxes.get(mode) as Sandbox;

  it('falls back to RFC 8414\'s /.well-known/oauth-authorization-server when openid-configuration answers 404', async function () {
    const { info } = sandbox('oauth-only');
    assert.equal(info.discovery_mode, 'oauth-only');
    const result = await discover(info.issuer, { http: client, timeoutMs: TIMEOUT_MS });
    assert.equal(result.kind, 'oauth-authorization-server');
    assert.equal(result.metadataUrl, `${info.issuer}/.well-known/oauth-authorization-server`);
    assert.equal(result.metadata.token_endpoint, info.token_endpoint);
    // RFC 8414 metadata that still lists openid marks an OpenID provider.
    assert.equal(configurationFromMetadata(result, { hasClientSecret: true, scopes: [] }).configuration.openIdProvider, true);
  });

  it('refuses a document whose issuer is not the one asked, naming both and the fix', async function () {
    const { info } = sandbox('issuer-mismatch');
    const error = await expectCode(() => discover(info.issuer, { http: client, timeoutMs: TIMEOUT_MS }), 'issuer_mismatch');
    assert.ok(error.message.includes(`names the issuer "${info.issuer}/other-tenant"`), error.message);
    assert.ok(error.message.includes(`asked for is "${info.issuer}"`), error.message);
    assert.match(error.message, /RFC 8414 §3\.3/);
    assert.match(error.hint, /enter exactly that as the issuer/);
  });

  it('refuses a malformed document, naming the field', async function () {
    const { info } = sandbox('malformed');
    const error = await expectCode(() => discover(info.issuer, { http: client, timeoutMs: TIMEOUT_MS }), 'invalid_metadata');
    assert.match(error.message, /metadata's code_challenge_methods_supported must be a JSON array of strings, but it is "S256"/);
  });

  it('without authorization_response_iss_parameter_supported, iss is not required for the app', async function () {
    const { info } = sandbox('no-iss-parameter');
    const result = await discover(info.issuer, { http: client, timeoutMs: TIMEOUT_MS });
    assert.equal(result.metadata.authorization_response_iss_parameter_supported, undefined);
    assert.equal(configurationFromMetadata(result, { hasClientSecret: true, scopes: [] }).configuration.requireIssuerParameter, undefined);
  });
});

describe('discovery transport failures', function () {
  this.timeout(30_000);

  it('a server that never answers: TransportError timeout naming the host and the time waited', async function () {
    const sockets = new Set<import('node:net').Socket>();
    const silent = http.createServer(() => undefined);
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const error = await expectCode(() => discover(`http://127.0.0.1:${port}`, { http: client, timeoutMs: 500 }), 'timeout');
      assert.ok(error instanceof TransportError);
      assert.ok(error.message.includes(`metadata endpoint (127.0.0.1:${port}) did not answer within 500 ms`), error.message);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('nothing listening: TransportError network_error saying the connection was refused and what to check', async function () {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await expectCode(() => discover(`http://127.0.0.1:${port}`, { http: client, timeoutMs: 2_000 }), 'network_error');
    assert.ok(error instanceof TransportError);
    assert.ok(error.message.includes(`(127.0.0.1:${port}) refused the connection`), error.message);
    assert.match(error.message, /Check the URL \(host and port\)/);
  });
});
