import * as assert from 'node:assert/strict';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { WIRE_PREVIEWS, wirePreview, type WirePreviewInput } from '../../../../src/core/protocol/wirePreview';

const SECRET = 'app-secret-0123456789abcdef';
const KEY = 'subscription-key-0123456789abcdef';
const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const TOKENS: TokenSet = {
  accessToken: 'access-token-0123456789abcdef', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000,
  refreshToken: 'refresh-token-0123456789abcdef', refreshTokenExpiresAt: NOW + 365 * 86_400_000,
  extra: { environment_name: 'Sandbox Env', email: 'ada@example.com' },
};

function input(overrides: Partial<WirePreviewInput> = {}): WirePreviewInput {
  return {
    config: configurationFromPreset(presetById('sky'), { clientId: 'app-1234' }),
    secrets: { clientSecret: SECRET, subscriptionKey: KEY },
    redirectUri: 'http://localhost:5000/callback',
    tokenSet: TOKENS,
    apiPath: '/constituent/v1/constituents?limit=1',
    now: NOW,
    ...overrides,
  };
}

describe('wirePreview (the walkthrough\'s real requests)', function () {
  it('never shows a secret, key or token value, in any preview', function () {
    const received = { redactedUrl: 'http://localhost:5000/callback?code=…(40 chars)&state=…(43 chars)', receivedAt: NOW, via: 'loopback' as const };
    for (const { kind } of WIRE_PREVIEWS) {
      const text = wirePreview(kind, input({ lastCallback: received }));
      for (const secret of [SECRET, KEY, TOKENS.accessToken, TOKENS.refreshToken ?? '', Buffer.from(`app-1234:${SECRET}`).toString('base64')]) {
        assert.ok(!text.includes(secret), `${kind} shows ${secret}`);
      }
    }
  });

  it('says how the token and refresh requests spell the Basic credentials: raw for SKY, RFC 6749 for a generic provider', function () {
    for (const kind of ['tokenRequest', 'refreshRequest'] as const) {
      assert.match(wirePreview(kind, input()), /The `Authorization` header is base64 of the raw "ID:secret", as Blackbaud documents it\./);
      const generic = configurationFromPreset(presetById('generic'), {
        clientId: 'app-1234', tokenEndpoint: 'https://idp.example/token', authorizationEndpoint: 'https://idp.example/authorize',
      });
      assert.match(wirePreview(kind, input({ config: generic })), /each value form-urlencoded first \(RFC 6749 §2\.3\.1\)/);
      const post = { ...generic, clientAuthMethod: 'client_secret_post' as const };
      assert.doesNotMatch(wirePreview(kind, input({ config: post })), /`Authorization` header is/);
    }
  });

  it('says under each heading which app and provider the preview belongs to, the app name kept to one line of inline code', function () {
    for (const { kind } of WIRE_PREVIEWS) {
      const lines = wirePreview(kind, input({ appName: 'SKY prod' })).split('\n');
      assert.match(lines[0], /^# Step \d · /);
      assert.equal(lines[2], 'For the app `SKY prod`: Blackbaud SKY API (oauth2.sky.blackbaud.com).', kind);
    }
    assert.match(wirePreview('tokenRequest', input()), /^# Step 4 · Token request\n\nFor Blackbaud SKY API \(oauth2\.sky\.blackbaud\.com\)\.\n\n/);
    const generic = configurationFromPreset(presetById('generic'), { clientId: 'app-1234' });
    assert.match(wirePreview('authorizationRequest', input({ config: generic })), /\n\nFor Any OAuth 2\.0 \/ OpenID provider\.\n\n/, 'no endpoint yet: no host');
    const hostile = wirePreview('apiRequest', input({ appName: 'a`b\n# [x](command:authCodeFlow.signOut)' })).split('\n')[2];
    assert.equal(hostile, 'For the app ``a`b # [x](command:authCodeFlow.signOut)``: Blackbaud SKY API (oauth2.sky.blackbaud.com).');
  });

  it('shows the authorization URL with every parameter, state masked and PKCE S256', function () {
    const text = wirePreview('authorizationRequest', input());
    assert.match(text, /GET \/authorization\?response_type=code&client_id=app-1234&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fcallback&state=/);
    assert.match(text, /\| `code_challenge_method` \| `S256` \|/);
    assert.match(text, /\| `state` \| `.{4}…\(\d+ chars\)` \|/);
  });

  it('shows an OpenID request\'s nonce masked, like state, and says the ID token must repeat it', function () {
    const openid = input({ config: { ...input().config, scopes: ['openid', 'offline_access'] } });
    const text = wirePreview('authorizationRequest', openid);
    assert.match(text, /\| `nonce` \| `.{4}…\(43 chars\)` \|/);
    assert.match(text, /[?&]nonce=.{4}…\(43 chars\)/);
    assert.match(text, /`state` and `nonce` masked/);
    assert.match(text, /the ID token must repeat/);
    assert.doesNotMatch(wirePreview('authorizationRequest', input()), /nonce/);
  });

  it('shows SKY\'s environment_id in the authorization request only when the setting has one', function () {
    const withEnvironment = input({ config: { ...input().config, environmentId: 'p-abcdef1234567890ABCDEFG' } });
    assert.match(wirePreview('authorizationRequest', withEnvironment), /\| `environment_id` \| `p-abcdef1234567890ABCDEFG` \|/);
    assert.doesNotMatch(wirePreview('authorizationRequest', input()), /environment_id/);
  });

  it('shows refresh_token_expires_in only when the response behind the stored set stated it', function () {
    const stated = { ...TOKENS, refreshTokenExpiresAt: NOW + 5_184_000_000, refreshTokenExpiresIn: 5_184_000 };
    assert.match(wirePreview('tokenResponse', input({ tokenSet: stated })), /"refresh_token_expires_in": 5184000/);
    // A later refresh kept the old refresh token and its expiry; its own response said nothing about them.
    const kept = { ...stated, obtainedAt: NOW + 3_600_000, expiresAt: NOW + 7_200_000 };
    assert.doesNotMatch(wirePreview('tokenResponse', input({ tokenSet: kept })), /refresh_token_expires_in/);
  });

  it('shows the token request with Basic credentials masked and the body split at each &', function () {
    const text = wirePreview('tokenRequest', input());
    assert.match(text, /POST \/token HTTP\/1\.1\nHost: oauth2\.sky\.blackbaud\.com\nAuthorization: Basic /);
    assert.match(text, /grant_type=authorization_code\n&code=\{code from step 3\}\n&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fcallback\n&code_verifier=\{code_verifier from step 1\}\n```/);
  });

  it('says when the secret is missing, and uses the body for client_secret_post', function () {
    const post = input({ secrets: {}, config: { ...input().config, clientAuthMethod: 'client_secret_post' } });
    const text = wirePreview('refreshRequest', post);
    assert.match(text, /&client_id=app-1234\n&client_secret=/);
    assert.match(text, /The application secret is not stored yet\./);
  });

  it('shows SKY\'s preserve_refresh_token when it is on', function () {
    assert.match(wirePreview('refreshRequest', input({ preserveRefreshToken: true })), /&preserve_refresh_token=true/);
    assert.doesNotMatch(wirePreview('refreshRequest', input()), /preserve_refresh_token/);
  });

  it('rebuilds the token response from the stored set with lifetimes as sent', function () {
    const text = wirePreview('tokenResponse', input());
    assert.match(text, /"expires_in": 3600/);
    assert.match(text, /"refresh_token_expires_in": 31536000/);
    assert.match(text, /"environment_name": "Sandbox Env"/);
    assert.match(wirePreview('tokenResponse', input({ tokenSet: undefined })), /No tokens are stored/);
  });

  it('shows the API request with the bearer token and the subscription key masked', function () {
    const text = wirePreview('apiRequest', input());
    assert.match(text, /GET \/constituent\/v1\/constituents\?limit=1 HTTP\/1\.1\nHost: api\.sky\.blackbaud\.com\nAuthorization: Bearer acce…\(\d+ chars\)\nBb-Api-Subscription-Key: subs…\(\d+ chars\)/);
  });

  it('shows placeholders, not masks, for what is not stored yet', function () {
    const text = wirePreview('apiRequest', input({ tokenSet: undefined, secrets: {} }));
    assert.match(text, /Authorization: Bearer \{access token from step 5\}\nBb-Api-Subscription-Key: \{subscription key\}/);
    assert.match(text, /No subscription key is stored yet/);
  });

  it('shows the last callback, or explains that none has arrived', function () {
    assert.match(wirePreview('callback', input()), /No callback has arrived/);
    const text = wirePreview('callback', input({ lastCallback: { redactedUrl: 'http://localhost:5000/callback?code=…(9 chars)', receivedAt: NOW, via: 'loopback' } }));
    assert.match(text, /GET \/callback\?code=…\(9 chars\) HTTP\/1\.1\nHost: localhost:5000/);
  });

  it('explains what to configure instead of throwing when the configuration is incomplete', function () {
    const text = wirePreview('authorizationRequest', input({ config: { ...input().config, clientId: '' } }));
    assert.match(text, /cannot be built for the current configuration: .*client_id/);
  });
});
