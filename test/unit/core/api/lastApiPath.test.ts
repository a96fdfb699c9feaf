import * as assert from 'node:assert/strict';
import { apiPathToRemember, rememberedApiPath } from '../../../../src/core/api/lastApiPath';

const SANDBOX = { apiBaseUrl: 'http://127.0.0.2:4477/api', clientId: 'sandbox-basic' };
const SKY = { apiBaseUrl: 'https://api.sky.blackbaud.com', clientId: 'sky-app' };

describe('lastApiPath (what Call the API keeps for the snippets and the next call)', function () {
  describe('apiPathToRemember', function () {
    const kept: Array<[config: typeof SKY, target: string, path: string]> = [
      [SKY, '/constituent/v1/constituents?limit=1', '/constituent/v1/constituents?limit=1'],
      [SKY, 'constituent/v1/constituents/280', '/constituent/v1/constituents/280'],
      [SANDBOX, '/me', '/me'],
      [SANDBOX, '  me  ', '/me'],
      [SANDBOX, 'http://127.0.0.2:4477/api/me?x=1', '/me?x=1'],
      [SKY, '/search?q=O\'Brien', '/search?q=O%27Brien'],
      [SKY, '/search?keyword=tax&page_size=5', '/search?keyword=tax&page_size=5'],
    ];
    for (const [config, target, path] of kept) {
      it(`keeps "${target}" as "${path}", relative to ${config.apiBaseUrl}`, function () {
        assert.deepEqual(apiPathToRemember(config, target), { ...config, path });
      });
    }

    const refused: Array<[target: string, why: string]> = [
      ['/items?access_token=abc123', 'an OAuth credential in the query'],
      ['/items?code=abc&state=xyz', 'an authorization code'],
      ['/items?api_key=abc123', 'an API key'],
      ['/items?subscription-key=abc123', 'a subscription key'],
      ['/items?Signature=abc&Expires=1', 'a signature'],
      ['/items?sessionid=abc', 'a session'],
      ['/files/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'a JWT in the path'],
      ['https://evil.example/me', 'another host'],
      ['http://127.0.0.2:4477/other/me', 'a path outside the base path'],
      ['http://127.0.0.2:4477/apiary', 'a sibling of the base path'],
      ['/with space', 'a target Call the API refuses'],
    ];
    for (const [target, why] of refused) {
      it(`does not keep "${target}" (${why})`, function () {
        assert.equal(apiPathToRemember(SANDBOX, target), undefined);
      });
    }

    it('keeps nothing without a usable API base URL', function () {
      assert.equal(apiPathToRemember({ apiBaseUrl: '', clientId: 'x' }, '/me'), undefined);
      assert.equal(apiPathToRemember({ apiBaseUrl: 'http://api.example', clientId: 'x' }, '/me'), undefined, 'plain http off loopback');
    });
  });

  describe('rememberedApiPath', function () {
    it('gives the path back for the same app, as stored by globalState (JSON)', function () {
      const stored: unknown = JSON.parse(JSON.stringify(apiPathToRemember(SKY, '/constituent/v1/constituents/280')));
      assert.equal(rememberedApiPath(stored, SKY), '/constituent/v1/constituents/280');
    });

    it('gives nothing for another API or another application ID', function () {
      const stored = apiPathToRemember(SKY, '/constituent/v1/constituents/280');
      assert.equal(rememberedApiPath(stored, { ...SKY, clientId: 'other-app' }), undefined);
      assert.equal(rememberedApiPath(stored, { ...SKY, apiBaseUrl: 'https://api.other.example' }), undefined);
    });

    it('gives nothing for a missing or damaged record, or one edited to carry a credential', function () {
      for (const stored of [undefined, null, 'x', 42, {}, { ...SKY, path: 7 }, { ...SKY, path: '/me?api_key=abc' }, { ...SKY, path: 'https://evil.example/me' }]) {
        assert.equal(rememberedApiPath(stored, SKY), undefined, JSON.stringify(stored));
      }
    });
  });
});
