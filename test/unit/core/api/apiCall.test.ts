import * as assert from 'node:assert/strict';
import {
  assessApiResponse, buildApiRequest, formatApiResponse, formatWait, MAX_BODY_CHARACTERS, MAX_RETRY_AFTER_MS, parseRetryAfter, resolveApiUrl,
  type ApiRequest,
} from '../../../../src/core/api/apiCall';
import type { HttpResponse } from '../../../../src/core/http/httpClient';
import { OAuthError } from '../../../../src/core/errors/oauthError';

const SKY = 'https://api.sky.blackbaud.com';
const SANDBOX = 'http://127.0.0.2:4477/api';
const TOKEN = 'access-token-0123456789abcdefghij';
const KEY = 'subscription-key-0123456789abcdef';

function rejected(action: () => unknown): OAuthError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to throw');
}

function response(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body, durationMs: 42.4 };
}

function skyRequest(target = '/constituent/v1/constituents?limit=1'): ApiRequest {
  return buildApiRequest({ apiBaseUrl: SKY, target, accessToken: TOKEN, subscriptionKeyHeader: 'Bb-Api-Subscription-Key', subscriptionKey: KEY });
}

describe('Call the API: the request', function () {
  describe('resolveApiUrl', function () {
    it('appends a path to the base URL as text, keeping the base URL\'s own path', function () {
      assert.equal(resolveApiUrl(SANDBOX, '/me').href, 'http://127.0.0.2:4477/api/me');
      assert.equal(resolveApiUrl(`${SANDBOX}/`, '/me').href, 'http://127.0.0.2:4477/api/me');
      assert.equal(resolveApiUrl(SANDBOX, 'me').href, 'http://127.0.0.2:4477/api/me');
      assert.equal(resolveApiUrl(SKY, '/constituent/v1/constituents?limit=1').href, `${SKY}/constituent/v1/constituents?limit=1`);
      assert.equal(resolveApiUrl(SKY, '  /school/v1/roles  ').href, `${SKY}/school/v1/roles`);
    });

    it('accepts a full URL on the base URL\'s origin', function () {
      assert.equal(resolveApiUrl(SKY, `${SKY}/constituent/v1/constituents/280`).href, `${SKY}/constituent/v1/constituents/280`);
      assert.equal(resolveApiUrl(SANDBOX, 'http://127.0.0.2:4477/api/me?x=1').href, 'http://127.0.0.2:4477/api/me?x=1');
    });

    it('never lets the token go to another host, port or scheme', function () {
      for (const target of [
        'https://evil.example/constituent/v1/constituents',
        'https://api.sky.blackbaud.com.evil.example/x',
        'http://api.sky.blackbaud.com/constituent/v1/constituents',
        'https://api.sky.blackbaud.com:8443/x',
      ]) {
        const error = rejected(() => resolveApiUrl(SKY, target));
        assert.equal(error.code, 'invalid_request', target);
        assert.match(error.message, /Only https:\/\/api\.sky\.blackbaud\.com .*receives the access token/, target);
      }
    });

    it('keeps typed text in the path, so it cannot turn the base host into userinfo; full URLs with userinfo are refused', function () {
      assert.equal(resolveApiUrl('https://api.example.com', '@evil.example/steal').href, 'https://api.example.com/@evil.example/steal');
      assert.equal(resolveApiUrl('https://api.example.com', '//evil.example/steal').host, 'api.example.com');
      const withUserinfo = rejected(() => resolveApiUrl(SKY, 'https://user:secret-password@api.sky.blackbaud.com/x'));
      assert.equal(withUserinfo.code, 'invalid_request');
      assert.doesNotMatch(withUserinfo.message, /secret-password/);
    });

    it('refuses what is not an http(s) path or URL, with the fix', function () {
      assert.match(rejected(() => resolveApiUrl(SKY, '')).message, /No path was entered.*relative to the API base URL/);
      assert.match(rejected(() => resolveApiUrl(SKY, '/a b')).message, /space; encode it as %20/);
      assert.match(rejected(() => resolveApiUrl(SKY, '/x#part')).message, /fragment/);
      assert.match(rejected(() => resolveApiUrl(SKY, 'javascript:alert(1)')).message, /not an http\(s\) URL/);
    });

    it('names the configuration problem when no usable base URL is configured', function () {
      const missing = rejected(() => resolveApiUrl('', '/me'));
      assert.equal(missing.code, 'invalid_configuration');
      assert.match(missing.message, /No API base URL is configured.*Configure App/);
      assert.equal(rejected(() => resolveApiUrl('ftp://files.example', '/me')).code, 'invalid_configuration');
    });
  });

  describe('buildApiRequest', function () {
    it('sends the access token as a Bearer credential and the subscription key in its header', function () {
      const request = skyRequest();
      assert.equal(request.method, 'GET');
      assert.equal(request.url, `${SKY}/constituent/v1/constituents?limit=1`);
      assert.equal(request.path, '/constituent/v1/constituents?limit=1');
      assert.deepEqual(request.headers, { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json', 'Bb-Api-Subscription-Key': KEY });
      assert.deepEqual(request.notes, []);
    });

    it('sends no key header for a provider without one', function () {
      const request = buildApiRequest({ apiBaseUrl: 'https://api.example.com/v2', target: '/me', accessToken: TOKEN });
      assert.deepEqual(Object.keys(request.headers), ['Authorization', 'Accept']);
      assert.equal(request.path, '/v2/me');
    });

    it('says so when a key header is configured but no key is stored', function () {
      const request = buildApiRequest({ apiBaseUrl: SKY, target: '/x', accessToken: TOKEN, subscriptionKeyHeader: 'Bb-Api-Subscription-Key' });
      assert.equal(request.headers['Bb-Api-Subscription-Key'], undefined);
      assert.equal(request.notes.length, 1);
      assert.match(request.notes[0], /No subscription key is stored, so no Bb-Api-Subscription-Key header was sent.*Configure App/);
    });
  });
});

describe('Call the API: the response', function () {
  describe('assessApiResponse', function () {
    it('calls any 2xx a success', function () {
      assert.deepEqual(assessApiResponse(response(200, '{}')), { kind: 'success' });
      assert.deepEqual(assessApiResponse(response(204, '')), { kind: 'success' });
    });

    it('reads RFC 6750\'s WWW-Authenticate on a 401 as a rejected token, with the code and the fix', function () {
      const outcome = assessApiResponse(response(401, '{"error":"invalid_token"}', {
        'www-authenticate': 'Bearer realm="sandbox", error="invalid_token", error_description="The access token is invalid or has expired."',
      }));
      assert.equal(outcome.kind, 'token_rejected');
      assert.equal(outcome.bearerError, 'invalid_token');
      assert.match(outcome.explanation ?? '', /^The API answered invalid_token \(RFC 6750 §3\.1\): The access token is invalid or has expired\. .*refresh it and retry/);
    });

    it('treats a bare 401 as a rejected token too', function () {
      const outcome = assessApiResponse(response(401, 'Unauthorized'));
      assert.equal(outcome.kind, 'token_rejected');
      assert.equal(outcome.bearerError, undefined);
      assert.match(outcome.explanation ?? '', /^The API did not accept the access token\. /);
    });

    it('recognises the gateway refusing the subscription key, which no refresh can fix', function () {
      const body = '{"statusCode":401,"message":"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."}';
      const withKey = assessApiResponse(response(401, body), { notes: [] });
      assert.equal(withKey.kind, 'subscription_key_rejected');
      assert.match(withKey.explanation ?? '', /subscription key.*Run Configure App/);
      assert.doesNotMatch(withKey.explanation ?? '', /None is stored/);
      const withoutKey = assessApiResponse(response(401, body), { notes: ['No subscription key is stored…'] });
      assert.match(withoutKey.explanation ?? '', /None is stored/);
      // SKY API's own wording for a wrong key (blackbaud/sky-api-docs, common-auth-issues).
      const invalid = assessApiResponse(response(401,
        '{"statusCode":401,"message":"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}'), { notes: [] });
      assert.equal(invalid.kind, 'subscription_key_rejected');
      assert.match(invalid.explanation ?? '', /invalid: not a key of an active, approved subscription.*primary or secondary key/);
    });

    it('explains insufficient_scope, 403, 404 and 5xx', function () {
      const scope = assessApiResponse(response(403, '', { 'www-authenticate': 'Bearer error="insufficient_scope", scope="constituents.read"' }));
      assert.equal(scope.bearerError, 'insufficient_scope');
      assert.match(scope.explanation ?? '', /^The API answered insufficient_scope.*\(constituents\.read\).*Configure App/);
      assert.match(assessApiResponse(response(403, '')).explanation ?? '', /does not allow this request/);
      assert.match(assessApiResponse(response(404, '')).explanation ?? '', /Nothing at this path/);
      assert.match(assessApiResponse(response(503, '')).explanation ?? '', /failed on its side/);
      for (const status of [403, 404, 503]) assert.equal(assessApiResponse(response(status, '')).kind, 'failed');
    });

    // blackbaud/sky-api-docs, includes/basics/ratelimits.md and includes/basics/quotas.md.
    it('recognises SKY API\'s 429 rate limit, with when to retry from Retry-After', function () {
      const outcome = assessApiResponse(response(429, '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 second."}', { 'retry-after': '1' }));
      assert.equal(outcome.kind, 'throttled');
      assert.deepEqual(outcome.throttle, { limit: 'rate', retryAfterMs: 1000 });
      assert.match(outcome.explanation ?? '', /rate limit was reached.*The API said: "Rate limit is exceeded\. Try again in 1 second\." Retry in 1 s \(Retry-After\)\.$/);
      const bare = assessApiResponse(response(429, ''));
      assert.deepEqual(bare.throttle, { limit: 'rate' });
      assert.match(bare.explanation ?? '', /Wait a moment and retry\.$/);
    });

    it('recognises SKY API\'s 403 call volume quota, apart from a 403 for missing rights', function () {
      const body = '{"statusCode":403,"message":"Out of call volume quota. Quota will be replenished in 00:06:46."}';
      const outcome = assessApiResponse(response(403, body, { 'retry-after': '406' }));
      assert.equal(outcome.kind, 'throttled');
      assert.deepEqual(outcome.throttle, { limit: 'quota', retryAfterMs: 406_000 });
      assert.match(outcome.explanation ?? '', /call volume quota is used up.*"Out of call volume quota\. Quota will be replenished in 00:06:46\." It is replenished in 6 min 46 s \(Retry-After\); retry then/);
      assert.equal(assessApiResponse(response(403, body)).kind, 'throttled', 'the message alone is enough');
      assert.equal(assessApiResponse(response(403, '{"message":"Forbidden"}')).kind, 'failed');
    });

    it('neutralises the gateway\'s message before it can reach a notification', function () {
      const hostile = JSON.stringify({ message: '<script>x()</script>Rate limit\u202E is\nexceeded <b>now</b>' });
      const outcome = assessApiResponse(response(429, hostile, { 'retry-after': '2' }));
      assert.match(outcome.explanation ?? '', /The API said: "Rate limit is exceeded now"/);
      assert.doesNotMatch(outcome.explanation ?? '', /[<>\n\u202E]/);
    });
  });

  describe('parseRetryAfter', function () {
    const now = Date.parse('2016-12-06T19:47:44Z');

    it('reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3), a past date meaning now', function () {
      assert.equal(parseRetryAfter('1', now), 1000);
      assert.equal(parseRetryAfter(' 406 ', now), 406_000);
      assert.equal(parseRetryAfter('Tue, 06 Dec 2016 19:47:54 GMT', now), 10_000);
      assert.equal(parseRetryAfter('Tue, 06 Dec 2016 19:00:00 GMT', now), 0);
    });

    it('bounds absurd values and ignores unreadable ones', function () {
      assert.equal(parseRetryAfter('99999999999999999999', now), MAX_RETRY_AFTER_MS);
      assert.equal(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now), MAX_RETRY_AFTER_MS);
      for (const value of [undefined, '', '-5', '1.5', 'soon', '2016-12-06', 'x'.repeat(500)]) {
        assert.equal(parseRetryAfter(value, now), undefined, String(value));
      }
    });

    it('formats a wait to the second while it is short', function () {
      assert.equal(formatWait(1000), '1 s');
      assert.equal(formatWait(1), '1 s');
      assert.equal(formatWait(406_000), '6 min 46 s');
      assert.equal(formatWait(120_000), '2 min');
      assert.equal(formatWait(3 * 3600_000 + 5 * 60_000), '3 h 5 min');
    });
  });

  describe('formatApiResponse', function () {
    const options = { receivedAt: 0, formatTime: () => 'RECEIVED-AT' };

    it('opens with the status line and the time, and pretty-prints a JSON body', function () {
      const text = formatApiResponse(skyRequest(), response(200, '{"count":1,"value":[{"id":"280"}]}', { 'content-type': 'application/json; charset=utf-8' }), options);
      const lines = text.split('\n');
      assert.equal(lines[0], '# GET /constituent/v1/constituents?limit=1 → 200 OK');
      assert.match(text, /^42 ms, received RECEIVED-AT, from https:\/\/api\.sky\.blackbaud\.com\/constituent\/v1\/constituents\?limit=1$/m);
      assert.ok(text.includes('```json\n{\n  "count": 1,\n  "value": [\n    {\n      "id": "280"\n    }\n  ]\n}\n```'), text);
    });

    it('masks the token and the subscription key in the request it shows, keeping the scheme', function () {
      const text = formatApiResponse(skyRequest(), response(200, '{}'), options);
      assert.ok(!text.includes(TOKEN), 'no access token');
      assert.ok(!text.includes(KEY), 'no subscription key');
      assert.match(text, /^Authorization: Bearer acce…\(\d+ chars\)$/m);
      assert.match(text, /^Bb-Api-Subscription-Key: subs…\(\d+ chars\)$/m);
      assert.match(text, /^GET \/constituent\/v1\/constituents\?limit=1 HTTP\/1\.1\nHost: api\.sky\.blackbaud\.com$/m);
    });

    it('masks a custom subscription key header, and credentials in the response headers', function () {
      const request = buildApiRequest({ apiBaseUrl: SKY, target: '/x', accessToken: TOKEN, subscriptionKeyHeader: 'X-Custom-Key', subscriptionKey: KEY });
      const text = formatApiResponse(request, response(200, '', { 'set-cookie': 'session=cookie-secret-0123456789', 'x-custom-key': KEY, 'x-request-id': 'r-1' }), options);
      assert.ok(!text.includes(KEY));
      assert.ok(!text.includes('cookie-secret-0123456789'));
      assert.match(text, /^x-request-id: r-1$/m);
      assert.match(text, /^\(empty body\)$/m);
    });

    it('masks a secret typed into the query in the title and the URL line', function () {
      const request = buildApiRequest({ apiBaseUrl: SKY, target: '/x?access_token=typed-token-value-0123456789', accessToken: TOKEN });
      const text = formatApiResponse(request, response(200, '{}'), options);
      assert.ok(!text.includes('typed-token-value-0123456789'));
    });

    it('shows a 401 with its explanation and the notes above the details', function () {
      const request = buildApiRequest({ apiBaseUrl: SANDBOX, target: '/me', accessToken: TOKEN, subscriptionKeyHeader: 'Bb-Api-Subscription-Key' });
      const text = formatApiResponse(request, response(401, '{"statusCode":401,"message":"Access denied due to missing subscription key."}'), options);
      const beforeRequest = text.slice(0, text.indexOf('## Request'));
      assert.match(beforeRequest, /^# GET \/api\/me → 401 Unauthorized$/m);
      assert.match(beforeRequest, /^> The API gateway rejected the subscription key/m);
      assert.match(beforeRequest, /^> No subscription key is stored/m);
    });

    it('shows a body that is not JSON as it is, in a fence it cannot close', function () {
      const html = formatApiResponse(skyRequest(), response(502, '<h1>Bad gateway</h1>', { 'content-type': 'text/html' }), options);
      assert.ok(html.includes('```html\n<h1>Bad gateway</h1>\n```'));
      assert.match(html, /^# GET .* → 502 Bad Gateway$/m);
      const broken = formatApiResponse(skyRequest(), response(200, '{"not": json', { 'content-type': 'application/json' }), options);
      assert.ok(broken.includes('```text\n{"not": json\n```'));
      const fenced = formatApiResponse(skyRequest(), response(200, 'before\n```\n# injected heading\n', { 'content-type': 'text/plain' }), options);
      assert.ok(fenced.includes('````text\nbefore\n```\n# injected heading\n\n````'), fenced);
    });

    it('recognises JSON without a content type, and an unusual status without a phrase', function () {
      const text = formatApiResponse(skyRequest(), response(299, '[1,2]'), options);
      assert.match(text, /^# GET .* → 299$/m);
      assert.ok(text.includes('```json\n[\n  1,\n  2\n]\n```'));
    });

    it('cuts a huge body and says how much is shown', function () {
      const body = 'x'.repeat(MAX_BODY_CHARACTERS + 10);
      const text = formatApiResponse(skyRequest(), response(200, body, { 'content-type': 'text/plain' }), options);
      assert.ok(text.length < MAX_BODY_CHARACTERS + 2_000);
      assert.match(text, new RegExp(`Only the first ${MAX_BODY_CHARACTERS} of ${MAX_BODY_CHARACTERS + 10} characters are shown`));
    });
  });
});
