import * as assert from 'node:assert/strict';
import { extraParameterProblems, RESERVED_AUTHORIZATION_PARAMETERS, scopeParameter } from '../../../../src/core/protocol/authorizationParameters';
import { buildAuthorizationRequest } from '../../../../src/core/protocol/authorizationRequest';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { challengeFor } from '../../../../src/core/protocol/pkce';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const FIXED = {
  state: 'fixed-state-value',
  pkce: { verifier: VERIFIER, challenge: challengeFor(VERIFIER), method: 'S256' as const },
  now: () => 1_700_000_000_000,
};
const REDIRECT_URI = 'http://localhost:5000/callback';

function config(overrides: Partial<AppConfiguration> = {}): AppConfiguration {
  return {
    preset: 'generic',
    authorizationEndpoint: 'https://idp.example.com/oauth/authorize',
    tokenEndpoint: 'https://idp.example.com/oauth/token',
    apiBaseUrl: 'https://api.example.com',
    clientId: 'client-123',
    scopes: ['read', 'write'],
    clientAuthMethod: 'client_secret_basic',
    usePkce: true,
    redirectMode: 'loopback',
    loopbackPort: 5000,
    loopbackHost: 'localhost',
    extraAuthorizationParams: {},
    ...overrides,
  };
}

function queryOf(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

function assertConfigurationError(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof OAuthError);
    assert.equal(error.code, 'invalid_configuration');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('buildAuthorizationRequest', () => {
  it('sets every RFC 6749 §4.1.1 and RFC 7636 parameter', () => {
    const request = buildAuthorizationRequest(config(), REDIRECT_URI, FIXED);
    const query = queryOf(request.url);
    assert.deepEqual([...query.keys()], [
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
    assert.equal(query.get('response_type'), 'code');
    assert.equal(query.get('client_id'), 'client-123');
    assert.equal(query.get('redirect_uri'), REDIRECT_URI);
    assert.equal(query.get('scope'), 'read write');
    assert.equal(query.get('state'), 'fixed-state-value');
    assert.equal(query.get('code_challenge'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    assert.equal(query.get('code_challenge_method'), 'S256');
  });

  it('returns what the callback and the token request need', () => {
    const request = buildAuthorizationRequest(config(), REDIRECT_URI, FIXED);
    assert.equal(request.state, 'fixed-state-value');
    assert.equal(request.codeVerifier, VERIFIER);
    assert.equal(request.redirectUri, REDIRECT_URI);
    assert.equal(request.createdAt, 1_700_000_000_000);
  });

  it('returns the URL as an exact string with percent-encoded values', () => {
    const request = buildAuthorizationRequest(config(), REDIRECT_URI, FIXED);
    assert.equal(
      request.url,
      'https://idp.example.com/oauth/authorize?response_type=code&client_id=client-123' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fcallback&scope=read%20write&state=fixed-state-value' +
        '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    );
  });

  it('generates a fresh state and PKCE pair for every request', () => {
    const first = buildAuthorizationRequest(config(), REDIRECT_URI);
    const second = buildAuthorizationRequest(config(), REDIRECT_URI);
    assert.notEqual(first.state, second.state);
    assert.notEqual(first.codeVerifier, second.codeVerifier);
    assert.match(first.state, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(queryOf(first.url).get('code_challenge'), challengeFor(first.codeVerifier as string));
  });

  it('omits scope when no scopes are configured', () => {
    const request = buildAuthorizationRequest(config({ scopes: [] }), REDIRECT_URI, FIXED);
    assert.equal(queryOf(request.url).has('scope'), false);
  });

  it('joins, splits and de-duplicates scopes', () => {
    assert.equal(scopeParameter(['api', 'offline_access api', '', ' read ']), 'api offline_access read');
  });

  it('leaves out PKCE when it is turned off', () => {
    const request = buildAuthorizationRequest(config({ usePkce: false }), REDIRECT_URI, FIXED);
    assert.equal(queryOf(request.url).has('code_challenge'), false);
    assert.equal(queryOf(request.url).has('code_challenge_method'), false);
    assert.equal('codeVerifier' in request, false);
  });

  it('keeps a query the authorization endpoint already has, byte for byte', () => {
    const endpoint = 'https://idp.example.com/authorize?tenant=a%2Fb&p=B2C_1_signin';
    const request = buildAuthorizationRequest(config({ authorizationEndpoint: endpoint }), REDIRECT_URI, FIXED);
    assert.ok(request.url.startsWith(`${endpoint}&response_type=code&`), request.url);
    assert.equal(queryOf(request.url).get('tenant'), 'a/b');
  });

  it('does not add a second separator after an endpoint ending in "?"', () => {
    const request = buildAuthorizationRequest(config({ authorizationEndpoint: 'https://idp.example.com/authorize?' }), REDIRECT_URI, FIXED);
    assert.ok(request.url.startsWith('https://idp.example.com/authorize?response_type=code&'), request.url);
  });

  it('appends configured and per-run extra parameters after the protocol ones', () => {
    const request = buildAuthorizationRequest(
      config({ extraAuthorizationParams: { audience: 'https://api.example.com', prompt: 'consent' } }),
      REDIRECT_URI,
      { ...FIXED, extraParams: { prompt: 'login', login_hint: 'ada@example.com' } },
    );
    const query = queryOf(request.url);
    assert.equal(query.get('audience'), 'https://api.example.com');
    assert.equal(query.get('prompt'), 'login');
    assert.equal(query.get('login_hint'), 'ada@example.com');
    assert.deepEqual([...query.keys()].slice(-3), ['audience', 'prompt', 'login_hint']);
  });

  it('reserves the parameters that would send the response where no redirect mode receives it', () => {
    for (const name of ['response_mode', 'request', 'request_uri', 'response_type', 'state', 'code_challenge']) {
      assert.ok(RESERVED_AUTHORIZATION_PARAMETERS.has(name), name);
    }
  });

  for (const name of RESERVED_AUTHORIZATION_PARAMETERS) {
    it(`refuses an extra parameter that would override "${name}"`, () => {
      assertConfigurationError(
        () => buildAuthorizationRequest(config({ extraAuthorizationParams: { [name]: 'evil' } }), REDIRECT_URI, FIXED),
        new RegExp(`"${name}" would override`),
      );
      assertConfigurationError(
        () => buildAuthorizationRequest(config(), REDIRECT_URI, { ...FIXED, extraParams: { [name]: 'evil' } }),
        new RegExp(`"${name}"`),
      );
    });
  }

  it('refuses an extra parameter the endpoint query already has', () => {
    assertConfigurationError(
      () =>
        buildAuthorizationRequest(
          config({ authorizationEndpoint: 'https://idp.example.com/authorize?p=a', extraAuthorizationParams: { p: 'b' } }),
          REDIRECT_URI,
          FIXED,
        ),
      /already in the authorization endpoint/,
    );
  });

  it('refuses an endpoint whose query already sets a protocol parameter', () => {
    assertConfigurationError(
      () => buildAuthorizationRequest(config({ authorizationEndpoint: 'https://idp.example.com/authorize?response_type=token' }), REDIRECT_URI, FIXED),
      /already contains "response_type"/,
    );
  });

  it('refuses an endpoint with a fragment, a relative endpoint, a bad redirect URI and an empty client ID', () => {
    assertConfigurationError(
      () => buildAuthorizationRequest(config({ authorizationEndpoint: 'https://idp.example.com/authorize#x' }), REDIRECT_URI, FIXED),
      /fragment/,
    );
    assertConfigurationError(() => buildAuthorizationRequest(config({ authorizationEndpoint: '/authorize' }), REDIRECT_URI, FIXED), /not an absolute URL/);
    assertConfigurationError(() => buildAuthorizationRequest(config(), 'callback', FIXED), /redirect URI/);
    assertConfigurationError(() => buildAuthorizationRequest(config(), 'http://localhost:5000/callback#frag', FIXED), /fragment/);
    assertConfigurationError(() => buildAuthorizationRequest(config({ clientId: '  ' }), REDIRECT_URI, FIXED), /client_id/);
  });

  it('keeps a redirect URI that carries its own query (code-server) intact as one value', () => {
    const redirectUri = 'http://127.0.0.1:8080/stable-abc/callback?vscode-reqid=1&vscode-scheme=code-oss';
    const request = buildAuthorizationRequest(config(), redirectUri, FIXED);
    assert.equal(queryOf(request.url).get('redirect_uri'), redirectUri);
    assert.equal(queryOf(request.url).has('vscode-reqid'), false);
  });
});

describe('SKY environment_id (the app\'s environmentId)', () => {
  const sky = (overrides: Partial<AppConfiguration> = {}): AppConfiguration =>
    config({ preset: 'sky', authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization', scopes: [], ...overrides });

  it('lands on the authorization URL, after the protocol parameters, only when set', () => {
    const query = queryOf(buildAuthorizationRequest(sky({ environmentId: ' p-abcdef1234567890ABCDEFG ' }), REDIRECT_URI, FIXED).url);
    assert.deepEqual([...query.keys()],
      ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'environment_id']);
    assert.equal(query.get('environment_id'), 'p-abcdef1234567890ABCDEFG');
    for (const unset of [undefined, '', '   ']) {
      const url = buildAuthorizationRequest(sky(unset === undefined ? {} : { environmentId: unset }), REDIRECT_URI, FIXED).url;
      assert.equal(queryOf(url).has('environment_id'), false, `environmentId ${JSON.stringify(unset)}`);
    }
  });

  it('cannot add or override a protocol parameter, whatever the value holds', () => {
    const hostile = 'p-1&state=attacker&client_id=other&redirect_uri=https://evil.example/cb&response_type=token#x';
    const request = buildAuthorizationRequest(sky({ environmentId: hostile }), REDIRECT_URI, FIXED);
    const query = queryOf(request.url);
    assert.equal(query.get('environment_id'), hostile, 'one value, delivered as written');
    for (const [name, expected] of [['state', 'fixed-state-value'], ['client_id', 'client-123'], ['redirect_uri', REDIRECT_URI], ['response_type', 'code']]) {
      assert.deepEqual(query.getAll(name), [expected], name);
    }
    assert.equal(new URL(request.url).hash, '');
  });

  it('refuses to send environment_id twice (environmentId plus extra parameter or endpoint query)', () => {
    assertConfigurationError(() => buildAuthorizationRequest(sky({ environmentId: 'p-1', extraAuthorizationParams: { environment_id: 'p-2' } }), REDIRECT_URI, FIXED),
      /environment_id is set by the app's "environmentId" and also/);
    assertConfigurationError(() => buildAuthorizationRequest(sky({ environmentId: 'p-1', authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization?environment_id=p-2' }), REDIRECT_URI, FIXED),
      /keep only "environmentId" \(Configure App asks for it\)/);
    // Without environmentId, an extra parameter of that name is the user's own business.
    const viaExtra = buildAuthorizationRequest(sky({ extraAuthorizationParams: { environment_id: 'p-2' } }), REDIRECT_URI, FIXED);
    assert.deepEqual(queryOf(viaExtra.url).getAll('environment_id'), ['p-2']);
  });
});

describe('buildAuthorizationRequest: OpenID nonce', () => {
  it('sends a fresh nonce when openid is requested, and keeps it with the request', () => {
    const first = buildAuthorizationRequest(config({ scopes: ['openid', 'profile'] }), REDIRECT_URI, FIXED);
    const second = buildAuthorizationRequest(config({ scopes: ['openid profile'] }), REDIRECT_URI, FIXED);
    assert.match(first.nonce ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(queryOf(first.url).getAll('nonce'), [first.nonce]);
    assert.notEqual(first.nonce, second.nonce, 'a new nonce for every request');
  });

  it('sends no nonce for a plain OAuth 2.0 request', () => {
    const request = buildAuthorizationRequest(config({ scopes: ['openidish', 'api'] }), REDIRECT_URI, FIXED);
    assert.equal(request.nonce, undefined);
    assert.equal(queryOf(request.url).has('nonce'), false);
  });

  it('refuses a nonce from the extra parameters: the flow owns it', () => {
    assert.ok(RESERVED_AUTHORIZATION_PARAMETERS.has('nonce'));
    assertConfigurationError(() => buildAuthorizationRequest(config({ scopes: ['openid'], extraAuthorizationParams: { nonce: 'fixed' } }), REDIRECT_URI, FIXED),
      /"nonce" would override a parameter the flow sets itself/);
  });
});

describe('extraParameterProblems', () => {
  it('lists every problem as a sentence', () => {
    const problems = extraParameterProblems({ state: 'x', '': 'y', audience: 'ok', p: 'dup' }, new Set(['p']));
    assert.equal(problems.length, 3);
    assert.ok(problems.some((problem) => problem.includes('"state" would override')));
    assert.ok(problems.some((problem) => problem.includes('empty name')));
    assert.ok(problems.some((problem) => problem.includes('"p" is already')));
  });
});
