import * as assert from 'node:assert/strict';
import type { DiscoveryResult } from '../../../../src/core/protocol/discovery';
import type { AuthorizationServerMetadata } from '../../../../src/core/protocol/discoveryMetadata';
import { chooseClientAuthMethod, configurationFromMetadata } from '../../../../src/core/providers/discoveredConfiguration';

const ISSUER = 'https://login.example.com';
const BASE: AuthorizationServerMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
};

function discovered(extra: Partial<AuthorizationServerMetadata>, kind: DiscoveryResult['kind'] = 'oauth-authorization-server'): DiscoveryResult {
  const metadataUrl = kind === 'openid-configuration' ? `${ISSUER}/.well-known/openid-configuration` : `${ISSUER}/.well-known/oauth-authorization-server`;
  return { metadata: { ...BASE, ...extra }, metadataUrl, kind };
}

describe('chooseClientAuthMethod', () => {
  const cases: [supported: string[] | undefined, hasSecret: boolean, method: string, finding: RegExp][] = [
    [undefined, true, 'client_secret_basic', /^Chose client authentication client_secret_basic, because .*RFC 8414 makes client_secret_basic the default/],
    [['client_secret_basic', 'client_secret_post'], true, 'client_secret_basic', /^Chose .*lists client_secret_basic, client_secret_post/],
    [['client_secret_post', 'private_key_jwt'], true, 'client_secret_post', /^Chose client authentication client_secret_post/],
    [['private_key_jwt', 'tls_client_auth'], true, 'client_secret_basic', /^Warning: .*none of which this extension supports/],
    [['none'], true, 'none', /^Warning: the provider lists none, so the secret will not be sent/],
    [['client_secret_basic', 'none'], false, 'none', /^Chose client authentication none \(a public client with PKCE\)/],
    [undefined, false, 'none', /^Warning: the app has no secret, .*may refuse a public client/],
    [['client_secret_post'], false, 'none', /^Warning: the app has no secret/],
  ];
  for (const [supported, hasSecret, method, finding] of cases) {
    it(`${JSON.stringify(supported)} with${hasSecret ? '' : 'out'} a secret: ${method}`, () => {
      const choice = chooseClientAuthMethod(supported, hasSecret);
      assert.equal(choice.method, method);
      assert.match(choice.finding, finding);
    });
  }
});

describe('configurationFromMetadata', () => {
  it('fills endpoints, issuer, jwks, revocation, iss requirement and the metadata URL', () => {
    const result = configurationFromMetadata(discovered({
      jwks_uri: `${ISSUER}/jwks`,
      revocation_endpoint: `${ISSUER}/revoke`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    }, 'openid-configuration'), { hasClientSecret: true, scopes: ['api'] });
    assert.deepEqual(result.configuration, {
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/authorize`,
      tokenEndpoint: `${ISSUER}/token`,
      clientAuthMethod: 'client_secret_basic',
      scopes: ['api'],
      discoveredFrom: `${ISSUER}/.well-known/openid-configuration`,
      openIdProvider: true,
      requireIssuerParameter: true,
      jwksUri: `${ISSUER}/jwks`,
      revocationEndpoint: `${ISSUER}/revoke`,
    });
    const text = result.findings.join('\n');
    assert.match(text, /^Found the OpenID Connect metadata at https:\/\/login\.example\.com\/\.well-known\/openid-configuration\.$/m);
    assert.match(text, /^Found the authorization endpoint .*\/authorize and the token endpoint .*\/token\.$/m);
    assert.match(text, /^Chose to require iss .*authorization_response_iss_parameter_supported \(RFC 9207/m);
    assert.match(text, /^Found the signing keys \(jwks_uri\)/m);
    assert.match(text, /^Found the revocation endpoint .*RFC 7009/m);
    assert.match(text, /^Found PKCE S256 support/m);
  });

  it('leaves out what the metadata does not say, and says so', () => {
    const result = configurationFromMetadata(discovered({}), { hasClientSecret: true, scopes: [] });
    assert.deepEqual(Object.keys(result.configuration).sort(),
      ['authorizationEndpoint', 'clientAuthMethod', 'discoveredFrom', 'issuer', 'scopes', 'tokenEndpoint']);
    const text = result.findings.join('\n');
    assert.match(text, /^Found the RFC 8414 metadata/m);
    assert.match(text, /^Found no revocation_endpoint: Sign Out can only forget/m);
    assert.match(text, /^Found no code_challenge_methods_supported; PKCE S256 stays on/m);
    assert.doesNotMatch(text, /require iss/);
  });

  const pkce: [methods: string[], finding: RegExp][] = [
    [['plain'], /^Warning: code_challenge_methods_supported lists plain but not S256\. PKCE S256 stays on/],
    [[], /^Warning: code_challenge_methods_supported lists nothing but not S256/],
    [['S256', 'plain'], /^Found PKCE S256 support/],
  ];
  for (const [methods, finding] of pkce) {
    it(`PKCE with code_challenge_methods_supported ${JSON.stringify(methods)}`, () => {
      const { findings } = configurationFromMetadata(discovered({ code_challenge_methods_supported: methods }), { hasClientSecret: false, scopes: [] });
      assert.ok(findings.some((line) => finding.test(line)), findings.join('\n'));
    });
  }

  const scopes: [supported: string[] | undefined, kind: DiscoveryResult['kind'], configured: string[], expected: string[], openId: boolean][] = [
    [['openid', 'offline_access', 'profile'], 'oauth-authorization-server', ['api'], ['api', 'openid', 'offline_access'], true],
    [['offline_access'], 'oauth-authorization-server', [], ['offline_access'], false],
    [['openid'], 'oauth-authorization-server', ['openid'], ['openid'], true],
    [undefined, 'openid-configuration', ['api'], ['api'], true],
    [undefined, 'oauth-authorization-server', ['api'], ['api'], false],
  ];
  for (const [supported, kind, configured, expected, openId] of scopes) {
    it(`scopes_supported ${JSON.stringify(supported)} from ${kind}, configured ${JSON.stringify(configured)}: suggests ${expected.join(' ')}`, () => {
      const result = configurationFromMetadata(discovered(supported === undefined ? {} : { scopes_supported: supported }, kind),
        { hasClientSecret: true, scopes: configured });
      assert.deepEqual(result.configuration.scopes, expected);
      assert.equal(result.configuration.openIdProvider === true, openId);
      const text = result.findings.join('\n');
      assert.equal(/^Chose scope openid, because/m.test(text), expected.includes('openid') && !configured.includes('openid'));
      assert.equal(/^Chose scope offline_access, because .*prompt=consent, which OpenID Connect Core §11 requires/m.test(text),
        expected.includes('offline_access') && openId);
    });
  }

  it('warns when the provider does not list the code flow', () => {
    const { findings } = configurationFromMetadata(discovered({ response_types_supported: ['token'], grant_types_supported: ['implicit'] }),
      { hasClientSecret: true, scopes: [] });
    assert.ok(findings.includes('Warning: response_types_supported does not list code; the provider may not offer the authorization code flow.'));
    assert.ok(findings.some((line) => line.startsWith('Warning: grant_types_supported does not list authorization_code')));
  });

  it('neutralises provider text in the findings', () => {
    const { findings } = configurationFromMetadata(discovered({ scopes_supported: ['[x](command:workbench.action.quit)', 'a\u202eb'] }),
      { hasClientSecret: true, scopes: [] });
    const text = findings.join('\n');
    assert.ok(!text.includes('](command:'), text);
    assert.ok(!text.includes('\u202e'));
  });
});
