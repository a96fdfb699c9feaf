import * as assert from 'node:assert/strict';
import { mask, redactForm, redactHeaders, redactQuery, redactText, redactUrl } from '../../../../src/core/text/redact';

const CODE = 'SplxlOBeZQQYbYS6WxSbIA-0123456789';
const STATE = 'xyzABCdefGHIjklMNOpqrSTUvwx0123456789-_abcd';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('mask', () => {
  it('shows a prefix and the length of long values only', () => {
    assert.equal(mask(JWT), `eyJh…(${JWT.length} chars)`);
    assert.equal(mask('short-secret'), '…(12 chars)');
    assert.equal(mask(''), '(empty)');
  });
});

describe('redactUrl', () => {
  it('masks code and state and leaves everything else byte for byte', () => {
    const url = `http://localhost:5000/callback?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fidp.example.com&x=a+b`;
    const redacted = redactUrl(url);
    assert.equal(
      redacted,
      `http://localhost:5000/callback?code=Splx…(${CODE.length} chars)&state=xyzA…(${STATE.length} chars)&iss=https%3A%2F%2Fidp.example.com&x=a+b`,
    );
    assert.ok(!redacted.includes(CODE));
    assert.ok(!redacted.includes(STATE));
  });

  it('masks every secret parameter name', () => {
    for (const name of ['code_verifier', 'client_secret', 'access_token', 'refresh_token', 'id_token', 'nonce', 'password']) {
      const redacted = redactUrl(`https://x.example/p?${name}=${JWT}&keep=1`);
      assert.ok(!redacted.includes(JWT), name);
      assert.ok(redacted.endsWith('&keep=1'), name);
    }
  });

  it('masks the code and state nested in code-server\'s vscode-query', () => {
    const nested = new URLSearchParams({ code: CODE, state: STATE, iss: 'https://idp.example.com' }).toString();
    const url = `http://127.0.0.1:8080/stable-abc/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-query=${encodeURIComponent(nested)}`;
    const redacted = redactUrl(url);
    assert.ok(!redacted.includes(CODE));
    assert.ok(!redacted.includes(STATE));
    assert.ok(redacted.startsWith('http://127.0.0.1:8080/stable-abc/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-query=code%3DSplx…'));
    assert.ok(redacted.endsWith('%26iss%3Dhttps%253A%252F%252Fidp.example.com'), 'non-secret nested values keep their encoding');
  });

  it('masks tokens in the fragment and a password in the userinfo', () => {
    const redacted = redactUrl(`https://user:hunter2@x.example/cb#access_token=${JWT}&token_type=bearer`);
    assert.equal(redacted, `https://user:…(7 chars)@x.example/cb#access_token=eyJh…(${JWT.length} chars)&token_type=bearer`);
  });

  it('copes with strings that are not URLs and with malformed escapes', () => {
    assert.equal(redactUrl(`not a url?code=${CODE}`), `not a url?code=Splx…(${CODE.length} chars)`);
    assert.equal(redactQuery('code=%E0%A4%A&x=%'), 'code=…(8 chars)&x=%');
  });
});

describe('redactForm and redactHeaders', () => {
  it('masks secret form fields and keeps the rest', () => {
    assert.deepEqual(redactForm({ grant_type: 'authorization_code', code: CODE, client_secret: 's3cr3t', redirect_uri: 'http://localhost/cb' }), {
      grant_type: 'authorization_code',
      code: `Splx…(${CODE.length} chars)`,
      client_secret: '…(6 chars)',
      redirect_uri: 'http://localhost/cb',
    });
  });

  it('masks credentials but keeps the Authorization scheme visible', () => {
    const redacted = redactHeaders({
      Authorization: `Bearer ${JWT}`,
      'Bb-Api-Subscription-Key': '0123456789abcdef0123',
      'X-Custom-Key': 'abcdefghijklmnopqrstu',
      Accept: 'application/json',
    }, ['x-custom-key']);
    assert.equal(redacted.Authorization, `Bearer eyJh…(${JWT.length} chars)`);
    assert.equal(redacted['Bb-Api-Subscription-Key'], '0123…(20 chars)');
    assert.equal(redacted['X-Custom-Key'], 'abcd…(21 chars)');
    assert.equal(redacted.Accept, 'application/json');
  });
});

describe('redactText', () => {
  it('masks tokens in JSON, form syntax, credentials and bare JWTs', () => {
    const text = [
      `{"access_token":"${JWT}","refresh_token": "rt-0123456789abcdef","code":"E123"}`,
      `access_token=abcdef0123456789xyz&token_type=bearer`,
      `Authorization: Basic dXNlcjpwYXNzd29yZA==`,
      `token in prose ${JWT} here`,
    ].join('\n');
    const redacted = redactText(text);
    assert.ok(!redacted.includes(JWT));
    assert.ok(!redacted.includes('rt-0123456789abcdef'));
    assert.ok(!redacted.includes('abcdef0123456789xyz'));
    assert.ok(!redacted.includes('dXNlcjpwYXNzd29yZA=='));
    assert.ok(redacted.includes('"code":"E123"'), 'an application error code in JSON is kept');
    assert.ok(redacted.includes('token_type=bearer'));
    assert.equal(redactText('Use Basic authentication. Bearer tokens.'), 'Use Basic authentication. Bearer tokens.');
  });
});
