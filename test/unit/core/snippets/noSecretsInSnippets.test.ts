import * as assert from 'node:assert/strict';
import type { AppSecrets } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { SNIPPET_ENV, type SnippetKind } from '../../../../src/core/snippets/snippetGenerator';
import { SNIPPET_LANGUAGES, snippetLanguageFor } from '../../../../src/core/snippets/languages';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const KINDS: SnippetKind[] = ['authorizationRequest', 'tokenExchange', 'refresh', 'apiCall', 'completeFlow'];

describe('snippets and secrets', () => {
  // What a user has stored while generating snippets. Generators never receive these; the test pins
  // that a future change which passes them along cannot go unnoticed.
  const stored: AppSecrets = { clientSecret: 'stored-secret-9f8e7d6c5b4a', subscriptionKey: 'stored-key-1a2b3c4d5e6f' };
  const tokens: Pick<TokenSet, 'accessToken' | 'refreshToken'> = { accessToken: 'stored-access-7777', refreshToken: 'stored-refresh-8888' };
  const secretValues = [stored.clientSecret!, stored.subscriptionKey!, tokens.accessToken, tokens.refreshToken!];

  const configs = {
    sky: configurationFromPreset(presetById('sky'), { clientId: 'my-app-id' }),
    post: configurationFromPreset(presetById('generic'), {
      clientId: 'generic-app', clientAuthMethod: 'client_secret_post', authorizationEndpoint: 'https://id.example/authorize',
      tokenEndpoint: 'https://id.example/token', apiBaseUrl: 'https://api.example', scopes: ['read'],
    }),
  };

  it('offers ten languages, each with a distinct VS Code language id', () => {
    const ids = SNIPPET_LANGUAGES.map((language) => language.id);
    assert.deepEqual([...ids].sort(), ['csharp', 'go', 'java', 'javascript', 'php', 'powershell', 'python', 'ruby', 'shellscript', 'typescript']);
    assert.equal(snippetLanguageFor('python')?.id, 'python');
    assert.equal(snippetLanguageFor('cobol'), undefined);
  });

  for (const [name, config] of Object.entries(configs)) {
    it(`never inlines a stored secret, key or token and reads them from the environment (${name} config)`, () => {
      const context = { config, redirectUri: 'http://localhost:5000/callback', apiPath: '/constituent/v1/constituents?limit=1' };
      for (const language of SNIPPET_LANGUAGES) {
        for (const variant of [undefined, ...(language.variants ?? []).map((v) => v.id)]) {
          for (const kind of KINDS) {
            const snippet = language.generate(kind, context, variant);
            const where = `${language.id}${variant ? `(${variant})` : ''} ${kind}`;
            for (const secret of secretValues) assert.ok(!snippet.includes(secret), `${where} contains a stored value`);
            if (kind === 'tokenExchange' || kind === 'refresh') {
              assert.ok(snippet.includes(SNIPPET_ENV.clientSecret), `${where} does not read the secret from ${SNIPPET_ENV.clientSecret}`);
            }
            if (kind === 'apiCall') {
              assert.ok(snippet.includes(SNIPPET_ENV.accessToken), `${where} does not read the token from ${SNIPPET_ENV.accessToken}`);
              assert.equal(snippet.includes(SNIPPET_ENV.subscriptionKey), config.subscriptionKeyHeader !== undefined, where);
            }
          }
        }
      }
    });
  }
});
