import * as assert from 'node:assert/strict';
import { OAuthError, ProviderError } from '../../../../src/core/errors/oauthError';
import { parseTokenResponse } from '../../../../src/core/protocol/tokenResponse';
import { jsonResponse, textResponse } from '../../support/fakeHttpClient';

// GitHub's token endpoint: form-encoded unless Accept: application/json, and its errors with HTTP 200
// (github/docs content/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps.md and
// maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors.md).

const NOW = 1_700_000_000_000;
const ACCESS_TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';
const REFRESH_TOKEN = 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498';
const FORM = 'application/x-www-form-urlencoded';

function refusal(action: () => unknown): OAuthError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    assert.ok(!error.message.includes(ACCESS_TOKEN) && !error.message.includes(REFRESH_TOKEN), 'no token in the message');
    return error;
  }
  assert.fail('expected an OAuthError');
}

describe('form-encoded token responses (GitHub without Accept: application/json)', () => {
  it('reads GitHub\'s documented default response', () => {
    const tokens = parseTokenResponse(textResponse(200, `access_token=${ACCESS_TOKEN}&scope=repo%2Cgist&token_type=bearer`, FORM), NOW);
    assert.equal(tokens.accessToken, ACCESS_TOKEN);
    assert.equal(tokens.tokenType, 'bearer');
    assert.deepEqual(tokens.scopes, ['repo,gist']);
    assert.equal(tokens.refreshToken, undefined);
    assert.equal(tokens.expiresAt, undefined);
  });

  it('reads an expiring GitHub App user token with its refresh token, the numbers as digits', () => {
    const body = `access_token=${ACCESS_TOKEN}&expires_in=28800&refresh_token=${REFRESH_TOKEN}&refresh_token_expires_in=15811200&scope=&token_type=bearer`;
    const tokens = parseTokenResponse(textResponse(200, body, `${FORM}; charset=utf-8`), NOW);
    assert.equal(tokens.expiresAt, NOW + 28_800_000);
    assert.equal(tokens.refreshToken, REFRESH_TOKEN);
    assert.equal(tokens.refreshTokenExpiresIn, 15_811_200);
    assert.deepEqual(tokens.scopes, []);
  });

  it('keeps the strict field checks: a non-numeric expires_in is refused by name', () => {
    const error = refusal(() => parseTokenResponse(textResponse(200, `access_token=${ACCESS_TOKEN}&token_type=bearer&expires_in=soon`, FORM), NOW));
    assert.equal(error.code, 'invalid_token_response');
    assert.match(error.message, /expires_in must be a number of seconds/);
  });

  it('refuses an empty access_token and a repeated field', () => {
    assert.match(refusal(() => parseTokenResponse(textResponse(200, 'access_token=&token_type=bearer', FORM), NOW)).message, /access_token must be a non-empty string/);
    const repeated = refusal(() => parseTokenResponse(textResponse(200, `access_token=${ACCESS_TOKEN}&token_type=bearer&token_type=mac`, FORM), NOW));
    assert.match(repeated.message, /repeats the field token_type/);
  });

  it('refuses a form body without an access token, naming the fields it has', () => {
    const error = refusal(() => parseTokenResponse(textResponse(200, 'token_type=bearer&scope=repo', FORM), NOW));
    assert.match(error.message, /no access_token \(fields present: token_type, scope\)/);
  });

  it('does not read a form body that is labelled as something else', () => {
    const error = refusal(() => parseTokenResponse(textResponse(200, `access_token=${ACCESS_TOKEN}&token_type=bearer`, 'text/plain'), NOW));
    assert.match(error.message, /is not JSON/);
  });
});

describe('OAuth errors delivered with HTTP 200', () => {
  const cases = [
    {
      error: 'bad_verification_code',
      description: 'The code passed is incorrect or expired.',
      hint: /run Authorize App again/,
    },
    {
      error: 'incorrect_client_credentials',
      description: 'The client_id and/or client_secret passed are incorrect.',
      hint: /client ID and the client secret/,
    },
    {
      error: 'redirect_uri_mismatch',
      description: 'The redirect_uri MUST match the registered callback URL for this application.',
      hint: /Register the exact redirect URI/,
    },
  ];

  for (const { error, description, hint } of cases) {
    it(`refuses ${error} in JSON as the provider's error, with the fix`, () => {
      const refused = refusal(() => parseTokenResponse(jsonResponse(200, {
        error, error_description: description,
        error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error}`,
      }), NOW));
      assert.ok(refused instanceof ProviderError);
      assert.equal(refused.fromErrorResponse, true);
      assert.equal(refused.code, error);
      assert.equal(refused.status, 200);
      assert.ok(refused.message.startsWith(`The provider answered ${error}: ${description}`), refused.message);
      assert.match(refused.hint, hint);
      assert.match(refused.uri ?? '', /^https:\/\/docs\.github\.com\//);
    });
  }

  it('refuses an error in a form-encoded body too', () => {
    const body = 'error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2Fx';
    const refused = refusal(() => parseTokenResponse(textResponse(200, body, FORM), NOW));
    assert.equal(refused.code, 'bad_verification_code');
    assert.match(refused.message, /The code passed is incorrect or expired\./);
  });

  it('refuses a body that has an error field even beside an access_token', () => {
    const refused = refusal(() => parseTokenResponse(jsonResponse(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', error: 'invalid_grant' }), NOW));
    assert.equal(refused.code, 'invalid_grant');
  });

  it('reads a form-encoded error body of a non-2xx answer as the provider\'s error', () => {
    const refused = refusal(() => parseTokenResponse(textResponse(400, 'error=invalid_request&error_description=bad', FORM), NOW));
    assert.equal(refused.code, 'invalid_request');
    assert.equal(refused.status, 400);
  });
});
