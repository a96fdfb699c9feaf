import * as assert from 'node:assert/strict';
import { buildAuthorizationRequest } from '../../../../src/core/protocol/authorizationRequest';
import { missingRefreshTokenNotice } from '../../../../src/core/protocol/offlineAccess';
import { authorizationCodeTokenRequest } from '../../../../src/core/protocol/tokenRequest';
import type { AppConfiguration, ClientAuthMethod, LoopbackHost, PresetId } from '../../../../src/core/providers/appConfiguration';
import {
  configurationFromPreset,
  presetById,
  validateConfiguration,
  withTenant,
} from '../../../../src/core/providers/presets';

// One row per provider preset of issue 11: what each one starts from, and what it puts on the wire.

interface Row {
  id: PresetId;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  apiBaseUrl: string;
  defaultApiPath: string;
  scopes: string[];
  clientAuthMethod: ClientAuthMethod;
  loopbackHost: LoopbackHost;
  loopbackPort: number;
  requiresExactLoopbackPort: boolean;
  acceptsVscodeSchemeRedirect: boolean;
  /** Authorization request parameters the preset adds by itself. */
  extraParams: Record<string, string>;
  /** Whether Configure App runs discovery from an issuer. */
  discovery: boolean;
  /** What a minimal usable configuration needs on top of a client ID. */
  completion: Partial<AppConfiguration>;
}

const DISCOVERED = (issuer: string): Partial<AppConfiguration> => ({
  issuer,
  authorizationEndpoint: `${issuer.replace(/\/$/, '')}/authorize`,
  tokenEndpoint: `${issuer.replace(/\/$/, '')}/token`,
});

const ROWS: Row[] = [
  {
    id: 'entra',
    authorizationEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    apiBaseUrl: 'https://graph.microsoft.com/v1.0',
    defaultApiPath: '/me',
    scopes: ['openid', 'profile', 'offline_access', 'User.Read'],
    clientAuthMethod: 'none',
    loopbackHost: 'localhost',
    loopbackPort: 0,
    requiresExactLoopbackPort: false,
    acceptsVscodeSchemeRedirect: false,
    extraParams: {},
    discovery: false,
    completion: {},
  },
  {
    id: 'google',
    authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenEndpoint: 'https://oauth2.googleapis.com/token',
    apiBaseUrl: 'https://openidconnect.googleapis.com',
    defaultApiPath: '/v1/userinfo',
    scopes: ['openid', 'email', 'profile'],
    clientAuthMethod: 'client_secret_post',
    loopbackHost: '127.0.0.1',
    loopbackPort: 0,
    requiresExactLoopbackPort: false,
    acceptsVscodeSchemeRedirect: false,
    extraParams: { access_type: 'offline', prompt: 'consent' },
    discovery: false,
    completion: {},
  },
  {
    id: 'github',
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    apiBaseUrl: 'https://api.github.com',
    defaultApiPath: '/user',
    scopes: ['read:user'],
    clientAuthMethod: 'client_secret_post',
    loopbackHost: '127.0.0.1',
    loopbackPort: 0,
    requiresExactLoopbackPort: false,
    acceptsVscodeSchemeRedirect: true,
    extraParams: {},
    discovery: false,
    completion: {},
  },
  {
    id: 'okta',
    authorizationEndpoint: '',
    tokenEndpoint: '',
    apiBaseUrl: '',
    defaultApiPath: '/v1/userinfo',
    scopes: ['openid', 'profile', 'offline_access'],
    clientAuthMethod: 'none',
    loopbackHost: 'localhost',
    loopbackPort: 5000,
    requiresExactLoopbackPort: true,
    acceptsVscodeSchemeRedirect: false,
    extraParams: {},
    discovery: true,
    completion: DISCOVERED('https://dev-123456.okta.com/oauth2/default'),
  },
  {
    id: 'auth0',
    authorizationEndpoint: '',
    tokenEndpoint: '',
    apiBaseUrl: '',
    defaultApiPath: '/userinfo',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    clientAuthMethod: 'none',
    loopbackHost: 'localhost',
    loopbackPort: 5000,
    requiresExactLoopbackPort: true,
    acceptsVscodeSchemeRedirect: false,
    extraParams: {},
    discovery: true,
    completion: DISCOVERED('https://dev-abc123.us.auth0.com/'),
  },
  {
    id: 'keycloak',
    authorizationEndpoint: '',
    tokenEndpoint: '',
    apiBaseUrl: '',
    defaultApiPath: '/protocol/openid-connect/userinfo',
    scopes: ['openid', 'profile'],
    clientAuthMethod: 'none',
    loopbackHost: 'localhost',
    loopbackPort: 5000,
    requiresExactLoopbackPort: true,
    acceptsVscodeSchemeRedirect: false,
    extraParams: {},
    discovery: true,
    completion: DISCOVERED('https://keycloak.example.com/realms/myrealm'),
  },
];

const REDIRECT_URI = 'http://127.0.0.1:49152/callback';

describe('provider presets of issue 11 (table)', () => {
  for (const row of ROWS) {
    describe(row.id, () => {
      const preset = presetById(row.id);
      const config = configurationFromPreset(preset, { clientId: 'client-1', ...row.completion });

      it('starts from the documented endpoints, scopes and client authentication', () => {
        const fresh = configurationFromPreset(preset);
        assert.equal(fresh.authorizationEndpoint, row.authorizationEndpoint);
        assert.equal(fresh.tokenEndpoint, row.tokenEndpoint);
        assert.equal(fresh.apiBaseUrl, row.apiBaseUrl);
        assert.equal(preset.defaultApiPath, row.defaultApiPath);
        assert.deepEqual(fresh.scopes, row.scopes);
        assert.equal(fresh.clientAuthMethod, row.clientAuthMethod);
        assert.equal(fresh.usePkce, true);
        assert.ok(preset.label !== '' && preset.description !== '', 'a label and a description for the picker');
      });

      it('has the documented redirect rules', () => {
        assert.equal(config.redirectMode, 'loopback');
        assert.equal(config.loopbackHost, row.loopbackHost);
        assert.equal(config.loopbackPort, row.loopbackPort);
        assert.equal(preset.requiresExactLoopbackPort, row.requiresExactLoopbackPort);
        assert.equal(preset.acceptsVscodeSchemeRedirect, row.acceptsVscodeSchemeRedirect);
        const uriHandler = validateConfiguration({ ...config, redirectMode: 'uriHandler' });
        assert.equal(uriHandler.some((problem) => /does not accept editor \(vscode:\/\/\) redirect URIs/.test(problem)), !row.acceptsVscodeSchemeRedirect);
      });

      it(`${row.discovery ? 'declares' : 'has no'} discovery from an issuer`, () => {
        assert.equal(preset.discovery !== undefined, row.discovery);
        if (preset.discovery) {
          assert.ok(preset.discovery.issuerPrompt.length > 10 && preset.discovery.issuerPlaceholder.startsWith('https://'));
        }
      });

      it('is usable once the client ID (and what it asks for) is given', () => {
        assert.deepEqual(validateConfiguration(config), []);
      });

      it('puts its own parameters, scopes and PKCE on the authorization request', () => {
        const url = new URL(buildAuthorizationRequest(config, REDIRECT_URI).url);
        assert.equal(url.searchParams.get('scope'), row.scopes.join(' '));
        assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
        for (const [name, value] of Object.entries(row.extraParams)) {
          assert.equal(url.searchParams.get(name), value, name);
        }
        for (const name of ['access_type', 'prompt', 'audience']) {
          if (!(name in row.extraParams)) assert.equal(url.searchParams.get(name), null, `${name} is not sent`);
        }
      });

      it('authenticates at the token endpoint as configured, asking for JSON', () => {
        const request = authorizationCodeTokenRequest({
          config, secrets: { clientSecret: 'secret-1' }, code: 'code-1', redirectUri: REDIRECT_URI, codeVerifier: 'v'.repeat(43),
        });
        assert.equal(request.headers.Accept, 'application/json');
        assert.equal(request.form.client_id, 'client-1');
        assert.equal(request.form.client_secret, row.clientAuthMethod === 'client_secret_post' ? 'secret-1' : undefined);
        assert.equal(request.headers.Authorization, undefined);
      });
    });
  }
});

describe('Entra tenant', () => {
  const entra = (overrides: Partial<AppConfiguration> = {}): AppConfiguration =>
    configurationFromPreset(presetById('entra'), { clientId: 'client-1', ...overrides });

  it('fills the v2.0 endpoints from the tenant', () => {
    const config = withTenant(entra(), 'contoso.onmicrosoft.com');
    assert.equal(config.tenant, 'contoso.onmicrosoft.com');
    assert.equal(config.authorizationEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
    assert.equal(config.tokenEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    assert.deepEqual(validateConfiguration(config), []);
    const byId = withTenant(entra(), '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.deepEqual(validateConfiguration(byId), []);
    for (const named of ['organizations', 'consumers']) assert.deepEqual(validateConfiguration(withTenant(entra(), named)), [], named);
  });

  it('keeps the endpoints of a stored configuration and their tenant', () => {
    const stored = withTenant(entra(), 'organizations');
    const again = configurationFromPreset(presetById('entra'), stored);
    assert.equal(again.tenant, 'organizations');
    assert.equal(again.tokenEndpoint, 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
  });

  it('asks for a missing tenant and refuses one that is not a tenant', () => {
    assert.deepEqual(validateConfiguration({ ...entra(), tenant: '' }), [
      'The Entra tenant is missing; enter common, organizations, consumers, your tenant ID or your tenant\'s domain in Configure App.',
    ]);
    const spaced = validateConfiguration(withTenant(entra(), 'my tenant/..'));
    assert.equal(spaced.length, 1);
    assert.match(spaced[0] ?? '', /"my tenant\/\.\." is not an Entra tenant/);
    // Encoded, so the path keeps its shape even before the problem is fixed.
    assert.equal(withTenant(entra(), 'a/b').tokenEndpoint, 'https://login.microsoftonline.com/a%2Fb/oauth2/v2.0/token');
  });

  it('names endpoints that point at another tenant', () => {
    const config = { ...withTenant(entra(), 'organizations'), tenant: 'consumers' };
    assert.deepEqual(validateConfiguration(config), [
      'The authorization endpoint names tenant "organizations", not the configured "consumers"; run Configure App to make them agree.',
      'The token endpoint names tenant "organizations", not the configured "consumers"; run Configure App to make them agree.',
    ]);
  });

  it('drops a tenant from presets that have none', () => {
    const sky = configurationFromPreset(presetById('sky'), { tenant: 'common' });
    assert.equal(sky.tenant, undefined);
    assert.equal(withTenant(sky, 'common'), sky);
  });
});

describe('issuer checks of the discovery presets', () => {
  const with_ = (id: PresetId, issuer: string | undefined): string[] => {
    const completion = issuer === undefined ? {} : DISCOVERED(issuer);
    const config = configurationFromPreset(presetById(id), { clientId: 'client-1', ...completion, authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t' });
    return validateConfiguration(config);
  };

  it('asks for the issuer, showing its documented shape', () => {
    assert.deepEqual(with_('okta', undefined), ['The Okta issuer is missing (https://{yourOktaDomain}/oauth2/default); enter it in Configure App, which finds the endpoints from it.']);
    assert.deepEqual(with_('auth0', undefined), ['The Auth0 issuer is missing (https://{tenant}.auth0.com/); enter it in Configure App, which finds the endpoints from it.']);
  });

  it('wants Auth0\'s trailing slash', () => {
    assert.deepEqual(with_('auth0', 'https://dev-abc123.us.auth0.com'), ['The Auth0 issuer must end with "/", as Auth0 writes it: https://dev-abc123.us.auth0.com/']);
    assert.deepEqual(with_('auth0', 'https://login.example.com/'), []);
  });

  it('wants a Keycloak realm URL, old /auth prefix included', () => {
    assert.match(with_('keycloak', 'https://keycloak.example.com/')[0] ?? '', /does not end in \/realms\/ and a realm name/);
    assert.match(with_('keycloak', 'https://keycloak.example.com/realms/a/protocol/openid-connect')[0] ?? '', /realm's URL/);
    assert.deepEqual(with_('keycloak', 'https://keycloak.example.com/auth/realms/myrealm'), []);
  });

  it('leaves issuer shapes of other presets alone', () => {
    assert.deepEqual(with_('okta', 'https://dev-123456.okta.com'), []);
  });
});

describe('missingRefreshTokenNotice', () => {
  const config = (id: PresetId): AppConfiguration => configurationFromPreset(presetById(id), { clientId: 'c' });

  it('explains Google\'s consent rule when no refresh token came', () => {
    const advice = missingRefreshTokenNotice(config('google'), {});
    assert.match(advice ?? '', /access_type=offline/);
    assert.match(advice ?? '', /prompt=consent/);
    assert.match(advice ?? '', /approved before/);
  });

  it('says nothing when a refresh token came, or for a provider without a rule', () => {
    assert.equal(missingRefreshTokenNotice(config('google'), { refreshToken: 'r' }), undefined);
    assert.equal(missingRefreshTokenNotice(config('sky'), {}), undefined);
  });

  it('names GitHub\'s expiring user tokens, Okta\'s grant type and Auth0\'s API setting', () => {
    assert.match(missingRefreshTokenNotice(config('github'), {}) ?? '', /GitHub Apps with expiring user access tokens/);
    assert.match(missingRefreshTokenNotice(config('okta'), {}) ?? '', /Refresh Token/);
    assert.match(missingRefreshTokenNotice(config('auth0'), {}) ?? '', /Allow Offline Access/);
  });
});
