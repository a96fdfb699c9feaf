import * as assert from 'node:assert/strict';
import { decodeJwt } from '../../../../src/core/tokens/jwt';

function part(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
}

function jws(header: unknown, claims: unknown, signature = 'c2lnbmF0dXJl'): string {
  return `${part(header)}.${part(claims)}.${signature}`;
}

const HEADER = { alg: 'RS256', typ: 'JWT', kid: 'key-1' };

describe('decodeJwt', function () {
  it('decodes the header and claims of a real-shaped token', function () {
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    assert.deepEqual(decodeJwt(token), {
      header: { alg: 'HS256', typ: 'JWT' },
      claims: { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
    });
  });

  it('decodes UTF-8 claims, including base64url characters - and _', function () {
    const claims = { name: 'Zoë Ångström', aud: ['api'], exp: 1_700_000_000, note: '>>>???' };
    const token = jws(HEADER, claims);
    assert.match(token, /[-_]/);
    assert.deepEqual(decodeJwt(token), { header: HEADER, claims });
  });

  it('decodes an unsecured JWS, whose signature part is empty', function () {
    assert.deepEqual(decodeJwt(jws({ alg: 'none' }, { sub: 'a' }, '')), { header: { alg: 'none' }, claims: { sub: 'a' } });
  });

  it('does not look at the signature', function () {
    assert.ok(decodeJwt(jws(HEADER, { sub: 'a' }, 'not-a-valid-signature')));
  });

  it('returns undefined for opaque tokens', function () {
    assert.equal(decodeJwt('2YotnFZFEjr1zCsicMWpAA'), undefined);
    assert.equal(decodeJwt('8xLOxBtZp8.aGVsbG8.d29ybGQ'), undefined);
    assert.equal(decodeJwt(''), undefined);
  });

  it('returns undefined for an encrypted JWE (five parts)', function () {
    const jwe = `${part({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a2V5.aXY.Y2lwaGVy.dGFn`;
    assert.equal(decodeJwt(jwe), undefined);
  });

  it('returns undefined when a part is not a JSON object', function () {
    assert.equal(decodeJwt(jws(HEADER, ['sub'])), undefined);
    assert.equal(decodeJwt(jws(HEADER, 42)), undefined);
    assert.equal(decodeJwt(jws(HEADER, null)), undefined);
    assert.equal(decodeJwt(jws(HEADER, '{"sub":')), undefined);
    assert.equal(decodeJwt(jws('"header"', { sub: 'a' })), undefined);
  });

  it('returns undefined for a header without alg, which no JWS has', function () {
    assert.equal(decodeJwt(jws({ typ: 'JWT' }, { sub: 'a' })), undefined);
  });

  it('returns undefined for garbage', function () {
    for (const garbage of ['..', 'a.b.c', '...', `${part(HEADER)}.${part({ sub: 'a' })}`, `${part(HEADER)}.${part({ sub: 'a' })}=.sig`,
      ` ${jws(HEADER, { sub: 'a' })}`, `${jws(HEADER, { sub: 'a' })}\n`, 'eyJ+/.eyJ+/.sig', '\u0000.\u0000.\u0000']) {
      assert.equal(decodeJwt(garbage), undefined, JSON.stringify(garbage));
    }
  });

  it('refuses huge input without decoding it', function () {
    const huge = jws(HEADER, { padding: 'x'.repeat(40_000) });
    assert.equal(decodeJwt(huge), undefined);
    assert.equal(decodeJwt('a'.repeat(10_000_000)), undefined);
  });

  it('still decodes a large but plausible token', function () {
    const claims = { groups: Array.from({ length: 200 }, (_, index) => `group-${index}`) };
    assert.deepEqual(decodeJwt(jws(HEADER, claims))?.claims, claims);
  });
});
