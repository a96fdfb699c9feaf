import * as assert from 'node:assert/strict';
import type { AppConfiguration, ClientAuthMethod } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { csharpLanguage } from '../../../../src/core/snippets/languages/csharp';
import { goLanguage } from '../../../../src/core/snippets/languages/go';
import { javaLanguage } from '../../../../src/core/snippets/languages/java';
import { phpLanguage } from '../../../../src/core/snippets/languages/php';
import { rubyLanguage } from '../../../../src/core/snippets/languages/ruby';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../../../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../../../src/core/snippets/snippetText';

// Golden-style checks of the Java, Go, PHP, Ruby and C# generators: no runtime needed. The sandbox
// suite (snippetsExecuted.jvmGoPhpRuby) runs the same snippets for real.

const KINDS: readonly SnippetKind[] = ['authorizationRequest', 'tokenExchange', 'refresh', 'apiCall', 'completeFlow'];

/** How each language spells the things the assertions look for. */
const LANGUAGES: ReadonlyArray<{ language: SnippetLanguage; comment: string; basic: string; field: (name: string) => string; formBasic: string; rawBasic: string }> = [
  {
    language: javaLanguage, comment: '//', basic: '"Basic " + Base64.getEncoder()', field: (name) => `put("${name}", `,
    formBasic: 'encode(CLIENT_ID) + ":" + encode(env("OAUTH_CLIENT_SECRET"))', rawBasic: 'credentials = CLIENT_ID + ":" + env("OAUTH_CLIENT_SECRET")',
  },
  {
    language: goLanguage, comment: '//', basic: 'request.SetBasicAuth(', field: (name) => `Set("${name}", `,
    formBasic: 'SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(mustEnv("OAUTH_CLIENT_SECRET")))', rawBasic: 'SetBasicAuth(clientID, mustEnv("OAUTH_CLIENT_SECRET"))',
  },
  {
    language: phpLanguage, comment: '//', basic: "'Authorization: Basic ' . base64_encode(", field: (name) => `'${name}' => `,
    formBasic: "base64_encode(urlencode(CLIENT_ID) . ':' . urlencode(env('OAUTH_CLIENT_SECRET')))", rawBasic: "base64_encode(CLIENT_ID . ':' . env('OAUTH_CLIENT_SECRET'))",
  },
  {
    language: rubyLanguage, comment: '#', basic: 'request.basic_auth(', field: (name) => `'${name}' => `,
    formBasic: "basic_auth(URI.encode_www_form_component(CLIENT_ID), URI.encode_www_form_component(ENV.fetch('OAUTH_CLIENT_SECRET')))",
    rawBasic: "basic_auth(CLIENT_ID, ENV.fetch('OAUTH_CLIENT_SECRET'))",
  },
  {
    language: csharpLanguage, comment: '//', basic: 'new AuthenticationHeaderValue("Basic", ', field: (name) => `["${name}"] = `,
    formBasic: '$"{WebUtility.UrlEncode(ClientId)}:{WebUtility.UrlEncode(Env("OAUTH_CLIENT_SECRET"))}"', rawBasic: '$"{ClientId}:{Env("OAUTH_CLIENT_SECRET")}"',
  },
];

const SKY: SnippetContext = {
  config: configurationFromPreset(presetById('sky'), { clientId: 'my-app-id' }),
  redirectUri: 'http://localhost:5000/callback',
  apiPath: '/constituent/v1/constituents?limit=1',
};

function generic(clientAuthMethod: ClientAuthMethod, overrides: Partial<AppConfiguration> = {}): SnippetContext {
  const config = configurationFromPreset(presetById('generic'), {
    authorizationEndpoint: 'https://idp.example.com/oauth/authorize?tenant=acme',
    tokenEndpoint: 'https://idp.example.com/oauth/token',
    apiBaseUrl: 'https://api.example.com/v2/',
    clientId: 'client-123',
    scopes: ['read', 'write'],
    clientAuthMethod,
    extraAuthorizationParams: { prompt: 'login' },
    ...overrides,
  });
  return { config, redirectUri: 'http://127.0.0.1:8765/callback', apiPath: 'me' };
}

const CONTEXTS: ReadonlyArray<[string, SnippetContext]> = [
  ['SKY (client_secret_basic, PKCE, subscription key)', SKY],
  ['generic client_secret_post without PKCE', generic('client_secret_post', { usePkce: false })],
  ['generic public client (none)', generic('none')],
];

/** The tab stops in order of appearance, as [index, value]. */
function tabStops(snippet: string): Array<[number, string]> {
  return [...snippet.matchAll(/(?<!\\)\$\{(\d+):((?:\\.|[^\\}])*)\}/g)].map((match) => [Number(match[1]), match[2]]);
}

/** Brackets in the plain text pair up (strings and comments in these snippets never hold a lone one). */
function assertBalanced(text: string, where: string): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const char of text) {
    if ('([{'.includes(char)) stack.push(char);
    else if (char in pairs) assert.equal(stack.pop(), pairs[char], `unbalanced "${char}" in ${where}`);
  }
  assert.deepEqual(stack, [], `unclosed brackets in ${where}`);
}

/** The comment the snippet opens with (after PHP's mandatory `<?php`). */
function headline(text: string): string {
  const lines = text.split('\n');
  return lines[0] === '<?php' ? lines[1] : lines[0];
}

describe('Java, Go, PHP, Ruby and C# snippets', () => {
  it('export one generator per language under the expected VS Code language ids', () => {
    assert.deepEqual(LANGUAGES.map(({ language }) => language.id), ['java', 'go', 'php', 'ruby', 'csharp']);
    for (const { language } of LANGUAGES) assert.ok(language.label.length > 0);
  });

  for (const { language, comment } of LANGUAGES) {
    for (const [label, context] of CONTEXTS) {
      it(`${language.id}: every kind is well-formed snippet syntax for ${label}`, () => {
        for (const kind of KINDS) {
          const snippet = language.generate(kind, context);
          const text = toPlainText(snippet);
          const where = `${language.id} ${kind}`;
          assert.doesNotMatch(text, /\$\{\d+:/, `${where}: tab stop residue`);
          assertBalanced(text, where);
          assert.ok(headline(text).startsWith(`${comment} `), `${where} starts with a comment: ${headline(text)}`);
          // Tab stops count 1, 2, 3… so Tab walks through the values in order.
          assert.deepEqual(tabStops(snippet).map(([index]) => index), tabStops(snippet).map((_, i) => i + 1), where);
          assert.ok(text.endsWith('\n'), `${where} ends with a newline`);
        }
      });
    }
  }

  describe('SKY API (client_secret_basic, PKCE, subscription key)', () => {
    for (const { language, basic, field } of LANGUAGES) {
      const generate = (kind: SnippetKind): { snippet: string; text: string } => {
        const snippet = language.generate(kind, SKY);
        return { snippet, text: toPlainText(snippet) };
      };

      it(`${language.id}: the token exchange authenticates with HTTP Basic and sends the PKCE verifier`, () => {
        const { snippet, text } = generate('tokenExchange');
        assert.deepEqual(tabStops(snippet).map(([, value]) => value),
          ['https://oauth2.sky.blackbaud.com/token', 'my-app-id', 'http://localhost:5000/callback']);
        for (const name of [SNIPPET_ENV.clientSecret, SNIPPET_ENV.authorizationCode, SNIPPET_ENV.codeVerifier]) {
          assert.ok(headline(text).includes(name), `${name} in the headline: ${headline(text)}`);
          assert.equal(text.split(name).length, 3, `${name}: in the headline and read once`);
        }
        assert.ok(text.includes(basic), 'Basic credentials');
        assert.ok(text.includes('authorization_code'));
        for (const name of ['code', 'redirect_uri', 'code_verifier']) assert.ok(text.includes(field(name)), name);
        for (const name of ['client_id', 'client_secret']) assert.ok(!text.includes(field(name)), `${name} stays out of the body`);
        assert.ok(text.includes('application/json'), 'asks for JSON like the extension');
      });

      it(`${language.id}: the refresh sends the refresh token with HTTP Basic`, () => {
        const { snippet, text } = generate('refresh');
        assert.deepEqual(tabStops(snippet).map(([, value]) => value), ['https://oauth2.sky.blackbaud.com/token', 'my-app-id']);
        assert.ok(text.includes(field('refresh_token')) && text.includes(SNIPPET_ENV.refreshToken));
        assert.ok(text.includes(field('grant_type')) && text.includes('refresh_token'));
        assert.ok(text.includes(basic));
        assert.ok(!text.includes(SNIPPET_ENV.authorizationCode) && !text.includes('code_verifier'));
      });

      it(`${language.id}: the API call sends the bearer token and the subscription key`, () => {
        const { snippet, text } = generate('apiCall');
        assert.deepEqual(tabStops(snippet).map(([, value]) => value),
          ['https://api.sky.blackbaud.com/constituent/v1/constituents?limit=1', 'Bb-Api-Subscription-Key']);
        assert.ok(text.includes('Bearer'));
        assert.ok(text.includes(SNIPPET_ENV.accessToken) && text.includes(SNIPPET_ENV.subscriptionKey));
        assert.ok(!text.includes(SNIPPET_ENV.clientSecret));
      });

      it(`${language.id}: the authorization request uses state and PKCE S256 and handles the redirect`, () => {
        const { snippet, text } = generate('authorizationRequest');
        // SKY takes no scope parameter, so none is emitted.
        assert.deepEqual(tabStops(snippet).map(([, value]) => value),
          ['https://oauth2.sky.blackbaud.com/authorization', 'my-app-id', 'http://localhost:5000/callback']);
        for (const part of ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'S256']) {
          assert.ok(text.includes(part), part);
        }
        assert.ok(!/["']scope["']/.test(text), 'no scope parameter');
        assert.ok(text.includes(`${SNIPPET_ENV.codeVerifier}=`) && text.includes(`${SNIPPET_ENV.authorizationCode}=`));
        assert.match(text, /state does not match/i, 'refuses a redirect with a foreign state');
        assert.ok(headline(text).includes('Needs no environment variables.'));
      });
    }
  });

  describe('a generic provider', () => {
    for (const { language, basic, field } of LANGUAGES) {
      it(`${language.id}: client_secret_post puts both credentials in the body; no PKCE means no verifier`, () => {
        const context = generic('client_secret_post', { usePkce: false });
        for (const kind of ['tokenExchange', 'refresh'] as const) {
          const text = toPlainText(language.generate(kind, context));
          assert.ok(text.includes(field('client_id')) && text.includes(field('client_secret')), kind);
          assert.ok(text.includes(SNIPPET_ENV.clientSecret), kind);
          assert.ok(!text.includes(basic), `${kind}: no Basic header`);
          assert.ok(!text.includes('code_verifier') && !text.includes(SNIPPET_ENV.codeVerifier), `${kind}: no verifier`);
        }
        const authorization = toPlainText(language.generate('authorizationRequest', context));
        assert.ok(!authorization.includes('code_challenge') && !authorization.includes(SNIPPET_ENV.codeVerifier));
      });

      it(`${language.id}: a public client sends client_id in the body and never reads a secret`, () => {
        const context = generic('none');
        for (const kind of KINDS) {
          assert.ok(!toPlainText(language.generate(kind, context)).includes(SNIPPET_ENV.clientSecret), kind);
        }
        const text = toPlainText(language.generate('tokenExchange', context));
        assert.ok(text.includes(field('client_id')) && text.includes(field('code_verifier')));
        assert.ok(!text.includes(field('client_secret')) && !text.includes(basic));
      });

      it(`${language.id}: scopes become an editable value, extra parameters are sent, an endpoint query is kept`, () => {
        const snippet = language.generate('authorizationRequest', generic('none'));
        assert.deepEqual(tabStops(snippet).map(([, value]) => value),
          ['https://idp.example.com/oauth/authorize?tenant=acme', 'client-123', 'http://127.0.0.1:8765/callback', 'read write']);
        const text = toPlainText(snippet);
        assert.match(text, /["']prompt["']\]? *(,|=>|=) *["']login["']/);
        // The endpoint already has a query, so the parameters are appended with "&".
        assert.match(text, /AUTHORIZATION_ENDPOINT[^\n]*["']&|authorizationEndpoint \+ "&"|AuthorizationEndpoint \+ "&"|AUTHORIZATION_ENDPOINT\}&/);
      });

      it(`${language.id}: without a subscription key header the API call sends only the bearer token`, () => {
        const snippet = language.generate('apiCall', generic('client_secret_basic'));
        assert.deepEqual(tabStops(snippet).map(([, value]) => value), ['https://api.example.com/v2/me']);
        const text = toPlainText(snippet);
        assert.ok(!text.includes(SNIPPET_ENV.subscriptionKey) && !/subscription/i.test(text.split('\n').slice(1).join('\n')));
        assert.ok(text.includes(SNIPPET_ENV.accessToken));
      });
    }
  });

  it('spells the Basic credentials as the extension does: raw for SKY, form-urlencoded for other providers unless raw was learned', () => {
    const cases: [string, SnippetContext, boolean][] = [
      ['SKY', SKY, true],
      ['generic', generic('client_secret_basic'), false],
      ['generic that accepted raw', generic('client_secret_basic', { basicCredentialEncoding: 'raw' }), true],
    ];
    for (const { language, formBasic, rawBasic } of LANGUAGES) {
      for (const [name, context, raw] of cases) {
        for (const kind of ['tokenExchange', 'refresh', 'completeFlow'] as const) {
          const text = toPlainText(language.generate(kind, context));
          assert.ok(text.includes(raw ? rawBasic : formBasic) && !text.includes(raw ? formBasic : rawBasic), `${language.id} ${kind} ${name}:\n${text}`);
        }
      }
    }
  });

  it('escapes values for both the snippet syntax and the target language string', () => {
    const context = generic('client_secret_basic', { clientId: 'id$1}with\\odd\'"chars' });
    const expected: Record<string, string> = {
      java: '"id$1}with\\\\odd\'\\"chars"',
      go: '"id$1}with\\\\odd\'\\"chars"',
      csharp: '"id$1}with\\\\odd\'\\"chars"',
      php: "'id$1}with\\\\odd\\'\"chars'",
      ruby: "'id$1}with\\\\odd\\'\"chars'",
    };
    for (const { language } of LANGUAGES) {
      const snippet = language.generate('refresh', context);
      assert.equal(tabStops(snippet)[1][0], 2, language.id);
      assert.ok(toPlainText(snippet).includes(expected[language.id]), `${language.id}:\n${toPlainText(snippet)}`);
    }
  });

  it('C# escapes the line separators a regular string literal may not contain, and keeps every quote character', () => {
    // U+0085, U+2028 and U+2029 end a line in C# source, so raw inside "..." they are a compile error.
    const context = generic('client_secret_basic', { clientId: 'a\u2028b\u2029c\u0085d \'\u2018\u2019\u201A\u201B"' });
    const plain = toPlainText(csharpLanguage.generate('refresh', context));
    assert.ok(plain.includes('"a\\u2028b\\u2029c\\u0085d \'\u2018\u2019\u201A\u201B\\""'), plain.split('\n').find((line) => line.includes('ClientId =')));
    assert.ok(!/[\u0085\u2028\u2029]/.test(plain));
  });

  it('writes Java as pure ASCII, since Java 17 reads sources in the platform encoding', () => {
    const context = generic('client_secret_basic', { clientId: 'caf\u00e9-\u{1F600}' });
    for (const kind of KINDS) {
      const text = toPlainText(javaLanguage.generate(kind, context));
      assert.ok([...text].every((char) => char.charCodeAt(0) < 0x80), kind);
    }
    assert.ok(toPlainText(javaLanguage.generate('refresh', context)).includes('"caf\\u00E9-\\uD83D\\uDE00"'));
  });

  it('keeps the language\'s own $, } and \\ literal in the inserted text', () => {
    const php = toPlainText(phpLanguage.generate('tokenExchange', SKY));
    assert.ok(php.includes('$value = getenv($name);') && php.includes('"HTTP $status\\n"'));
    const ruby = toPlainText(rubyLanguage.generate('apiCall', SKY));
    assert.ok(ruby.includes('"Bearer #{ENV.fetch(\'OAUTH_ACCESS_TOKEN\')}"'));
    const csharp = toPlainText(csharpLanguage.generate('authorizationRequest', SKY));
    assert.ok(csharp.includes('$"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"'));
    const go = toPlainText(goLanguage.generate('apiCall', SKY));
    assert.ok(go.includes('if err != nil {\n\t\tfail(err)\n\t}'));
  });
});
