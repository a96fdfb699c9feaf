import * as assert from 'node:assert/strict';
import { apiPathToRemember, rememberedApiPath } from '../../../../src/core/api/lastApiPath';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { SNIPPET_LANGUAGES } from '../../../../src/core/snippets/languages';
import { planCompleteFlow } from '../../../../src/core/snippets/languages/snippetPlan';
import { SNIPPET_LOOPBACK_PORT, snippetContextFor, snippetRedirectUri } from '../../../../src/core/snippets/snippetContext';
import { isSnippetKind, SNIPPET_ENV, SNIPPET_KINDS, type SnippetContext, type SnippetKind } from '../../../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../../../src/core/snippets/snippetText';

// The complete flow ("Complete minimal flow" in Insert Code Snippet) in every language: one program
// whose settings are declared once, as tab stops numbered 1…n in the order the steps use them, and which
// hands the code, the verifier and the access token on in memory. The sandbox suites execute it for
// node, python, bash, java, go, php and ruby; C# and PowerShell are checked here by content only.

const SKY: SnippetContext = {
  config: configurationFromPreset(presetById('sky'), { clientId: 'my-app-id' }),
  redirectUri: 'http://localhost:5000/callback',
  apiPath: '/constituent/v1/constituents?limit=1',
};

function generic(overrides: Partial<AppConfiguration>): SnippetContext {
  const config = configurationFromPreset(presetById('generic'), {
    clientId: 'generic-app',
    authorizationEndpoint: 'https://login.example.com/authorize?tenant=acme',
    tokenEndpoint: 'https://login.example.com/token',
    apiBaseUrl: 'https://api.example.com',
    scopes: ['read', 'write'],
    ...overrides,
  });
  return { config, redirectUri: 'http://127.0.0.1:8765/callback', apiPath: '/me' };
}

const CONTEXTS: Record<string, SnippetContext> = {
  'SKY (Basic, PKCE, subscription key)': SKY,
  'client_secret_post without PKCE': generic({ clientAuthMethod: 'client_secret_post', usePkce: false }),
  'public client, no subscription key': generic({ clientAuthMethod: 'none' }),
};

const FLAVOURS = SNIPPET_LANGUAGES.flatMap((language) =>
  (language.variants?.map((variant) => variant.id) ?? [undefined]).map((variant) => ({
    name: variant === undefined ? language.id : `${language.id}(${variant})`,
    generate: (context: SnippetContext) => language.generate('completeFlow', context, variant),
  })),
);

/** Every `${n:value}` tab stop, in order; fails on a `$` or `}` that the SnippetString would misread. */
function tabStops(snippet: string): Array<[number, string]> {
  const stops: Array<[number, string]> = [];
  for (let i = 0; i < snippet.length; i++) {
    if (snippet[i] === '\\') {
      assert.ok('\\$}'.includes(snippet[i + 1] ?? ''), `unescaped backslash near ${snippet.slice(i - 20, i + 20)}`);
      i++;
    } else if (snippet[i] === '$') {
      const stop = /^\$\{(\d+):((?:\\.|[^\\}])*)\}/.exec(snippet.slice(i));
      assert.ok(stop, `a $ that is not a tab stop near ${snippet.slice(i - 20, i + 20)}`);
      stops.push([Number(stop[1]), stop[2].replace(/\\(.)/g, '$1')]);
      i += stop[0].length - 1;
    } else {
      assert.notEqual(snippet[i], '}', `an unescaped } near ${snippet.slice(i - 20, i + 20)}`);
    }
  }
  return stops;
}

describe('snippets: the complete flow', () => {
  it('is offered as a kind, after the four steps, with a label for the picker', () => {
    assert.deepEqual(SNIPPET_KINDS.map((kind) => kind.id), ['authorizationRequest', 'tokenExchange', 'refresh', 'apiCall', 'completeFlow']);
    assert.equal(SNIPPET_KINDS.at(-1)?.label, 'Complete minimal flow');
    for (const kind of SNIPPET_KINDS) assert.ok(isSnippetKind(kind.id) && kind.detail.length > 0, kind.id);
    for (const notKind of ['completeflow', '', undefined, 42, { id: 'apiCall' }]) assert.equal(isSnippetKind(notKind), false, String(notKind));
  });

  it('plans each setting once, in the order the steps use them, and reads only the secrets from the environment', () => {
    const plan = planCompleteFlow(SKY);
    assert.deepEqual(plan.settings.map(({ name }) => name),
      ['authorizationEndpoint', 'clientId', 'redirectUri', 'tokenEndpoint', 'apiUrl', 'subscriptionKeyHeader']);
    assert.deepEqual(plan.env, [SNIPPET_ENV.clientSecret, SNIPPET_ENV.subscriptionKey]);
    assert.deepEqual(Object.fromEntries(plan.exchange.params), {
      grant_type: { text: 'authorization_code' },
      code: { generated: 'code' },
      redirect_uri: { setting: 'redirectUri' },
      code_verifier: { generated: 'codeVerifier' },
    });
    assert.ok(plan.exchange.basicAuth && plan.basicAuth);
    assert.deepEqual(plan.apiCall.env, [SNIPPET_ENV.subscriptionKey], 'the access token comes from the exchange');

    const publicPlan = planCompleteFlow(CONTEXTS['public client, no subscription key']);
    assert.deepEqual(publicPlan.env, [], 'a public client without a subscription key needs no environment at all');
    assert.deepEqual(publicPlan.settings.map(({ name }) => name), ['authorizationEndpoint', 'clientId', 'redirectUri', 'scope', 'tokenEndpoint', 'apiUrl']);
  });

  for (const [label, context] of Object.entries(CONTEXTS)) {
    it(`numbers one tab stop per setting, 1…n in plan order, with the configured values (${label})`, () => {
      const expected = planCompleteFlow(context).settings.map(({ value }, index): [number, string] => [index + 1, value]);
      for (const flavour of FLAVOURS) {
        // Each value appears once, so no number could stand for two different values.
        assert.deepEqual(tabStops(flavour.generate(context)), expected, flavour.name);
      }
    });
  }

  it('runs the steps in order and hands the code, verifier and token on in memory, never through the environment', () => {
    for (const flavour of FLAVOURS) {
      for (const [label, context] of Object.entries(CONTEXTS)) {
        const plain = toPlainText(flavour.generate(context));
        const where = `${flavour.name} (${label})`;
        const request = plain.indexOf('response_type');
        const exchange = plain.indexOf('authorization_code', request);
        const call = plain.indexOf('Bearer', exchange);
        assert.ok(request > 0 && exchange > request && call > exchange, `${where}: request, exchange, call in that order`);
        for (const handedOn of [SNIPPET_ENV.authorizationCode, SNIPPET_ENV.codeVerifier, SNIPPET_ENV.accessToken, SNIPPET_ENV.refreshToken]) {
          assert.ok(!plain.includes(handedOn), `${where} mentions ${handedOn}`);
        }
        const secret = context.config.clientAuthMethod !== 'none';
        assert.equal(plain.includes(SNIPPET_ENV.clientSecret), secret, `${where}: reads the client secret only when it has one`);
        assert.equal(plain.includes(SNIPPET_ENV.subscriptionKey), context.config.subscriptionKeyHeader !== undefined, where);
        assert.equal(/code_challenge/.test(plain), context.config.usePkce, `${where}: PKCE as configured`);
        assert.match(plain, /state does not match/i, `${where}: refuses a redirect without its state`);
        assert.match(plain, /Tokens received; the access token expires in/, `${where}: reports the tokens without printing them`);
      }
    }
  });

  it('sends SKY\'s environment_id in the authorization request of every language when it is configured', () => {
    const withEnvironment: SnippetContext = { ...SKY, config: { ...SKY.config, environmentId: 'p-abcdef1234567890ABCDEFG' } };
    for (const flavour of FLAVOURS) {
      assert.ok(toPlainText(flavour.generate(withEnvironment)).includes('environment_id'), `${flavour.name} sends environment_id`);
      assert.ok(toPlainText(flavour.generate(withEnvironment)).includes('p-abcdef1234567890ABCDEFG'), `${flavour.name} sends its value`);
      assert.ok(!toPlainText(flavour.generate(SKY)).includes('environment_id'), `${flavour.name} without the setting`);
    }
  });

  it('C#: one top-level program that awaits the redirect, parses the token response and returns an exit code', () => {
    const plain = toPlainText(SNIPPET_LANGUAGES.find((language) => language.id === 'csharp')!.generate('completeFlow', SKY));
    for (const part of [
      'using System.Text.Json;',
      'var code = await ReceiveCode(state);',
      'using var tokens = JsonDocument.Parse(await ExchangeCode(code, verifier));',
      'tokens.RootElement.GetProperty("access_token").GetString()',
      'static async Task<string> ExchangeCode(string code, string verifier)',
      'static async Task<string> CallApi(string accessToken)',
      'request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);',
      'request.Headers.Add(SubscriptionKeyHeader, Env("OAUTH_SUBSCRIPTION_KEY"));',
      'catch (HttpRequestException failure)',
    ]) {
      assert.ok(plain.includes(part), part);
    }
    const withoutPkce = toPlainText(SNIPPET_LANGUAGES.find((language) => language.id === 'csharp')!.generate('completeFlow', CONTEXTS['client_secret_post without PKCE']));
    assert.ok(withoutPkce.includes('await ExchangeCode(code)'), 'the exchange takes the code alone');
    assert.ok(!withoutPkce.includes('var verifier') && !withoutPkce.includes('string verifier'), 'no verifier without PKCE');
    assert.ok(withoutPkce.includes('// Steps 4 and 5: the code is exchanged for tokens.'));
  });

  it('PowerShell: the listener\'s code and the token response feed the next steps', () => {
    const plain = toPlainText(SNIPPET_LANGUAGES.find((language) => language.id === 'powershell')!.generate('completeFlow', SKY));
    for (const part of [
      "$Code = $params['code']",
      '    code          = $Code',
      '    code_verifier = $CodeVerifier',
      '$tokens = Invoke-RestMethod -Method Post -Uri $TokenEndpoint -Headers $headers -Body $form -TimeoutSec 30',
      'Authorization = "Bearer $($tokens.access_token)"',
      '$headers[$SubscriptionKeyHeader] = $env:OAUTH_SUBSCRIPTION_KEY',
    ]) {
      assert.ok(plain.includes(part), part);
    }
  });
});

describe('snippets: the context the editor generates them with', () => {
  const callback = '/callback';

  it('uses the configured loopback redirect URI, and a fixed port where the editor would pick any', () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'id' });
    assert.equal(snippetRedirectUri(sky, callback), 'http://localhost:5000/callback');
    const sandbox = configurationFromPreset(presetById('sandbox'), { clientId: 'id' });
    assert.equal(sandbox.loopbackPort, 0);
    assert.equal(snippetRedirectUri(sandbox, callback), `http://127.0.0.1:${SNIPPET_LOOPBACK_PORT}/callback`);
  });

  it('listens on loopback even when the editor receives the redirect through its URI handler', () => {
    const config = configurationFromPreset(presetById('generic'), { redirectMode: 'uriHandler', loopbackHost: '127.0.0.1', loopbackPort: 7000 });
    assert.equal(snippetContextFor(config, callback).redirectUri, 'http://127.0.0.1:7000/callback');
  });

  it('calls the preset\'s harmless API path and keeps configured values as they are', () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'my-app-id' });
    const context = snippetContextFor(sky, callback);
    assert.equal(context.apiPath, presetById('sky').defaultApiPath);
    assert.deepEqual(context.config, sky);
  });

  it('calls the path last used in Call the API, for a generic provider too, instead of the bare base URL (issue 9)', () => {
    const generic = configurationFromPreset(presetById('generic'), {
      clientId: 'app', authorizationEndpoint: 'http://127.0.0.2:4477/auth', tokenEndpoint: 'http://127.0.0.2:4477/token',
      apiBaseUrl: 'http://127.0.0.2:4477',
    });
    assert.equal(snippetContextFor(generic, callback).apiPath, '', 'without a call, the generic preset has no path of its own');
    const called = apiPathToRemember(generic, 'api/me?limit=1');
    assert.deepEqual(called, { apiBaseUrl: 'http://127.0.0.2:4477', clientId: 'app', path: '/api/me?limit=1' });
    const lastPath = rememberedApiPath(JSON.parse(JSON.stringify(called)), generic);
    const context = snippetContextFor(generic, callback, lastPath);
    assert.equal(context.apiPath, '/api/me?limit=1');
    for (const language of SNIPPET_LANGUAGES) {
      const text = toPlainText(language.generate('apiCall', context, language.variants?.[0]?.id));
      assert.ok(text.includes('http://127.0.0.2:4477/api/me?limit=1'), `${language.id} calls the last path:\n${text}`);
    }
  });

  it('fills what is not configured yet from the preset: SKY API\'s endpoints and subscription-key header', () => {
    // What readConfiguration returns before Configure App has run: the SKY preset, with empty settings.
    const unconfigured: AppConfiguration = {
      ...configurationFromPreset(presetById('sky')), authorizationEndpoint: '', tokenEndpoint: '', apiBaseUrl: '', subscriptionKeyHeader: undefined,
    };
    const { config } = snippetContextFor(unconfigured, callback);
    const sky = presetById('sky');
    assert.deepEqual(
      [config.authorizationEndpoint, config.tokenEndpoint, config.apiBaseUrl, config.subscriptionKeyHeader],
      [sky.authorizationEndpoint, sky.tokenEndpoint, sky.apiBaseUrl, sky.subscriptionKeyHeader],
    );
    assert.equal(config.clientId, 'YOUR_APPLICATION_ID');
  });

  it('fills what neither the configuration nor the preset has with values that say what belongs there', () => {
    const empty = configurationFromPreset(presetById('generic'));
    const { config } = snippetContextFor(empty, callback);
    assert.equal(config.clientId, 'YOUR_APPLICATION_ID');
    for (const field of ['authorizationEndpoint', 'tokenEndpoint', 'apiBaseUrl'] as const) {
      assert.match(config[field], /^https:\/\/[a-z.-]+\.example(\/|$)/, field);
    }
    assert.equal(config.subscriptionKeyHeader, undefined, 'a generic provider has no subscription key unless configured');
    assert.ok(!('subscriptionKeyHeader' in config));
    assert.equal(empty.clientId, '', 'the configuration itself is not changed');
    const snippet = SNIPPET_LANGUAGES[0].generate('completeFlow' satisfies SnippetKind, snippetContextFor(empty, callback));
    assert.ok(snippet.includes('${2:YOUR_APPLICATION_ID}'), 'the placeholder is a tab stop to overwrite');
  });
});
