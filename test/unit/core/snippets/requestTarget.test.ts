import * as assert from 'node:assert/strict';

import { apiRequestUrl, encodeRequestTarget } from '../../../../src/core/snippets/requestTarget';

describe('the API URL snippets embed: the typed path, percent-encoded once', () => {
  it('encodes what RFC 3986 does not allow in a path or query, as UTF-8', () => {
    assert.equal(encodeRequestTarget('/a b/é/日本/{a,b}/[1-2]#x"<>\\^`|'), '/a%20b/%C3%A9/%E6%97%A5%E6%9C%AC/%7Ba,b%7D/%5B1-2%5D%23x%22%3C%3E%5C%5E%60%7C');
    assert.equal(encodeRequestTarget('/😀'), '/%F0%9F%98%80', 'a surrogate pair is one code point');
    assert.equal(encodeRequestTarget('/\uD800x'), '/%EF%BF%BDx', 'a lone surrogate has no UTF-8 form');
  });

  it('leaves allowed characters and existing %XX escapes alone, and encodes any other %', () => {
    const allowed = "/v1/x-._~!$&'()*+,;=:@?q=/?";
    assert.equal(encodeRequestTarget(allowed), allowed);
    assert.equal(encodeRequestTarget('/50%25/%c3%a9?q=100%'), '/50%25/%c3%a9?q=100%25');
    assert.equal(encodeRequestTarget(encodeRequestTarget('/a b/é')), encodeRequestTarget('/a b/é'), 'encoding twice changes nothing');
  });

  it('joins base and path with one slash and leaves the origin as configured', () => {
    assert.equal(apiRequestUrl('https://api.example/ ', 'v1/a b'), 'https://api.example/v1/a%20b');
    assert.equal(apiRequestUrl('https://api.example/base/', '/x?y=1'), 'https://api.example/base/x?y=1');
    assert.equal(apiRequestUrl('http://[::1]:8080', '/[x]'), 'http://[::1]:8080/%5Bx%5D');
    assert.equal(apiRequestUrl('https://api.example', ''), 'https://api.example');
    assert.equal(apiRequestUrl('https://idp.example/oauth/tøken?tenant=a b', ''), 'https://idp.example/oauth/t%C3%B8ken?tenant=a%20b');
  });
});
