import * as assert from 'node:assert/strict';
import { describeIgnoredCallback } from '../../../../src/core/protocol/ignoredCallback';
import { OAuthError } from '../../../../src/core/errors/oauthError';

describe('describeIgnoredCallback', () => {
  const mismatch = new OAuthError({ code: 'state_mismatch', description: 'The response\'s state does not match any authorization request in progress.' });

  it('while an authorization waits: the response does not belong to it, and it goes on', () => {
    const text = describeIgnoredCallback({ error: mismatch, othersWaiting: true });
    assert.equal(text.title, 'This response does not belong to the authorization in progress');
    assert.match(text.detail, /^The response's state does not match any authorization request in progress\. It was ignored, and the authorization in progress goes on/);
    assert.match(text.notification, /does not belong to the authorization in progress.*goes on/);
    for (const line of Object.values(text)) {
      assert.doesNotMatch(line, /No authorization is waiting|state_mismatch/);
    }
  });

  it('with nothing waiting: no authorization is waiting, start one', () => {
    const none = new OAuthError({ code: 'no_pending_authorization', description: 'An authorization response arrived, but no authorization request is waiting for one.' });
    const text = describeIgnoredCallback({ error: none, othersWaiting: false });
    assert.equal(text.title, 'No authorization is waiting for this response');
    assert.match(text.detail, /run Authorize App first/);
    assert.match(text.notification, /^No authorization is waiting for this callback .*Authorize App/);
    assert.doesNotMatch(text.detail, /no_pending_authorization/);
  });
});
