import * as assert from 'node:assert/strict';
import { ConfigurationError, OAuthError, ProviderError, TransportError } from '../../../../src/core/errors/oauthError';
import { discover, MAX_METADATA_BYTES, metadataLocations } from '../../../../src/core/protocol/discovery';
import { parseMetadataDocument } from '../../../../src/core/protocol/discoveryMetadata';
import { FakeHttpClient, jsonResponse, textResponse } from '../../support/fakeHttpClient';

const ISSUER = 'https://login.example.com';
const DOCUMENT = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
  revocation_endpoint: `${ISSUER}/revoke`,
  scopes_supported: ['openid', 'offline_access', 'api'],
  response_types_supported: ['code'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
  userinfo_endpoint: 42, // not used, so not checked
};

function caught(action: () => unknown): OAuthError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an OAuthError');
}

async function rejected(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an OAuthError');
}

describe('metadataLocations', () => {
  const cases: [issuer: string, openid: string, oauth: string][] = [
    [ISSUER, `${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/.well-known/oauth-authorization-server`],
    [`${ISSUER}/`, `${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/.well-known/oauth-authorization-server`],
    // OpenID appends to the path; RFC 8414 §3 inserts between host and path.
    [`${ISSUER}/tenant/v2`, `${ISSUER}/tenant/v2/.well-known/openid-configuration`, `${ISSUER}/.well-known/oauth-authorization-server/tenant/v2`],
    [`${ISSUER}/tenant/`, `${ISSUER}/tenant/.well-known/openid-configuration`, `${ISSUER}/.well-known/oauth-authorization-server/tenant`],
    ['http://127.0.0.2:4478', 'http://127.0.0.2:4478/.well-known/openid-configuration', 'http://127.0.0.2:4478/.well-known/oauth-authorization-server'],
  ];
  for (const [issuer, openid, oauth] of cases) {
    it(`${issuer}: OpenID's location first, then RFC 8414's`, () => {
      assert.deepEqual(metadataLocations(issuer), [
        { kind: 'openid-configuration', url: openid },
        { kind: 'oauth-authorization-server', url: oauth },
      ]);
    });
  }

  const refused: [issuer: string, reason: RegExp][] = [
    ['', /empty/],
    [' https://login.example.com', /spaces/],
    ['login.example.com', /not an absolute URL/],
    ['http://login.example.com', /http:\/\/ is accepted only for localhost/],
    [`${ISSUER}?tenant=a`, /query/],
    [`${ISSUER}#x`, /fragment/],
    ['https://user:pw@login.example.com', /user name or password/],
  ];
  for (const [issuer, reason] of refused) {
    it(`refuses the issuer ${JSON.stringify(issuer)} as a configuration error`, () => {
      const error = caught(() => metadataLocations(issuer));
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, reason);
    });
  }
});

describe('parseMetadataDocument', () => {
  const URL_ = `${ISSUER}/.well-known/openid-configuration`;
  it('keeps the fields the extension uses and ignores the others', () => {
    const metadata = parseMetadataDocument(jsonResponse(200, DOCUMENT), URL_, ISSUER);
    assert.deepEqual(metadata, {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      revocation_endpoint: `${ISSUER}/revoke`,
      scopes_supported: ['openid', 'offline_access', 'api'],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('accepts a minimal RFC 8414 document', () => {
    const minimal = { issuer: ISSUER, authorization_endpoint: `${ISSUER}/a`, token_endpoint: `${ISSUER}/t` };
    assert.deepEqual(parseMetadataDocument(jsonResponse(200, minimal), URL_, ISSUER), minimal);
  });

  const malformed: [change: Record<string, unknown>, field: string, said: RegExp][] = [
    [{ issuer: undefined }, 'issuer', /must be a non-empty string, but it is missing/],
    [{ issuer: 7 }, 'issuer', /the number 7/],
    [{ authorization_endpoint: undefined }, 'authorization_endpoint', /missing/],
    [{ token_endpoint: '' }, 'token_endpoint', /an empty string/],
    [{ token_endpoint: '/token' }, 'token_endpoint', /not an absolute URL/],
    [{ token_endpoint: 'http://login.example.com/token' }, 'token_endpoint', /http:\/\/ is accepted only for localhost/],
    [{ authorization_endpoint: `${ISSUER}/a#f` }, 'authorization_endpoint', /fragment/],
    [{ jwks_uri: null }, 'jwks_uri', /null/],
    [{ revocation_endpoint: ['x'] }, 'revocation_endpoint', /an array/],
    [{ code_challenge_methods_supported: 'S256' }, 'code_challenge_methods_supported', /array of strings, but it is "S256"/],
    [{ scopes_supported: ['openid', 3] }, 'scopes_supported', /holds something other than strings/],
    [{ token_endpoint_auth_methods_supported: { basic: true } }, 'token_endpoint_auth_methods_supported', /an object/],
    [{ scopes_supported: Array.from({ length: 501 }, (_, i) => `s${i}`) }, 'scopes_supported', /501 entries/],
    [{ authorization_response_iss_parameter_supported: 'true' }, 'authorization_response_iss_parameter_supported', /a boolean/],
  ];
  for (const [change, field, said] of malformed) {
    it(`refuses a document whose ${field} is ${JSON.stringify(Object.values(change)[0])?.slice(0, 40)}, naming the field`, () => {
      const error = caught(() => parseMetadataDocument(jsonResponse(200, { ...DOCUMENT, ...change }), URL_, ISSUER));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'invalid_metadata');
      assert.match(error.message, new RegExp(`metadata's ${field} must be`));
      assert.match(error.message, said);
      assert.match(error.message, /Enter endpoints manually/);
    });
  }

  it('refuses a body that is not JSON, or not an object', () => {
    assert.match(caught(() => parseMetadataDocument(textResponse(200, '<html>login</html>', 'text/html'), URL_, ISSUER)).message, /is not JSON: "/);
    assert.match(caught(() => parseMetadataDocument(jsonResponse(200, [DOCUMENT]), URL_, ISSUER)).message, /JSON but not an object/);
  });

  const mismatches: [asked: string, named: string][] = [
    [ISSUER, `${ISSUER}/`],
    [`${ISSUER}/`, ISSUER],
    [ISSUER, 'https://LOGIN.example.com'],
    [ISSUER, 'https://evil.example'],
  ];
  for (const [asked, named] of mismatches) {
    it(`refuses a document naming issuer ${named} when ${asked} was asked (RFC 8414 §3.3: identical)`, () => {
      const error = caught(() => parseMetadataDocument(jsonResponse(200, { ...DOCUMENT, issuer: named }), URL_, asked));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'issuer_mismatch');
      assert.ok(error.message.includes(`names the issuer "${named}"`), error.message);
      assert.ok(error.message.includes(`asked for is "${asked}"`), error.message);
      assert.ok(error.hint.includes(`enter exactly that as the issuer`), error.hint);
    });
  }

  it('neutralises provider text before it reaches a message', () => {
    const error = caught(() => parseMetadataDocument(jsonResponse(200, { ...DOCUMENT, issuer: 'https://x[click](command:evil)\u202e' }), URL_, ISSUER));
    assert.ok(!error.message.includes('](command:'), error.message);
    assert.ok(!error.message.includes('\u202e'));
  });
});

describe('discover', () => {
  it('uses the OpenID document when it answers, with Accept: application/json, no redirects and a body limit', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, DOCUMENT));
    const result = await discover(ISSUER, { http, timeoutMs: 1234 });
    assert.equal(result.kind, 'openid-configuration');
    assert.equal(result.metadataUrl, `${ISSUER}/.well-known/openid-configuration`);
    assert.equal(result.metadata.token_endpoint, `${ISSUER}/token`);
    const request = http.onlyRequest;
    assert.equal(request.method, 'GET');
    assert.equal(request.headers.Accept, 'application/json');
    assert.equal(request.options.timeoutMs, 1234);
    assert.equal(request.options.followRedirects, false);
    assert.equal(request.options.maxBodyBytes, MAX_METADATA_BYTES);
  });

  const fallbacks: [status: number][] = [[404], [405], [302], [500]];
  for (const [status] of fallbacks) {
    it(`falls back to RFC 8414's location when the OpenID one answers ${status}`, async () => {
      const issuer = `${ISSUER}/tenant`;
      const http = new FakeHttpClient((request) => request.url.includes('openid-configuration')
        ? textResponse(status, 'no', 'text/plain') : jsonResponse(200, { ...DOCUMENT, issuer }));
      const result = await discover(issuer, { http });
      assert.equal(result.kind, 'oauth-authorization-server');
      assert.equal(result.metadataUrl, `${ISSUER}/.well-known/oauth-authorization-server/tenant`);
      assert.equal(http.requests.length, 2);
    });
  }

  it('does not fall back from a malformed OpenID document: the provider answered, wrongly', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, { ...DOCUMENT, token_endpoint: 5 }));
    const error = await rejected(discover(ISSUER, { http }));
    assert.equal(error.code, 'invalid_metadata');
    assert.equal(http.requests.length, 1);
  });

  it('says which locations answered what when neither has a document', async () => {
    const http = new FakeHttpClient((request) => textResponse(request.url.includes('openid') ? 404 : 403, '', 'text/plain'));
    const error = await rejected(discover(ISSUER, { http }));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, 'discovery_failed');
    assert.match(error.message, /openid-configuration answered HTTP 404; .*oauth-authorization-server answered HTTP 403/);
    assert.match(error.message, /Enter endpoints manually/);
  });

  it('passes a transport failure on as it is, without trying the other location', async () => {
    const timeout = new TransportError({ code: 'timeout', description: 'The provider\'s metadata endpoint (login.example.com) did not answer within 2 s.' });
    const http = new FakeHttpClient(() => timeout);
    const error = await rejected(discover(ISSUER, { http }));
    assert.equal(error, timeout);
    assert.equal(http.requests.length, 1);
  });

  it('refuses a bad issuer before any request', async () => {
    const http = new FakeHttpClient(() => jsonResponse(200, DOCUMENT));
    const error = await rejected(discover('http://login.example.com', { http }));
    assert.equal(error.code, 'invalid_configuration');
    assert.equal(http.requests.length, 0);
  });
});
