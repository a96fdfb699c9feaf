import * as assert from 'node:assert/strict';
import { OAuthError } from '../../src/core/errors/oauthError';

/** Runs `action`, expects it to fail with an OAuthError, and returns that error for closer inspection. */
export async function expectOAuthError(action: () => Promise<unknown>): Promise<OAuthError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail with an OAuthError');
}
