import * as assert from 'node:assert/strict';
import { OAuthError, ProviderError } from '../../../../src/core/errors/oauthError';
import { EXTRA_LIMITS, parseTokenResponse } from '../../../../src/core/protocol/tokenResponse';
import { jsonResponse, textResponse } from '../../support/fakeHttpClient';

const NOW = 1_700_000_000_000;
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJza3kifQ.c2lnbmF0dXJlLWFjY2Vzcw';
const REFRESH_TOKEN = 'refresh-0123456789abcdef0123456789';

/** A token response shaped like SKY API's. */
const SKY_RESPONSE = {
  access_token: ACCESS_TOKEN,
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: REFRESH_TOKEN,
  refresh_token_expires_in: 31_536_000,
  environment_id: 'p-abc123',
  environment_name: 'Sandbox Environment',
  legal_entity_id: 'p-le-1',
  legal_entity_name: 'Legal Entity',
  user_id: 'user-1',
  email: 'ada@example.com',
  given_name: 'Ada',
  family_name: 'Lovelace',
  mode: 'Full',
};

function parseError(action: () => unknown): OAuthError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    assert.ok(!error.message.includes(ACCESS_TOKEN), 'no access token in the message');
    assert.ok(!error.message.includes(REFRESH_TOKEN), 'no refresh token in the message');
    return error;
  }
  assert.fail('expected an OAuthError');
}

describe('parseTokenResponse', () => {
  it('maps a SKY API token response to a TokenSet', () => {
    const tokens = parseTokenResponse(jsonResponse(200, SKY_RESPONSE), NOW);
    assert.deepEqual(tokens, {
      accessToken: ACCESS_TOKEN,
      tokenType: 'Bearer',
      expiresAt: NOW + 3_600_000,
      refreshToken: REFRESH_TOKEN,
      refreshTokenExpiresAt: NOW + 31_536_000_000,
      refreshTokenExpiresIn: 31_536_000,
      obtainedAt: NOW,
      extra: {
        environment_id: 'p-abc123',
        environment_name: 'Sandbox Environment',
        legal_entity_id: 'p-le-1',
        legal_entity_name: 'Legal Entity',
        user_id: 'user-1',
        email: 'ada@example.com',
        given_name: 'Ada',
        family_name: 'Lovelace',
        mode: 'Full',
      },
    });
  });

  it('accepts the sample response of SKY\'s docs as written: lower-case bearer, tenant_* fields', () => {
    // blackbaud/sky-api-docs includes/authcodeflow/step5.md, "Sample response" (its missing comma after
    // legal_entity_name restored; the JSON there does not parse as printed).
    const sample = {
      access_token: 'eyJ0eXAiOiJKV1...CTtP0CQ',
      token_type: 'bearer',
      expires_in: 1199,
      refresh_token: 'eb78ffd...7cb7b',
      tenant_id: 'E27DD7B6-6B71-4689-8B2C-60A74F243966',
      tenant_name: 'Raiser\'s Edge NXT - Blackbaud (Developer Sandbox)',
      legal_entity_id: 'p-AaBbCcDdEeFfGg987654321',
      legal_entity_name: 'Blackbaud Developer Sandbox',
      environment_id: 'p-abcdef1234567890ABCDEFG',
      environment_name: 'Blackbaud Developer Sandbox Environment',
    };
    const tokens = parseTokenResponse(jsonResponse(200, sample), NOW);
    assert.equal(tokens.tokenType, 'bearer');
    assert.equal(tokens.expiresAt, NOW + 1_199_000);
    assert.equal(tokens.refreshToken, 'eb78ffd...7cb7b');
    assert.equal(tokens.refreshTokenExpiresAt, undefined, 'the sample states no refresh token lifetime');
    assert.equal(tokens.refreshTokenExpiresIn, undefined);
    assert.deepEqual(tokens.extra, {
      tenant_id: sample.tenant_id,
      tenant_name: sample.tenant_name,
      legal_entity_id: sample.legal_entity_id,
      legal_entity_name: sample.legal_entity_name,
      environment_id: sample.environment_id,
      environment_name: sample.environment_name,
    });
  });

  it('keeps what the kept refresh token\'s own response said about its lifetime', () => {
    const tokens = parseTokenResponse(jsonResponse(200, { access_token: 'new', token_type: 'bearer', expires_in: 3600 }), NOW, {
      refreshToken: 'old-refresh',
      refreshTokenExpiresAt: NOW + 5000,
      refreshTokenExpiresIn: 31_536_000,
    });
    assert.equal(tokens.refreshToken, 'old-refresh');
    assert.equal(tokens.refreshTokenExpiresAt, NOW + 5000);
    assert.equal(tokens.refreshTokenExpiresIn, 31_536_000);
  });

  it('reads scope, id_token and numeric-string lifetimes', () => {
    const tokens = parseTokenResponse(
      jsonResponse(200, { access_token: 'a', token_type: 'bearer', expires_in: '120', scope: 'api  offline_access', id_token: 'id.jwt.sig' }),
      NOW,
    );
    assert.equal(tokens.tokenType, 'bearer');
    assert.equal(tokens.expiresAt, NOW + 120_000);
    assert.deepEqual(tokens.scopes, ['api', 'offline_access']);
    assert.equal(tokens.idToken, 'id.jwt.sig');
    assert.equal(tokens.refreshToken, undefined);
  });

  it('refuses a field of the wrong type, naming the field and what it was (review finding 9)', () => {
    const base = { access_token: ACCESS_TOKEN, token_type: 'Bearer' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ expires_in: 'soon' }, /expires_in must be a number of seconds \(RFC 6749 §5\.1\), but it is the string "soon"/],
      [{ expires_in: -5 }, /expires_in must be a number of seconds .*but it is -5/],
      [{ expires_in: '1e3' }, /expires_in must be a number of seconds .*the string "1e3"/],
      [{ expires_in: null }, /expires_in must be a number of seconds .*but it is null/],
      [{ expires_in: true }, /expires_in .*but it is a boolean/],
      [{ refresh_token: 42 }, /refresh_token must be a non-empty string, but it is a number/],
      [{ refresh_token: '' }, /refresh_token must be a non-empty string, but it is an empty string/],
      [{ refresh_token_expires_in: 'forever' }, /refresh_token_expires_in must be a number of seconds .*the string "forever"/],
      [{ scope: ['api'] }, /scope must be a string .*but it is an array/],
      [{ scope: null }, /scope must be a string .*but it is null/],
      [{ id_token: {} }, /id_token must be a non-empty string, but it is an object/],
      [{ token_type: 7 }, /token_type must be a non-empty string, but it is 7/],
      [{ access_token: 12345 }, /access_token must be a non-empty string, but it is a number/],
    ];
    for (const [fields, expected] of cases) {
      const error = parseError(() => parseTokenResponse(jsonResponse(200, { ...base, ...fields }), NOW, { refreshToken: 'old-refresh' }));
      assert.equal(error.code, 'invalid_token_response', JSON.stringify(fields));
      assert.match(error.message, expected, JSON.stringify(fields));
      assert.match(error.message, /Nothing was stored/, JSON.stringify(fields));
      // What the provider answered, in our words: not its error code.
      assert.ok(error instanceof ProviderError && !error.fromErrorResponse, JSON.stringify(fields));
    }
  });

  it('never quotes the value of a token field it refuses', () => {
    const error = parseError(() => parseTokenResponse(jsonResponse(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', refresh_token: [REFRESH_TOKEN] }), NOW));
    assert.match(error.message, /refresh_token must be a non-empty string, but it is an array/);
  });

  it('reads expires_in sent as a string of digits (RFC 6749 Appendix A.14: expires-in = 1*DIGIT)', () => {
    const tokens = parseTokenResponse(jsonResponse(200, { access_token: 'a', token_type: 'Bearer', expires_in: '3599', refresh_token_expires_in: '60' }), NOW);
    assert.equal(tokens.expiresAt, NOW + 3_599_000);
    assert.equal(tokens.refreshTokenExpiresIn, 60);
  });

  it('keeps the previous refresh token and its expiry when none is returned (RFC 6749 §6)', () => {
    const tokens = parseTokenResponse(jsonResponse(200, { access_token: 'new', token_type: 'Bearer' }), NOW, {
      refreshToken: 'old-refresh',
      refreshTokenExpiresAt: NOW + 1000,
    });
    assert.equal(tokens.refreshToken, 'old-refresh');
    assert.equal(tokens.refreshTokenExpiresAt, NOW + 1000);
  });

  it('prefers a newly issued refresh token', () => {
    const tokens = parseTokenResponse(jsonResponse(200, { access_token: 'new', token_type: 'Bearer', refresh_token: 'rotated' }), NOW, {
      refreshToken: 'old-refresh',
      refreshTokenExpiresAt: NOW + 1000,
    });
    assert.equal(tokens.refreshToken, 'rotated');
    assert.equal(tokens.refreshTokenExpiresAt, undefined);
  });

  it('keeps secret-looking and standard fields out of extra, and __proto__ inert', () => {
    const body = `{"access_token":"a","token_type":"Bearer","session_token":"s","client_secret":"x","__proto__":{"polluted":true},"mode":"Full"}`;
    const tokens = parseTokenResponse(jsonResponse(200, body), NOW);
    assert.deepEqual(Object.keys(tokens.extra).sort(), ['__proto__', 'mode']);
    assert.equal((tokens.extra as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  it('bounds what it keeps of unknown fields: few, short, and a marker where a value was too long', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`field_${index}`, `value-${index}`]));
    const body = { ...SKY_RESPONSE, huge: 'x'.repeat(500_000), nested: { deep: Array.from({ length: 10_000 }, (_, i) => i) }, ...many };
    const tokens = parseTokenResponse(jsonResponse(200, body), NOW);
    const kept = JSON.stringify(tokens.extra).length;
    assert.ok(kept <= EXTRA_LIMITS.totalCharacters + 200, `extra serialises to ${kept} characters`);
    assert.ok(Object.keys(tokens.extra).length <= EXTRA_LIMITS.fields, `${Object.keys(tokens.extra).length} fields kept`);
    // SKY's own fields come first and are kept whole.
    assert.equal(tokens.extra.environment_name, 'Sandbox Environment');
    assert.equal(tokens.extra.mode, 'Full');
    assert.equal(String(tokens.extra.huge).slice(0, 100), '(omitted: 500002 characters)');
    assert.equal(String(tokens.extra.nested).slice(0, 100), '(omitted: 48900 characters)');
  });

  it('turns a 400 invalid_grant body into that error with its hint', () => {
    const error = parseError(() =>
      parseTokenResponse(jsonResponse(400, { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' }), NOW),
    );
    assert.equal(error.code, 'invalid_grant');
    assert.equal(error.status, 400);
    assert.match(error.message, /^The provider answered invalid_grant: Authorization code is invalid or expired\. The authorization code expired or was already used; authorize again\.$/);
  });

  it('turns a 401 invalid_client body into that error', () => {
    const error = parseError(() => parseTokenResponse(jsonResponse(401, { error: 'invalid_client' }), NOW));
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.status, 401);
    assert.match(error.hint, /application ID and secret/);
  });

  it('reports an HTML 500 as http_error with the status and a short, clean excerpt', () => {
    const page = `<html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1>${'<p>stack frame</p>'.repeat(2000)}</body></html>`;
    const error = parseError(() => parseTokenResponse(textResponse(500, page, 'text/html'), NOW));
    assert.equal(error.code, 'http_error');
    assert.equal(error.status, 500);
    assert.ok(error instanceof ProviderError, "an HTTP error status is the provider's answer");
    assert.match(error.message, /HTTP 500/);
    assert.match(error.message, /500 Internal Server Error Oops/);
    assert.doesNotMatch(error.message, /[<>]/);
    assert.ok(error.message.length < 500, `message length ${error.message.length}`);
    assert.match(error.hint, /try again/);
  });

  it('masks a token that appears in an error body excerpt', () => {
    const error = parseError(() => parseTokenResponse(textResponse(502, `upstream said access_token=${ACCESS_TOKEN}`, 'text/plain'), NOW));
    assert.match(error.message, /access_token=eyJh…/);
  });

  it('names the redirect target of a 3xx', () => {
    const error = parseError(() =>
      parseTokenResponse({ status: 302, headers: { location: 'https://login.example.com/token' }, body: '' }, NOW),
    );
    assert.equal(error.code, 'http_error');
    assert.match(error.hint, /redirects to https:\/\/login\.example\.com\/token/);
  });

  it('refuses a non-JSON 200 without quoting it', () => {
    const error = parseError(() => parseTokenResponse(textResponse(200, ACCESS_TOKEN, 'text/plain'), NOW));
    assert.equal(error.code, 'invalid_token_response');
    assert.match(error.message, /HTTP 200 response body \(\d+ chars, text\/plain\) is not JSON/);
  });

  it('quotes a 200 HTML page, which is what a wrong token URL usually returns', () => {
    const error = parseError(() => parseTokenResponse(textResponse(200, '<html><title>Sign in</title></html>', 'text/html'), NOW));
    assert.equal(error.code, 'invalid_token_response');
    assert.match(error.message, /"Sign in"/);
  });

  it('refuses a 200 JSON without access_token and lists the fields it had', () => {
    const error = parseError(() => parseTokenResponse(jsonResponse(200, { token_type: 'Bearer', refresh_token: REFRESH_TOKEN }), NOW));
    assert.equal(error.code, 'invalid_token_response');
    assert.match(error.message, /no access_token \(fields present: token_type, refresh_token\)/);
  });

  it('reads an error body sent with status 200', () => {
    const error = parseError(() => parseTokenResponse(jsonResponse(200, { error: 'bad_verification_code', error_description: 'The code is wrong' }), NOW));
    assert.equal(error.code, 'bad_verification_code');
  });

  it('refuses JSON that is not an object', () => {
    assert.equal(parseError(() => parseTokenResponse(jsonResponse(200, '[1,2]'), NOW)).code, 'invalid_token_response');
    assert.equal(parseError(() => parseTokenResponse(jsonResponse(200, 'null'), NOW)).code, 'invalid_token_response');
  });

  it('refuses any token_type but Bearer, naming it', () => {
    const mac = parseError(() => parseTokenResponse(jsonResponse(200, { access_token: ACCESS_TOKEN, token_type: 'mac' }), NOW));
    assert.equal(mac.code, 'invalid_token_response');
    assert.match(mac.message, /token_type is "mac", but only Bearer tokens/);
    const missing = parseError(() => parseTokenResponse(jsonResponse(200, { access_token: ACCESS_TOKEN }), NOW));
    assert.match(missing.message, /no token_type/);
  });
});
