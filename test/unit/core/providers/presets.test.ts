import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { revocationEndpointOf } from '../../../../src/core/protocol/revocation';
import { idTokenCheckFor } from '../../../../src/core/tokens/idTokenVerification';
import {
  configurationFromPreset,
  PRESETS,
  presetById,
  sandboxOverrides,
  validateConfiguration,
} from '../../../../src/core/providers/presets';

function sky(overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return configurationFromPreset(presetById('sky'), { clientId: 'sky-app-id', ...overrides });
}

describe('provider presets', () => {
  it('describes Blackbaud SKY API', () => {
    const preset = presetById('sky');
    assert.equal(preset.authorizationEndpoint, 'https://oauth2.sky.blackbaud.com/authorization');
    assert.equal(preset.tokenEndpoint, 'https://oauth2.sky.blackbaud.com/token');
    assert.equal(preset.apiBaseUrl, 'https://api.sky.blackbaud.com');
    assert.equal(preset.subscriptionKeyHeader, 'Bb-Api-Subscription-Key');
    assert.equal(preset.clientAuthMethod, 'client_secret_basic');
    assert.equal(preset.usePkce, true);
    assert.equal(preset.redirectMode, 'loopback');
    assert.equal(preset.loopbackPort, 5000);
    assert.equal(preset.acceptsVscodeSchemeRedirect, false);
    assert.equal(preset.supportsPreserveRefreshToken, true);
    assert.equal(preset.defaultApiPath, '/constituent/v1/constituents?limit=1');
  });

  it('has a generic preset that defaults to the URI handler and a sandbox preset like SKY', () => {
    assert.equal(presetById('generic').redirectMode, 'uriHandler');
    assert.equal(presetById('generic').authorizationEndpoint, '');
    const sandbox = presetById('sandbox');
    assert.deepEqual(sandbox.scopes, ['api', 'offline_access']);
    assert.equal(sandbox.subscriptionKeyHeader, 'Bb-Api-Subscription-Key');
    assert.equal(sandbox.defaultApiPath, '/me');
    assert.deepEqual(PRESETS.map((preset) => preset.id), ['sky', 'generic', 'sandbox', 'entra', 'google', 'github', 'okta', 'auth0', 'keycloak']);
  });

  it('refuses an unknown preset id', () => {
    assert.throws(() => presetById('nope' as never), /Unknown provider preset "nope"/);
  });
});

describe('configurationFromPreset', () => {
  it('produces a complete AppConfiguration from the preset', () => {
    assert.deepEqual(sky(), {
      preset: 'sky',
      authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization',
      tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token',
      apiBaseUrl: 'https://api.sky.blackbaud.com',
      clientId: 'sky-app-id',
      scopes: [],
      clientAuthMethod: 'client_secret_basic',
      usePkce: true,
      redirectMode: 'loopback',
      loopbackPort: 5000,
      loopbackHost: 'localhost',
      subscriptionKeyHeader: 'Bb-Api-Subscription-Key',
      extraAuthorizationParams: {},
    });
  });

  it('lets overrides win but ignores undefined ones and keeps the preset id', () => {
    const configuration = configurationFromPreset(presetById('sky'), {
      loopbackPort: 5050,
      subscriptionKeyHeader: undefined,
      preset: 'generic',
    });
    assert.equal(configuration.loopbackPort, 5050);
    assert.equal(configuration.subscriptionKeyHeader, 'Bb-Api-Subscription-Key');
    assert.equal(configuration.preset, 'sky');
  });

  it('does not share arrays or objects with the preset', () => {
    const configuration = configurationFromPreset(presetById('sandbox'));
    configuration.scopes.push('mutated');
    configuration.extraAuthorizationParams.prompt = 'login';
    assert.deepEqual(presetById('sandbox').scopes, ['api', 'offline_access']);
    assert.deepEqual(presetById('sandbox').extraAuthorizationParams, {});
  });

  it('points the sandbox preset at a running sandbox from the JSON line it prints', () => {
    const info = {
      issuer: 'http://127.0.0.1:4321',
      authorization_endpoint: 'http://127.0.0.1:4321/auth',
      token_endpoint: 'http://127.0.0.1:4321/token',
      api_base_url: 'http://127.0.0.1:4321/api',
      subscription_key_header: 'Bb-Api-Subscription-Key',
      clients: {},
    };
    const configuration = configurationFromPreset(presetById('sandbox'), { ...sandboxOverrides(info), clientId: 'sandbox-basic-client' });
    assert.equal(configuration.issuer, 'http://127.0.0.1:4321');
    assert.equal(configuration.authorizationEndpoint, 'http://127.0.0.1:4321/auth');
    assert.equal(configuration.tokenEndpoint, 'http://127.0.0.1:4321/token');
    assert.equal(configuration.apiBaseUrl, 'http://127.0.0.1:4321/api');
    assert.deepEqual(validateConfiguration(configuration), []);
  });

  it('carries the sandbox\'s revocation endpoint and JWKS URL, so Sign Out revokes and ID tokens verify with its keys', () => {
    const info = {
      issuer: 'http://127.0.0.1:4321',
      authorization_endpoint: 'http://127.0.0.1:4321/auth',
      token_endpoint: 'http://127.0.0.1:4321/token',
      revocation_endpoint: 'http://127.0.0.1:4321/token/revocation',
      jwks_uri: 'http://127.0.0.1:4321/jwks',
    };
    const configuration = configurationFromPreset(presetById('sandbox'), { ...sandboxOverrides(info), clientId: 'sandbox-basic-client' });
    assert.equal(configuration.revocationEndpoint, 'http://127.0.0.1:4321/token/revocation');
    assert.equal(revocationEndpointOf(configuration), 'http://127.0.0.1:4321/token/revocation');
    assert.equal(configuration.jwksUri, 'http://127.0.0.1:4321/jwks');
    // The ID token check takes the keys from there, not from a discovery request.
    const check = idTokenCheckFor({ accessToken: 'a', tokenType: 'Bearer', idToken: 'h.p.s', obtainedAt: 0, extra: {} }, configuration, { kind: 'authorization', nonce: 'n' }, 0);
    assert.equal(check.kind === 'verify' && check.expectations.jwksUri, 'http://127.0.0.1:4321/jwks');
    assert.deepEqual(validateConfiguration(configuration), []);
  });

  it('leaves revocation endpoint and JWKS URL unset when the sandbox does not publish them', () => {
    const overrides = sandboxOverrides({ issuer: 'http://127.0.0.1:4321', authorization_endpoint: 'a', token_endpoint: 't' });
    assert.equal(Object.hasOwn(overrides, 'revocationEndpoint'), false);
    assert.equal(Object.hasOwn(overrides, 'jwksUri'), false);
    const configuration = configurationFromPreset(presetById('sandbox'), overrides);
    assert.equal(revocationEndpointOf(configuration), undefined, 'Sign Out then says the tokens stay valid until they expire');
    assert.equal(configuration.jwksUri, undefined, 'the keys are then found by discovery from the issuer');
  });

  it('refuses sandbox information whose revocation endpoint or JWKS URL is not a non-empty string', () => {
    const base = { issuer: 'http://127.0.0.1:4321', authorization_endpoint: 'a', token_endpoint: 't' };
    for (const bad of [{ revocation_endpoint: '' }, { revocation_endpoint: 42 }, { jwks_uri: '' }, { jwks_uri: { keys: [] } }]) {
      assert.throws(() => sandboxOverrides({ ...base, ...bad }), OAuthError, JSON.stringify(bad));
    }
  });

  it('derives the sandbox API base from the issuer when the JSON lacks it', () => {
    const overrides = sandboxOverrides({ issuer: 'http://127.0.0.1:4321/', authorization_endpoint: 'a', token_endpoint: 't' });
    assert.equal(overrides.apiBaseUrl, 'http://127.0.0.1:4321/api');
  });

  it('refuses sandbox information without endpoints', () => {
    assert.throws(() => sandboxOverrides({ issuer: 'http://127.0.0.1:1' }), (error: unknown) => error instanceof OAuthError && /npm run sandbox/.test(error.message));
    assert.throws(() => sandboxOverrides(null), OAuthError);
  });
});

describe('validateConfiguration', () => {
  it('accepts the SKY preset once it has an application ID', () => {
    assert.deepEqual(validateConfiguration(sky()), []);
  });

  it('names the field of the app whose value settings.json set outside its choices, instead of failing later', () => {
    const config = { ...sky(), clientAuthMethod: 'client_secret_jwt', preset: 'ping' } as unknown as AppConfiguration;
    assert.deepEqual(validateConfiguration(config), [
      'The app\'s "preset" in authCodeFlow.apps is "ping", which is not one of "sky", "generic", "sandbox", "entra", "google", "github", "okta", "auth0", "keycloak"; '
        + 'run Configure App or correct it in settings.json.',
      'The app\'s "clientAuthMethod" in authCodeFlow.apps is "client_secret_jwt", which is not one of "client_secret_basic", "client_secret_post", "none"; '
        + 'run Configure App or correct it in settings.json.',
    ]);
  });

  it('asks for a missing application ID', () => {
    assert.deepEqual(validateConfiguration(sky({ clientId: '' })), [
      'The application ID (client_id) is missing; copy it from the application\'s registration at the provider.',
    ]);
  });

  it('reports missing endpoints of the generic preset', () => {
    const problems = validateConfiguration(configurationFromPreset(presetById('generic'), { clientId: 'x' }));
    assert.deepEqual(problems, ['Authorization endpoint is missing.', 'Token endpoint is missing.']);
  });

  it('requires https except on loopback', () => {
    assert.deepEqual(validateConfiguration(sky({ tokenEndpoint: 'http://idp.example.com/token' })), [
      'Token endpoint must use https:// (http:// is accepted only for localhost, 127.0.0.1 or [::1]).',
    ]);
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000']) {
      assert.deepEqual(validateConfiguration(sky({ tokenEndpoint: `http://${host}/token` })), [], host);
    }
  });

  it('reports invalid URLs, fragments and a query on the API base', () => {
    const problems = validateConfiguration(
      sky({ authorizationEndpoint: 'oauth2.sky.blackbaud.com/authorization', tokenEndpoint: 'https://x.example/token#frag', apiBaseUrl: 'https://api.example.com?x=1' }),
    );
    assert.deepEqual(problems, [
      'Authorization endpoint "oauth2.sky.blackbaud.com/authorization" is not a valid absolute URL.',
      'Token endpoint must not contain a fragment ("#…").',
      'API base URL must not contain a query ("?…").',
    ]);
  });

  it('reports scopes that are not scope tokens', () => {
    const problems = validateConfiguration(sky({ scopes: ['api offline_access', 'bad"quote', 'ok'] }));
    assert.equal(problems.length, 2);
    assert.match(problems[0] as string, /contains a space/);
    assert.match(problems[1] as string, /not allowed in a scope/);
  });

  it('reports extra parameters that would override the protocol', () => {
    assert.match(validateConfiguration(sky({ extraAuthorizationParams: { state: 'x' } }))[0] as string, /"state" would override/);
  });

  it('accepts a SKY environment ID, but not environment_id sent twice', () => {
    assert.deepEqual(validateConfiguration(sky({ environmentId: 'p-abcdef1234567890ABCDEFG' })), []);
    assert.match(validateConfiguration(sky({ environmentId: 'p-1', extraAuthorizationParams: { environment_id: 'p-2' } }))[0] as string,
      /environment_id is set by the app's "environmentId" and also/);
  });

  it('knows SKY needs a loopback redirect on a fixed port', () => {
    assert.match(validateConfiguration(sky({ redirectMode: 'uriHandler' }))[0] as string, /does not accept editor \(vscode:\/\/\) redirect URIs/);
    assert.match(validateConfiguration(sky({ loopbackPort: 0 }))[0] as string, /choose a fixed loopback port/);
    assert.match(validateConfiguration(sky({ loopbackPort: 70000 }))[0] as string, /not a port number/);
    const generic = configurationFromPreset(presetById('generic'), {
      clientId: 'x',
      authorizationEndpoint: 'https://idp.example.com/authorize',
      tokenEndpoint: 'https://idp.example.com/token',
      redirectMode: 'loopback',
      loopbackPort: 0,
    });
    assert.deepEqual(validateConfiguration(generic), []);
  });

  it('requires PKCE for a public client', () => {
    assert.deepEqual(validateConfiguration(sky({ clientAuthMethod: 'none', usePkce: false })), [
      'A public client (client authentication "none") must use PKCE; set the app\'s "usePkce" in authCodeFlow.apps to true.',
    ]);
  });

  it('checks the subscription key header name', () => {
    assert.match(validateConfiguration(sky({ subscriptionKeyHeader: 'Bad Header:' }))[0] as string, /not a valid HTTP header name/);
  });
});
