import * as assert from 'node:assert/strict';
import type { NamedApp } from '../../../../src/core/apps/namedApp';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import {
  appIdOfSession, sessionFor, sessionIdFor, sessionTokenPlan, sessionTokenUsable, type AppSession,
} from '../../../../src/core/sessions/appSession';
import { hasChanges, sessionChanges } from '../../../../src/core/sessions/sessionChanges';
import { extraScopes, grantedScopes, scopesCover, scopesToRequest } from '../../../../src/core/sessions/sessionScopes';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: 'access-1', tokenType: 'Bearer', obtainedAt: NOW - HOUR, expiresAt: NOW + HOUR, extra: {}, ...overrides };
}

function app(id: string, name: string, scopes: string[] = ['openid', 'offline_access', 'api']): NamedApp {
  return { id, name, configuration: { scopes } as unknown as AppConfiguration };
}

describe('sessions', function () {
  describe('scopes', function () {
    it('takes the granted scopes from the token response, else the configured ones (RFC 6749 §5.1)', function () {
      assert.deepEqual(grantedScopes(tokenSet({ scopes: ['openid', 'api'] }), ['openid', 'offline_access', 'api']), ['openid', 'api']);
      assert.deepEqual(grantedScopes(tokenSet(), ['openid', 'api', 'api']), ['openid', 'api']);
    });

    it('covers a request only when every requested scope was granted, compared exactly', function () {
      assert.equal(scopesCover(['openid', 'api'], ['api']), true);
      assert.equal(scopesCover(['openid', 'api'], ['api', 'openid']), true);
      assert.equal(scopesCover(['openid', 'api'], ['API']), false);
      assert.equal(scopesCover(['openid', 'api'], ['api', 'email']), false);
      assert.equal(scopesCover(['openid'], []), true);
      assert.equal(scopesCover([], undefined), true);
    });

    it('asks for the app\'s own scopes plus the extra ones, each once, own ones first', function () {
      assert.deepEqual(scopesToRequest(['openid', 'api'], ['email', 'api', ' ', 'email']), ['openid', 'api', 'email']);
      assert.deepEqual(extraScopes(['openid', 'api'], ['api', 'email', 'email']), ['email']);
    });
  });

  describe('session of an app', function () {
    it('is the app as the account (id and name) with the granted scopes and the access token', function () {
      const session = sessionFor(app('a1', 'SKY test'), tokenSet({ scopes: ['api'] }));
      assert.deepEqual(session, { id: sessionIdFor('a1'), accessToken: 'access-1', account: { id: 'a1', label: 'SKY test' }, scopes: ['api'] });
    });

    it('maps a session id back to its app, and refuses ids it did not issue', function () {
      assert.equal(appIdOfSession(sessionIdFor('app-7')), 'app-7');
      assert.equal(appIdOfSession('app-7'), undefined);
      assert.equal(appIdOfSession(sessionIdFor('')), undefined);
    });

    it('hands a valid token out as is and refreshes an expired or expiring one first', function () {
      assert.equal(sessionTokenPlan(tokenSet({ refreshToken: 'r' }), NOW), 'use');
      assert.equal(sessionTokenPlan(tokenSet({ refreshToken: 'r', expiresAt: NOW - 1 }), NOW), 'refresh');
      assert.equal(sessionTokenPlan(tokenSet({ refreshToken: 'r', expiresAt: NOW + 60_000 }), NOW), 'refresh');
      assert.equal(sessionTokenPlan(tokenSet({ expiresAt: undefined }), NOW), 'use');
    });

    it('without a refresh token hands out an expiring token but never an expired one', function () {
      assert.equal(sessionTokenPlan(tokenSet({ expiresAt: NOW + 60_000 }), NOW), 'use');
      assert.equal(sessionTokenPlan(tokenSet({ expiresAt: NOW - 1 }), NOW), 'unusable');
      // Inside the margin before expiry counts as expired: it would be rejected on arrival.
      assert.equal(sessionTokenUsable(tokenSet({ expiresAt: NOW + 1000 }), NOW), false);
      assert.equal(sessionTokenUsable(tokenSet({ expiresAt: NOW + 60_000 }), NOW), true);
    });
  });

  describe('changes', function () {
    const snapshot = (...sessions: AppSession[]): Map<string, AppSession> => new Map(sessions.map((session) => [session.id, session]));
    const one = sessionFor(app('a1', 'One'), tokenSet());
    const two = sessionFor(app('a2', 'Two'), tokenSet());

    it('reports added, removed and changed sessions, and nothing for an unchanged one', function () {
      const refreshed = sessionFor(app('a1', 'One'), tokenSet({ accessToken: 'access-2' }));
      const changes = sessionChanges(snapshot(one, two), snapshot(refreshed, sessionFor(app('a3', 'Three'), tokenSet())));
      assert.deepEqual(changes.added.map((session) => session.account.id), ['a3']);
      assert.deepEqual(changes.removed.map((session) => session.account.id), ['a2']);
      assert.deepEqual(changes.changed, [refreshed]);
      assert.equal(hasChanges(sessionChanges(snapshot(one, two), snapshot(two, one))), false);
    });

    it('reports a renamed app and new scopes as changed', function () {
      const renamed = sessionFor(app('a1', 'One (prod)'), tokenSet());
      assert.deepEqual(sessionChanges(snapshot(one), snapshot(renamed)).changed, [renamed]);
      const rescoped = sessionFor(app('a1', 'One'), tokenSet({ scopes: ['api', 'email'] }));
      assert.deepEqual(sessionChanges(snapshot(one), snapshot(rescoped)).changed, [rescoped]);
    });
  });
});
