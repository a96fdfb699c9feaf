// Finding 6 of issue 10: settings are not a boundary (a dev container's customizations.vscode.settings feed
// the machine settings), so a stored secret must not follow a changed token endpoint or API base URL
// without the user's consent.
import * as assert from 'node:assert/strict';
import {
  bindingDecision, bindingFor, consentToSend, parseStoredSecret, secretsSentBy, serializeStoredSecret,
  type BoundSecret, type Consent, type SecretBinding, type StoredBinding,
} from '../../../../src/core/providers/secretBinding';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

function config(overrides: Partial<AppConfiguration>): AppConfiguration {
  return { ...configurationFromPreset(presetById('generic'), {}), clientId: 'app-1', clientAuthMethod: 'client_secret_basic', ...overrides };
}

const A = config({ tokenEndpoint: 'https://a.example/oauth/token', apiBaseUrl: 'https://api.a.example/v1', subscriptionKeyHeader: 'X-Key' });
const B = config({ tokenEndpoint: 'https://b.example/oauth/token', apiBaseUrl: 'https://api.b.example/v1', subscriptionKeyHeader: 'X-Key' });

describe('secret bindings', function () {
  describe('bindingFor', function () {
    it('binds the app secret to the token endpoint origin and the client ID, the others to the API origin', function () {
      assert.deepEqual(bindingFor('clientSecret', A), { origin: 'https://a.example', clientId: 'app-1' });
      assert.deepEqual(bindingFor('subscriptionKey', A), { origin: 'https://api.a.example' });
      assert.deepEqual(bindingFor('accessToken', A), { origin: 'https://api.a.example' });
    });

    it('names an origin by scheme, host and port only', function () {
      assert.deepEqual(bindingFor('clientSecret', config({ tokenEndpoint: 'HTTPS://A.example:443/other/path?x=1' })).origin, 'https://a.example');
      assert.deepEqual(bindingFor('accessToken', config({ apiBaseUrl: 'http://127.0.0.1:4477/api' })).origin, 'http://127.0.0.1:4477');
    });
  });

  describe('bindingDecision (table)', function () {
    const a: SecretBinding = { origin: 'https://a.example', clientId: 'app-1' };
    const rows: { name: string; secret: BoundSecret; stored: StoredBinding; wanted: SecretBinding; expected: string; question?: RegExp }[] = [
      { name: 'nothing stored', secret: 'clientSecret', stored: 'absent', wanted: a, expected: 'send' },
      { name: 'same origin and client', secret: 'clientSecret', stored: a, wanted: { ...a }, expected: 'send' },
      { name: 'stored before bindings (migration)', secret: 'clientSecret', stored: 'unbound', wanted: a, expected: 'bind' },
      {
        name: 'another origin', secret: 'clientSecret', stored: a, wanted: { origin: 'https://b.example', clientId: 'app-1' }, expected: 'ask',
        question: /^The application secret was saved for https:\/\/a\.example \(application ID app-1\); send it to https:\/\/b\.example \(application ID app-1\)\?$/,
      },
      { name: 'another client at the same origin', secret: 'clientSecret', stored: a, wanted: { origin: a.origin, clientId: 'app-2' }, expected: 'ask', question: /app-2/ },
      { name: 'another port', secret: 'accessToken', stored: { origin: 'https://a.example' }, wanted: { origin: 'https://a.example:8443' }, expected: 'ask' },
      { name: 'http instead of https', secret: 'subscriptionKey', stored: { origin: 'https://a.example' }, wanted: { origin: 'http://a.example' }, expected: 'ask',
        question: /^The subscription key was saved for https:\/\/a\.example; send it to http:\/\/a\.example\?$/ },
      { name: 'same API origin', secret: 'subscriptionKey', stored: { origin: 'https://a.example' }, wanted: { origin: 'https://a.example' }, expected: 'send' },
    ];
    for (const row of rows) {
      it(`${row.name}: ${row.expected}`, function () {
        const decision = bindingDecision(row.secret, row.stored, row.wanted);
        assert.equal(decision.kind, row.expected);
        if (decision.kind === 'bind') assert.deepEqual(decision.binding, row.wanted);
        if (row.question) assert.match(decision.kind === 'ask' ? decision.question : '', row.question);
      });
    }

    it('shows a client ID from the settings as plain, one-line text', function () {
      const decision = bindingDecision('clientSecret', { origin: 'https://a.example', clientId: 'app-1' },
        { origin: 'https://a.example', clientId: 'x\n\nAllow: the provider <b>says</b> so' });
      assert.equal(decision.kind, 'ask');
      assert.doesNotMatch(decision.kind === 'ask' ? decision.question : '', /\n|<b>/);
    });
  });

  describe('secretsSentBy', function () {
    it('a token request carries the app secret unless the client is public; an API call the token and the key', function () {
      assert.deepEqual(secretsSentBy('token', A), ['clientSecret']);
      assert.deepEqual(secretsSentBy('token', { ...A, clientAuthMethod: 'none' }), []);
      assert.deepEqual(secretsSentBy('api', A), ['accessToken', 'subscriptionKey']);
      assert.deepEqual(secretsSentBy('api', { ...A, subscriptionKeyHeader: '' }), ['accessToken']);
    });
  });

  describe('stored values', function () {
    it('reads a value stored before bindings as unbound, and a bound one with its binding', function () {
      assert.deepEqual(parseStoredSecret('plain-secret-from-0.1'), { value: 'plain-secret-from-0.1', binding: 'unbound' });
      const raw = serializeStoredSecret('s3cret', { origin: 'https://a.example', clientId: 'app-1' });
      assert.deepEqual(parseStoredSecret(raw), { value: 's3cret', binding: { origin: 'https://a.example', clientId: 'app-1' } });
      assert.equal(parseStoredSecret(undefined), undefined);
      assert.equal(parseStoredSecret(''), undefined);
    });

    it('keeps a legacy secret that happens to look like JSON as the secret itself', function () {
      assert.deepEqual(parseStoredSecret('{"a":1}'), { value: '{"a":1}', binding: 'unbound' });
    });
  });

  describe('consentToSend: a secret bound to origin A, the settings now pointing at origin B', function () {
    /** A fake SecretStorage holding each secret with its binding, and a provider counting what it receives. */
    class FakeStore {
      readonly bindings = new Map<BoundSecret, StoredBinding>();
      readonly questions: string[] = [];
      sent = 0;
      constructor(public answer: Consent) {}
      deps() {
        return {
          stored: async (secret: BoundSecret) => this.bindings.get(secret) ?? 'absent' as const,
          bind: async (secret: BoundSecret, binding: SecretBinding) => { this.bindings.set(secret, binding); },
          ask: async (question: string) => { this.questions.push(question); return this.answer; },
        };
      }
      /** What the editor does: send only with consent. */
      async request(kind: 'token' | 'api', configuration: AppConfiguration): Promise<boolean> {
        if (!(await consentToSend(this.deps(), secretsSentBy(kind, configuration), configuration))) return false;
        this.sent += 1;
        return true;
      }
    }

    function boundToA(answer: Consent): FakeStore {
      const store = new FakeStore(answer);
      for (const secret of ['clientSecret', 'subscriptionKey', 'accessToken'] as const) store.bindings.set(secret, bindingFor(secret, A));
      return store;
    }

    it('sends to A without a question', async function () {
      const store = boundToA('cancel');
      assert.equal(await store.request('token', A), true);
      assert.equal(await store.request('api', A), true);
      assert.equal(store.sent, 2);
      assert.deepEqual(store.questions, []);
    });

    it('with Cancel, sends nothing to B and keeps the binding', async function () {
      const store = boundToA('cancel');
      assert.equal(await store.request('token', B), false);
      assert.equal(await store.request('api', B), false);
      assert.equal(store.sent, 0);
      assert.deepEqual(store.questions, [
        'The application secret was saved for https://a.example (application ID app-1); send it to https://b.example (application ID app-1)?',
        'The access token was saved for https://api.a.example; send it to https://api.b.example?',
      ]);
      assert.deepEqual(store.bindings.get('clientSecret'), bindingFor('clientSecret', A));
    });

    it('with Allow Once, sends to B once and asks again next time', async function () {
      const store = boundToA('once');
      assert.equal(await store.request('token', B), true);
      assert.equal(await store.request('token', B), true);
      assert.equal(store.sent, 2);
      assert.equal(store.questions.length, 2);
      assert.deepEqual(store.bindings.get('clientSecret'), bindingFor('clientSecret', A));
    });

    it('with Always, sends to B and rebinds, so the next request to B is not asked about', async function () {
      const store = boundToA('always');
      assert.equal(await store.request('api', B), true);
      assert.equal(store.questions.length, 2, 'the access token and the subscription key, each named');
      assert.deepEqual(store.bindings.get('accessToken'), bindingFor('accessToken', B));
      assert.deepEqual(store.bindings.get('subscriptionKey'), bindingFor('subscriptionKey', B));
      assert.equal(await store.request('api', B), true);
      assert.equal(store.questions.length, 2);
      assert.equal(store.sent, 2);
    });

    it('binds a secret stored before bindings to the configuration of its first use, without a question', async function () {
      const store = new FakeStore('cancel');
      store.bindings.set('clientSecret', 'unbound');
      assert.equal(await store.request('token', A), true);
      assert.deepEqual(store.bindings.get('clientSecret'), bindingFor('clientSecret', A));
      assert.equal(await store.request('token', B), false, 'from then on it is bound');
      assert.equal(store.sent, 1);
    });
  });
});
