import * as assert from 'node:assert/strict';
import { OAuthError } from '../../../../src/core/errors/oauthError';
import { RefreshCoordinator, reportEvenUnasked } from '../../../../src/core/tokens/refreshCoordinator';
import { secretWrite } from '../../../../src/core/tokens/secretWrite';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const tokens = (generation: number): TokenSet => ({
  accessToken: `access-${generation}`, tokenType: 'Bearer', obtainedAt: 0, refreshToken: `refresh-${generation}`, extra: {},
});

describe('secret storage writes that fail', () => {
  it('turn a rejected write into storage_failed, naming what was not saved and never the value', async () => {
    const secret = 'refresh-0123456789abcdef';
    const failing = (): Promise<void> => Promise.reject(new Error(`Cannot save ${secret}: no keyring`));
    await assert.rejects(secretWrite('The new tokens', failing), (error: unknown) => {
      assert.ok(error instanceof OAuthError);
      assert.equal(error.code, 'storage_failed');
      assert.match(error.message, /^The new tokens could not be saved in the editor's secret storage/);
      assert.match(error.message, /keyring/i);
      assert.ok(!error.message.includes(secret), error.message);
      return true;
    });
  });

  it('let a successful write through unchanged', async () => {
    let written = false;
    await secretWrite('The tokens', async () => { written = true; });
    assert.ok(written);
  });

  it('make a refresh fail with storage_failed, and the failure is reported even to the timer that did not ask', async () => {
    const old = tokens(1);
    let stored = old;
    const coordinator = new RefreshCoordinator({
      load: async () => stored,
      refresh: async () => tokens(2),
      store: (next) => secretWrite('The refreshed tokens', () => Promise.reject(new Error(`keychain locked (${next.accessToken})`))),
      clear: async () => { stored = old; },
    });
    const outcome = await coordinator.refresh();
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.kind === 'failed' && outcome.error instanceof OAuthError && outcome.error.code === 'storage_failed');
    assert.equal(stored, old, 'the old set stays');
    // The provider may have rotated the refresh token: silently retrying later would not recover.
    assert.equal(reportEvenUnasked(outcome), true);
    assert.equal(reportEvenUnasked({ kind: 'failed', error: new OAuthError({ code: 'network_error', description: 'offline' }) }), false);
  });
});
