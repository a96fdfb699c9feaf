import * as assert from 'node:assert/strict';
import type { NamedApp } from '../../../../src/core/apps/namedApp';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { sessionIdFor } from '../../../../src/core/sessions/appSession';
import { SessionBroker, type SessionActions } from '../../../../src/core/sessions/sessionBroker';
import type { RefreshOutcome } from '../../../../src/core/tokens/refreshCoordinator';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

function tokenSet(accessToken: string, overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken, tokenType: 'Bearer', obtainedAt: NOW - HOUR, expiresAt: NOW + HOUR, extra: {}, ...overrides };
}

function app(id: string, name: string, scopes = ['openid', 'api']): NamedApp {
  return { id, name, configuration: { scopes } as unknown as AppConfiguration };
}

/** Fake app list, token store and actions that record what the broker asked of them. */
class Fakes {
  apps: NamedApp[] = [app('sky', 'SKY test'), app('entra', 'Contoso', ['openid', 'offline_access', 'User.Read'])];
  stored = new Map<string, TokenSet>();
  calls: string[] = [];
  loads = 0;
  refreshOutcome: (appId: string) => RefreshOutcome = (appId) => {
    const next = tokenSet(`${appId}-refreshed`, { refreshToken: 'r2', scopes: this.stored.get(appId)?.scopes });
    this.stored.set(appId, next);
    return { kind: 'refreshed', tokenSet: next };
  };
  grant: (appId: string, scopes: readonly string[]) => TokenSet | undefined = (appId, scopes) => tokenSet(`${appId}-new`, { scopes: [...scopes] });
  now = NOW;

  broker(): SessionBroker {
    const actions: SessionActions = {
      refresh: async (appId) => {
        this.calls.push(`refresh ${appId}`);
        return this.refreshOutcome(appId);
      },
      authorize: async (appId, scopes) => {
        this.calls.push(`authorize ${appId} ${scopes.join(' ')}`);
        const granted = this.grant(appId, scopes);
        if (granted) this.stored.set(appId, granted);
        return granted !== undefined;
      },
      signOut: async (appId) => {
        this.calls.push(`signOut ${appId}`);
        this.stored.delete(appId);
      },
    };
    return new SessionBroker({
      apps: () => this.apps,
      tokenSet: async (appId) => this.stored.get(appId),
      actions: async () => {
        this.loads += 1;
        return actions;
      },
      now: () => this.now,
      warn: (text) => this.calls.push(`warn ${text}`),
    });
  }
}

describe('SessionBroker', function () {
  it('hands out each app\'s session whose granted scopes cover the request, without loading the actions', async function () {
    const fakes = new Fakes();
    fakes.stored.set('sky', tokenSet('sky-1', { scopes: ['openid', 'api'] }));
    fakes.stored.set('entra', tokenSet('entra-1', { scopes: ['openid', 'User.Read'] }));
    const broker = fakes.broker();
    assert.deepEqual((await broker.sessions(['api'])).map((session) => session.accessToken), ['sky-1']);
    assert.deepEqual((await broker.sessions(undefined)).map((session) => session.account.label), ['SKY test', 'Contoso']);
    assert.deepEqual((await broker.sessions([], 'entra')).map((session) => session.id), [sessionIdFor('entra')]);
    assert.deepEqual(await broker.sessions(['api'], 'entra'), []);
    assert.equal(fakes.loads, 0, 'a valid token needs no request, so dist/commands.js stays unloaded');
  });

  it('refreshes an expired access token before handing it out', async function () {
    const fakes = new Fakes();
    fakes.stored.set('sky', tokenSet('sky-old', { refreshToken: 'r1', expiresAt: NOW - 1 }));
    const sessions = await fakes.broker().sessions(['api'], 'sky');
    assert.deepEqual(sessions.map((session) => session.accessToken), ['sky-refreshed']);
    assert.deepEqual(fakes.calls, ['refresh sky']);
  });

  it('keeps a still-valid token when the refresh fails, and drops an expired one', async function () {
    const fakes = new Fakes();
    fakes.refreshOutcome = () => ({ kind: 'failed', error: new Error('offline') });
    fakes.stored.set('sky', tokenSet('sky-expiring', { refreshToken: 'r1', expiresAt: NOW + 60_000 }));
    fakes.stored.set('entra', tokenSet('entra-expired', { refreshToken: 'r1', expiresAt: NOW - 1 }));
    const sessions = await fakes.broker().sessions(undefined);
    assert.deepEqual(sessions.map((session) => session.accessToken), ['sky-expiring']);
    assert.equal(fakes.calls.filter((call) => call.startsWith('warn')).length, 2);
  });

  it('drops an expired token that cannot be refreshed without sending anything', async function () {
    const fakes = new Fakes();
    fakes.stored.set('sky', tokenSet('sky-expired', { expiresAt: NOW - 1 }));
    assert.deepEqual(await fakes.broker().sessions(undefined), []);
    assert.deepEqual(fakes.calls, []);
  });

  it('creates a session by authorizing the app with its own scopes plus the asked ones', async function () {
    const fakes = new Fakes();
    const session = await fakes.broker().create(fakes.apps[0]!, ['openid', 'api', 'email'], ['email']);
    assert.deepEqual(fakes.calls, ['authorize sky openid api email']);
    assert.deepEqual(session, {
      id: sessionIdFor('sky'), accessToken: 'sky-new', account: { id: 'sky', label: 'SKY test' }, scopes: ['openid', 'api', 'email'],
    });
  });

  it('takes a sign-in whose response left out scope as granting what was asked (RFC 6749 §5.1)', async function () {
    const fakes = new Fakes();
    fakes.grant = (appId) => tokenSet(`${appId}-new`);
    const session = await fakes.broker().create(fakes.apps[0]!, ['openid', 'api', 'email'], ['email']);
    assert.deepEqual(session.scopes, ['openid', 'api', 'email']);
  });

  it('refuses a sign-in that did not complete, or whose grant lacks a scope asked for, naming it', async function () {
    const fakes = new Fakes();
    fakes.grant = () => undefined;
    await assert.rejects(fakes.broker().create(fakes.apps[0]!, ['openid', 'api'], ['api']), /did not complete/);
    fakes.grant = (appId) => tokenSet(`${appId}-new`, { scopes: ['openid'] });
    await assert.rejects(fakes.broker().create(fakes.apps[0]!, ['openid', 'api'], ['api']), /did not grant api\./);
  });

  it('signs out of the session\'s app, and of nothing for an id it did not issue', async function () {
    const fakes = new Fakes();
    fakes.stored.set('sky', tokenSet('sky-1'));
    const broker = fakes.broker();
    assert.equal(await broker.remove(sessionIdFor('sky')), true);
    assert.equal(await broker.remove(sessionIdFor('gone')), false);
    assert.equal(await broker.remove('github-session'), false);
    assert.deepEqual(fakes.calls, ['signOut sky']);
    assert.equal(fakes.stored.has('sky'), false);
  });

  it('reports sessions added, changed and removed between reads, and nothing when nothing changed', async function () {
    const fakes = new Fakes();
    const broker = fakes.broker();
    assert.equal(await broker.changes(), undefined);
    fakes.stored.set('sky', tokenSet('sky-1'));
    assert.deepEqual((await broker.changes())?.added.map((session) => session.accessToken), ['sky-1']);
    assert.equal(await broker.changes(), undefined);
    fakes.stored.set('sky', tokenSet('sky-2'));
    assert.deepEqual((await broker.changes())?.changed.map((session) => session.accessToken), ['sky-2']);
    fakes.apps = [fakes.apps[1]!];
    assert.deepEqual((await broker.changes())?.removed.map((session) => session.account.id), ['sky']);
    assert.equal(fakes.loads, 0);
  });

  it('reports overlapping re-reads in order, each against the one before', async function () {
    const fakes = new Fakes();
    const broker = fakes.broker();
    fakes.stored.set('sky', tokenSet('sky-1'));
    const first = broker.changes();
    fakes.stored.set('entra', tokenSet('entra-1'));
    const second = broker.changes();
    const [a, b] = await Promise.all([first, second]);
    // The first read already saw both (reads are asynchronous); the second then finds nothing new.
    assert.deepEqual(a?.added.map((session) => session.account.id).sort(), ['entra', 'sky']);
    assert.equal(b, undefined);
  });

  it('names the error of a refresh that needs a new authorization in the warning', async function () {
    const fakes = new Fakes();
    fakes.refreshOutcome = () => ({ kind: 'reauthorize', error: new OAuthError({ code: 'invalid_grant', description: 'The refresh token was revoked.' }) });
    fakes.stored.set('sky', tokenSet('sky-old', { refreshToken: 'r1', expiresAt: NOW - 1 }));
    assert.deepEqual(await fakes.broker().sessions(undefined), []);
    assert.match(fakes.calls.join('\n'), /warn Refreshing "SKY test" .*revoked/);
  });
});
