import * as assert from 'node:assert/strict';
import { buildAuthorizationRequest } from '../../../../src/core/protocol/authorizationRequest';
import { issuerRequirement } from '../../../../src/core/protocol/callback';
import { isOpenIdProvider, missingRefreshTokenNotice, offlineAccessParameters } from '../../../../src/core/protocol/offlineAccess';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

function generic(overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return configurationFromPreset(presetById('generic'), {
    authorizationEndpoint: 'https://login.example.com/authorize', tokenEndpoint: 'https://login.example.com/token', clientId: 'app', ...overrides,
  });
}

describe('offlineAccessParameters (OpenID Connect Core §11)', () => {
  const cases: [name: string, config: AppConfiguration, extras: Record<string, string>, expected: Record<string, string>][] = [
    ['offline_access from a discovered OpenID provider', generic({ scopes: ['api', 'offline_access'], openIdProvider: true }), {}, { prompt: 'consent' }],
    ['offline_access with openid in the scopes', generic({ scopes: ['openid offline_access'] }), {}, { prompt: 'consent' }],
    ['offline_access from the sandbox preset (an OpenID provider)', configurationFromPreset(presetById('sandbox')), {}, { prompt: 'consent' }],
    ['offline_access from a plain OAuth 2.0 provider', generic({ scopes: ['offline_access'] }), {}, {}],
    ['no offline_access', generic({ scopes: ['openid', 'api'], openIdProvider: true }), {}, {}],
    ['the user\'s own prompt', generic({ scopes: ['openid', 'offline_access'] }), { prompt: 'login' }, {}],
    ['the user\'s own empty prompt', generic({ scopes: ['openid', 'offline_access'] }), { prompt: '' }, {}],
    ['SKY (no scopes)', configurationFromPreset(presetById('sky')), {}, {}],
  ];
  for (const [name, config, extras, expected] of cases) {
    it(name, () => {
      assert.deepEqual(offlineAccessParameters(config, extras), expected);
    });
  }

  it('leaves a prompt in the endpoint\'s query alone', () => {
    assert.deepEqual(offlineAccessParameters(generic({ scopes: ['openid', 'offline_access'] }), {}, new Set(['prompt'])), {});
  });

  it('is part of the authorization request the extension sends, once, after the extra parameters', () => {
    const withRule = new URL(buildAuthorizationRequest(generic({ scopes: ['openid', 'offline_access'], extraAuthorizationParams: { audience: 'x' } }),
      'http://127.0.0.1:5000/callback').url);
    assert.deepEqual(withRule.searchParams.getAll('prompt'), ['consent']);
    const own = new URL(buildAuthorizationRequest(generic({ scopes: ['openid', 'offline_access'], extraAuthorizationParams: { prompt: 'login consent' } }),
      'http://127.0.0.1:5000/callback').url);
    assert.deepEqual(own.searchParams.getAll('prompt'), ['login consent']);
  });

  it('isOpenIdProvider: discovered flag, openid scope, or the preset', () => {
    assert.equal(isOpenIdProvider(generic({ openIdProvider: true })), true);
    assert.equal(isOpenIdProvider(generic({ scopes: ['openid'] })), true);
    assert.equal(isOpenIdProvider(configurationFromPreset(presetById('sandbox'))), true);
    assert.equal(isOpenIdProvider(generic()), false);
    assert.equal(isOpenIdProvider(configurationFromPreset(presetById('sky'))), false);
  });
});

describe('missingRefreshTokenNotice', () => {
  const REFRESH = { refreshToken: 'r', scopes: ['openid'] };
  const cases: [name: string, config: AppConfiguration, tokens: { refreshToken?: string; scopes?: string[] }, expected: RegExp | undefined][] = [
    ['a refresh token came', generic({ scopes: ['openid', 'offline_access'] }), REFRESH, undefined],
    ['none asked for, none came', generic({ scopes: ['openid'] }), { scopes: ['openid'] }, undefined],
    ['asked from an OpenID provider with prompt=consent sent',
      generic({ scopes: ['openid', 'offline_access'] }), { scopes: ['openid'] },
      /^A refresh token was asked for \(offline_access\) but none was granted.* The granted scopes \(openid\) leave offline_access out\. The request had prompt=consent .*allow the refresh_token grant/],
    ['asked, but the user\'s prompt=login replaced consent',
      generic({ scopes: ['openid', 'offline_access'], extraAuthorizationParams: { prompt: 'login' } }), {},
      /prompt=consent \(OpenID Connect Core §11\), and the extra parameter prompt=login replaced it: add consent to it \(prompt=login consent\) or remove it\.$/],
    ['asked from a plain OAuth 2.0 provider',
      generic({ scopes: ['offline_access'] }), {},
      /^A refresh token was asked for .*The provider may not know offline_access/],
  ];
  for (const [name, config, tokens, expected] of cases) {
    it(name, () => {
      const notice = missingRefreshTokenNotice(config, tokens);
      if (expected === undefined) assert.equal(notice, undefined);
      else assert.match(notice ?? '', expected);
    });
  }
});

describe('issuerRequirement (RFC 9207)', () => {
  const cases: [requireIssuerParameter: boolean | undefined, setting: boolean, expected: ReturnType<typeof issuerRequirement>][] = [
    [undefined, false, {}],
    [false, false, {}],
    [true, false, { requireIssuer: true, issuerRequiredBy: 'metadata' }],
    [undefined, true, { requireIssuer: true, issuerRequiredBy: 'setting' }],
    [true, true, { requireIssuer: true, issuerRequiredBy: 'setting' }],
  ];
  for (const [requireIssuerParameter, setting, expected] of cases) {
    it(`app ${String(requireIssuerParameter)}, setting ${String(setting)}`, () => {
      assert.deepEqual(issuerRequirement(requireIssuerParameter === undefined ? {} : { requireIssuerParameter }, setting), expected);
    });
  }
});
