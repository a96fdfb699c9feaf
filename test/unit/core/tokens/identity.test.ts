import { notificationLinksIn } from '../../support/vscodeLinkSyntax';
import * as assert from 'node:assert/strict';
import { signedInAs } from '../../../../src/core/tokens/identity';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { describeTokenSet } from '../../../../src/core/tokens/tokenSummary';
import { tokenStatusView } from '../../../../src/core/tokens/tokenStatus';

const NOW = 1_700_000_000_000;

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: 'access-token-value', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000, extra: {}, ...overrides };
}

/** An unsigned-looking compact JWS with these claims; nothing here checks its signature, which is the point. */
function idToken(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('signedInAs (who the tokens are for)', function () {
  describe('from the token response (SKY API fields)', function () {
    it('gives the name and address when SKY sends given_name, family_name and email', function () {
      const set = tokens({ extra: { user_id: 'u-1', email: 'ada@example.org', given_name: 'Ada', family_name: 'Lovelace' } });
      assert.equal(signedInAs(set), 'Ada Lovelace <ada@example.org>');
    });

    it('gives the address alone, or one half of the name, when that is all there is', function () {
      assert.equal(signedInAs(tokens({ extra: { user_id: 'u-123', email: 'alice@example.com' } })), 'alice@example.com');
      assert.equal(signedInAs(tokens({ extra: { given_name: 'Ada' } })), 'Ada');
      assert.equal(signedInAs(tokens({ extra: { family_name: 'Lovelace', email: 'a@x.example' } })), 'Lovelace <a@x.example>');
    });

    it('falls back to preferred_username, then the user ID, then the subject', function () {
      assert.equal(signedInAs(tokens({ extra: { sub: 's', user_id: 'u', preferred_username: 'p' } })), 'p');
      assert.equal(signedInAs(tokens({ extra: { sub: 's', user_id: 'u' } })), 'user ID u');
      assert.equal(signedInAs(tokens({ extra: { sub: 's' } })), 'subject s');
    });

    it('skips blank and non-string values', function () {
      assert.equal(signedInAs(tokens({ extra: { email: '   ', user_id: '  u-1  ' } })), 'user ID u-1');
      assert.equal(signedInAs(tokens({ extra: { email: 42, user_id: null, sub: { id: 1 } } })), undefined);
    });

    it('is undefined without any identifying field', function () {
      assert.equal(signedInAs(tokens()), undefined);
      assert.equal(signedInAs(tokens({ extra: { environment_id: 'p-env' } })), undefined);
    });
  });

  describe('from the ID token (OpenID Connect), labelled as not verified', function () {
    it('gives name and email from the claims', function () {
      const set = tokens({ idToken: idToken({ iss: 'https://op.example', sub: '248289761001', name: 'Jane Doe', email: 'janedoe@example.com' }) });
      assert.equal(signedInAs(set), 'Jane Doe <janedoe@example.com> (per the ID token, not verified)');
    });

    it('gives the subject when sub is the only identifying claim (it always is present, OpenID Connect Core §2)', function () {
      assert.equal(signedInAs(tokens({ idToken: idToken({ sub: '248289761001' }) })), 'subject 248289761001 (per the ID token, not verified)');
    });

    it('prefers a name or address from either source over an opaque identifier from the other', function () {
      const named = idToken({ sub: 'abc', email: 'jane@example.com' });
      assert.equal(signedInAs(tokens({ idToken: named, extra: { user_id: 'u-1' } })), 'jane@example.com (per the ID token, not verified)');
      assert.equal(signedInAs(tokens({ idToken: idToken({ sub: 'abc' }), extra: { email: 'ada@example.org' } })), 'ada@example.org');
      assert.equal(signedInAs(tokens({ idToken: idToken({ sub: 'abc' }), extra: { user_id: 'u-1' } })), 'user ID u-1');
    });

    it('ignores an ID token that is not a decodable JWT', function () {
      assert.equal(signedInAs(tokens({ idToken: 'not-a-jwt' })), undefined);
      assert.equal(signedInAs(tokens({ idToken: 'bm90IGpzb24.bm90IGpzb24.' })), undefined);
    });
  });

  describe('neutralising provider-controlled values', function () {
    it('drops markup, control and bidi characters and notification link syntax', function () {
      const set = tokens({ idToken: idToken({
        sub: 'x', name: 'Eve\u202E <img src=x onerror=alert(1)>[Open](command:workbench.action.terminal.new)\n', email: 'eve@evil.example',
      }) });
      const who = signedInAs(set) ?? '';
      assert.deepEqual(notificationLinksIn(who), []);
      assert.doesNotMatch(who, /[\u202E\n]|<img|onerror=alert\(1\)>/);
      assert.equal(who, 'Eve [Open] (command:workbench.action.terminal.new) <eve@evil.example> (per the ID token, not verified)');
    });

    it('caps a long value', function () {
      const who = signedInAs(tokens({ extra: { email: `${'a'.repeat(500)}@example.com` } })) ?? '';
      assert.ok(Array.from(who).length <= 80, who);
      assert.ok(who.endsWith('…'));
    });

    it('treats a value with nothing readable left as absent', function () {
      assert.equal(signedInAs(tokens({ extra: { email: '<b></b>\u200B', user_id: 'u-2' } })), 'user ID u-2');
    });
  });

  it('is what the Authorize App message and the status bar tooltip say', function () {
    const set = tokens({ idToken: idToken({ sub: 'abc', name: 'Jane Doe' }), extra: { environment_name: 'Sandbox' } });
    assert.match(describeTokenSet(set, NOW), /^Authorized as Jane Doe \(per the ID token, not verified\) in Sandbox\. The access token expires in 59 min/);
    assert.ok(tokenStatusView(set, NOW).tooltip.includes('Signed in as Jane Doe (per the ID token, not verified) in Sandbox.'));
  });
});
