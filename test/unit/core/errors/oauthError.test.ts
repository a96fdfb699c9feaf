import * as assert from 'node:assert/strict';
import {
  asOwnOAuthError,
  ConfigurationError,
  hintFor,
  isErrorResponseBody,
  isOAuthError,
  OAuthError,
  oauthErrorFromAuthorizationResponse,
  oauthErrorFromTokenErrorBody,
  ProviderError,
  TransportError,
} from '../../../../src/core/errors/oauthError';

describe('OAuthError', () => {
  it('names a provider\'s code as the provider\'s, with description and hint, on one line', () => {
    const error = new ProviderError({ code: 'invalid_grant', fromErrorResponse: true, description: 'Code expired', status: 400 });
    assert.equal(
      error.message,
      'The provider answered invalid_grant: Code expired. The authorization code expired or was already used; authorize again.',
    );
    assert.equal(error.origin, 'provider');
    assert.equal(error.name, 'ProviderError');
    assert.ok(error instanceof OAuthError);
    assert.equal(error.status, 400);
    assert.ok(error instanceof Error);
    assert.ok(isOAuthError(error));
    assert.doesNotMatch(error.message, /\n/);
  });

  it('uses the provider\'s code and the hint alone when there is no description', () => {
    const error = new ProviderError({ code: 'access_denied', fromErrorResponse: true });
    assert.equal(error.message, 'The provider answered access_denied: Consent was denied at the provider; run Authorize App again and approve.');
    assert.equal(error.description, undefined);
  });

  it('says the extension\'s own failures in words, keeping the code internal', () => {
    const error = new ConfigurationError({ code: 'loopback_unavailable', description: 'Port 5000 on 127.0.0.1 is in use.', hint: 'Choose another port.' });
    assert.equal(error.origin, 'configuration');
    assert.equal(error.code, 'loopback_unavailable');
    assert.equal(error.message, 'Port 5000 on 127.0.0.1 is in use. Choose another port.');
    const expired = new OAuthError({ code: 'authorization_expired', description: 'No authorization response arrived within 5 minutes.' });
    assert.equal(expired.message, 'No authorization response arrived within 5 minutes. The authorization took too long to complete; run Authorize App again.');
    // Even an RFC code detected locally (a malformed path typed into Call the API) is not blamed on the provider.
    assert.doesNotMatch(new OAuthError({ code: 'invalid_request', description: 'No path was entered.' }).message, /provider answered|invalid_request/);
    for (const code of ['state_mismatch', 'no_pending_authorization', 'callback_replayed', 'invalid_callback', 'issuer_mismatch',
      'invalid_token_response', 'missing_client_secret', 'no_refresh_token', 'invalid_configuration', 'http_error', 'timeout',
      'network_error', 'cancelled', 'invalid_metadata', 'discovery_failed']) {
      assert.doesNotMatch(new OAuthError({ code, description: 'Something happened.' }).message, new RegExp(code), code);
    }
  });

  it('explains SKY API\'s invalid_redirect_uri from the token endpoint', () => {
    assert.match(hintFor('invalid_redirect_uri'), /exactly the one of the authorization request/);
    assert.match(hintFor('invalid_redirect_uri'), /register the exact redirect URI shown in Configure App/);
  });

  it('has a what-to-do-next hint for every RFC 6749 code', () => {
    for (const code of [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'access_denied',
      'unsupported_response_type',
      'server_error',
      'temporarily_unavailable',
    ]) {
      assert.notEqual(hintFor(code), hintFor('some_vendor_code'), code);
    }
    assert.match(hintFor('invalid_client'), /application ID and secret/);
    assert.match(hintFor('invalid_client'), /client authentication method/);
  });

  it('points at the redirect URI registration when the description is about redirect_uri', () => {
    const error = new OAuthError({ code: 'invalid_request', description: 'The redirect_uri is not registered' });
    assert.match(error.hint, /register the exact redirect URI shown in Configure App/i);
    assert.match(hintFor('redirect_uri_mismatch'), /exact redirect URI/);
  });

  it('lets the caller override the hint', () => {
    assert.equal(new OAuthError({ code: 'timeout', hint: 'Try later.' }).hint, 'Try later.');
  });

  it('sanitizes the description: markup, control characters, bidi overrides, length', () => {
    const error = new OAuthError({
      code: 'access_denied',
      description: '<script>alert(1)</script>User <b>denied</b>\n\u0007access\u202E <img src=x onerror=alert(1)>',
    });
    assert.equal(error.description, 'User denied access');
    assert.doesNotMatch(error.message, /[<>]/);
    const long = new OAuthError({ code: 'server_error', description: 'x'.repeat(5000) });
    assert.ok((long.description as string).length <= 300);
    assert.ok((long.description as string).endsWith('…'));
  });

  it('keeps error_uri only when it is https', () => {
    assert.equal(new OAuthError({ code: 'invalid_request', uri: 'https://idp.example.com/errors/1' }).uri, 'https://idp.example.com/errors/1');
    assert.equal(new OAuthError({ code: 'invalid_request', uri: 'http://idp.example.com/errors/1' }).uri, undefined);
    assert.equal(new OAuthError({ code: 'invalid_request', uri: 'javascript:alert(1)' }).uri, undefined);
    assert.equal(new OAuthError({ code: 'invalid_request', uri: 'https://x.example/"<b>' }).uri, undefined);
  });

  it('reduces a hostile error code to safe characters and never resolves hints from the prototype', () => {
    assert.equal(new OAuthError({ code: '<b>evil\u0000code</b>' }).code, 'bevilcode/b');
    assert.equal(new OAuthError({ code: '\u0000\u0001' }).code, 'unrecognized_error');
    assert.equal(typeof new OAuthError({ code: 'constructor' }).hint, 'string');
    assert.match(new OAuthError({ code: '__proto__' }).hint, /provider's documentation/);
    assert.ok(new OAuthError({ code: 'a'.repeat(500) }).code.length <= 64);
  });

  it('keeps the cause for logging', () => {
    const cause = new Error('socket hang up');
    assert.equal(new OAuthError({ code: 'network_error', cause }).cause, cause);
  });
});

describe('errors by origin, under the one base that keeps code, hint and status', () => {
  it('tells a provider\'s answer, a transport failure and a configuration problem apart', () => {
    const errors = [
      new ProviderError({ code: 'invalid_grant', fromErrorResponse: true, status: 400 }),
      new ProviderError({ code: 'http_error', status: 502, description: 'The token endpoint answered HTTP 502.' }),
      new TransportError({ code: 'network_error', description: 'The host name "x.example" could not be resolved.' }),
      new ConfigurationError({ code: 'loopback_unavailable', description: 'Port 5000 on 127.0.0.1 is in use.' }),
      new OAuthError({ code: 'state_mismatch' }),
    ];
    assert.deepEqual(errors.map((error) => error.origin), ['provider', 'provider', 'transport', 'configuration', 'extension']);
    assert.deepEqual(errors.map((error) => error.name), ['ProviderError', 'ProviderError', 'TransportError', 'ConfigurationError', 'OAuthError']);
    for (const error of errors) {
      assert.ok(isOAuthError(error) && error instanceof Error, error.name);
      assert.ok(error.hint.length > 0, `${error.name} keeps a hint`);
    }
    assert.equal(errors[0]?.status, 400);
    assert.equal(errors[1]?.status, 502);
  });

  it('names the code as the provider\'s only when it came in the provider\'s error response', () => {
    assert.match(new ProviderError({ code: 'invalid_grant', fromErrorResponse: true }).message, /^The provider answered invalid_grant: /);
    const ours = new ProviderError({ code: 'http_error', status: 502, description: 'The token endpoint answered HTTP 502.' });
    assert.equal(ours.fromErrorResponse, false);
    assert.doesNotMatch(ours.message, /provider answered|http_error/);
    assert.doesNotMatch(new TransportError({ code: 'timeout', description: 'No answer.' }).message, /timeout/);
  });
});

describe('building OAuthErrors from responses', () => {
  it('reads an RFC 6749 §5.2 token error body', () => {
    const error = oauthErrorFromTokenErrorBody(
      { error: 'invalid_client', error_description: 'Client authentication failed', error_uri: 'https://idp.example.com/e' },
      401,
    );
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.description, 'Client authentication failed');
    assert.equal(error.status, 401);
    assert.equal(error.uri, 'https://idp.example.com/e');
    assert.ok(error instanceof ProviderError && error.fromErrorResponse);
  });

  it('ignores non-string description and uri fields', () => {
    const error = oauthErrorFromTokenErrorBody({ error: 'invalid_grant', error_description: { nested: true }, error_uri: 42 }, 400);
    assert.equal(error.description, undefined);
    assert.equal(error.uri, undefined);
  });

  it('reads an authorization error response (RFC 6749 §4.1.2.1)', () => {
    const error = oauthErrorFromAuthorizationResponse({ error: 'access_denied', error_description: 'The user said no' });
    assert.equal(error.code, 'access_denied');
    assert.equal(error.status, undefined);
    assert.match(error.message, /^The provider answered access_denied: The user said no\. Consent was denied/);
  });

  it('reads SKY API\'s error_message beside access_denied, sanitized, when there is no error_description', () => {
    const sky = oauthErrorFromAuthorizationResponse({
      error: 'access_denied', error_message: 'The user chose not to give your app access to their Blackbaud data.',
    });
    assert.equal(sky.description, 'The user chose not to give your app access to their Blackbaud data.');
    assert.match(sky.message, /^The provider answered access_denied: The user chose not to give your app access to their Blackbaud data\. Consent was denied/);
    const hostile = oauthErrorFromAuthorizationResponse({ error: 'access_denied', error_message: '<img src=x onerror=alert(1)>No\u202Ethanks\n' });
    assert.equal(hostile.description, 'Nothanks');
    const both = oauthErrorFromAuthorizationResponse({ error: 'access_denied', error_description: 'Standard', error_message: 'Vendor' });
    assert.equal(both.description, 'Standard');
  });

  it('recognises error bodies', () => {
    assert.equal(isErrorResponseBody({ error: 'invalid_grant' }), true);
    assert.equal(isErrorResponseBody({ error: 42 }), false);
    assert.equal(isErrorResponseBody(null), false);
    assert.equal(isErrorResponseBody('error'), false);
  });
});

describe('asOwnOAuthError (errors from the lazily loaded dist/idTokens.js)', () => {
  /** What another bundle's copy of ProviderError looks like from here: same fields, another class. */
  class ForeignError extends Error {
    constructor(readonly code: string, readonly origin: string, readonly hint: string, readonly description?: string, readonly status?: number) {
      super(`${description ?? ''} ${hint}`);
    }
  }

  it('turns another bundle\'s OAuthError into this bundle\'s class of the same origin, keeping code, description, hint and status', () => {
    const foreign = new ForeignError('invalid_id_token', 'provider', 'Authorize again.', 'The ID token was refused (aud) and nothing was stored: x.', 401);
    const own = asOwnOAuthError(foreign);
    assert.ok(own instanceof ProviderError);
    assert.equal(own.code, 'invalid_id_token');
    assert.equal(own.description, foreign.description);
    assert.equal(own.hint, 'Authorize again.');
    assert.equal(own.status, 401);
    assert.equal(own.cause, foreign);
    assert.ok(asOwnOAuthError(new ForeignError('invalid_configuration', 'configuration', 'Fix it.')) instanceof ConfigurationError);
    assert.ok(asOwnOAuthError(new ForeignError('timeout', 'transport', 'Retry.')) instanceof TransportError);
  });

  it('leaves this bundle\'s errors and anything that is not an OAuthError as they are', () => {
    const own = new ProviderError({ code: 'invalid_grant' });
    assert.equal(asOwnOAuthError(own), own);
    const plain = new Error('boom');
    assert.equal(asOwnOAuthError(plain), plain);
    const unknownOrigin = new ForeignError('x', 'elsewhere', 'h');
    assert.equal(asOwnOAuthError(unknownOrigin), unknownOrigin);
    assert.equal(asOwnOAuthError('text'), 'text');
  });
});
