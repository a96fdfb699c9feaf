// Review finding 9, end to end through the refresh path: a token response with a field of the wrong type
// is refused before anything is stored, and the stored set stays as it was (not cleared, not replaced by a
// set that claims "no expiry" or "no refresh token").
import * as assert from 'node:assert/strict';
import { ProviderError } from '../../../../src/core/errors/oauthError';
import { refreshAccessToken } from '../../../../src/core/protocol/tokenRequest';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { RefreshCoordinator } from '../../../../src/core/tokens/refreshCoordinator';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { FakeHttpClient, jsonResponse } from '../../support/fakeHttpClient';

const NOW = 1_700_000_000_000;

const CONFIG: AppConfiguration = {
  preset: 'generic',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  apiBaseUrl: 'https://api.example.com',
  clientId: 'client-id',
  scopes: [],
  clientAuthMethod: 'client_secret_post',
  usePkce: true,
  redirectMode: 'loopback',
  loopbackPort: 5000,
  loopbackHost: 'localhost',
  extraAuthorizationParams: {},
};

const STORED: TokenSet = {
  accessToken: 'old-access-token-0123456789',
  tokenType: 'Bearer',
  expiresAt: NOW - 1000,
  refreshToken: 'old-refresh-token-0123456789',
  refreshTokenExpiresAt: NOW + 86_400_000,
  refreshTokenExpiresIn: 86_400,
  obtainedAt: NOW - 3_600_000,
  extra: {},
};

describe('a malformed refresh response (review finding 9)', () => {
  const malformed: Record<string, unknown>[] = [
    { expires_in: 'soon' },
    { refresh_token: 42 },
    { refresh_token_expires_in: 'forever' },
    { scope: ['api'] },
  ];
  for (const fields of malformed) {
    it(`${JSON.stringify(fields)}: refused by name, nothing stored, the stored set kept`, async () => {
      let stored: TokenSet | undefined = structuredClone(STORED);
      const writes: TokenSet[] = [];
      let cleared = false;
      const http = new FakeHttpClient(() => jsonResponse(200, { access_token: 'new-access-token', token_type: 'Bearer', ...fields }));
      const coordinator = new RefreshCoordinator({
        load: () => Promise.resolve(stored),
        refresh: (current) => refreshAccessToken({
          config: CONFIG, secrets: { clientSecret: 'secret' }, refreshToken: current.refreshToken ?? '', http, now: () => NOW,
        }),
        store: (next) => {
          writes.push(next);
          stored = next;
          return Promise.resolve();
        },
        clear: () => {
          cleared = true;
          stored = undefined;
          return Promise.resolve();
        },
      });
      const outcome = await coordinator.refresh();
      assert.equal(outcome.kind, 'failed');
      const error = outcome.kind === 'failed' ? outcome.error : undefined;
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.code, 'invalid_token_response');
      assert.match(error.message, new RegExp(`token response's ${Object.keys(fields)[0]} must be`));
      assert.deepEqual(writes, [], 'nothing was stored');
      assert.equal(cleared, false, 'the stored set was not cleared');
      assert.deepEqual(stored, STORED, 'the stored set is the previous one');
    });
  }
});
