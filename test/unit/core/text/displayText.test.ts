import { notificationLinksIn } from '../../support/vscodeLinkSyntax';
import * as assert from 'node:assert/strict';
import { bodyExcerpt, sanitizeForDisplay } from '../../../../src/core/text/displayText';

describe('sanitizeForDisplay', () => {
  it('drops script and style elements, tags and stray angle brackets', () => {
    assert.equal(sanitizeForDisplay('<style>p{}</style><p>Hello <i>there</i></p><script>x()</script> a < b'), 'Hello there a b');
    assert.equal(sanitizeForDisplay('<!-- note --><SCRIPT type="x">evil()'), '');
  });

  it('removes control, zero-width and bidi characters and collapses whitespace', () => {
    assert.equal(sanitizeForDisplay('a\u0000b\u200Bc\u202Ed\r\n\te  f\u2028g'), 'abcd e f g');
  });

  it('keeps a notification from rendering provider text as a link (a command: link would run a command)', () => {
    assert.equal(sanitizeForDisplay('Denied. [Fix it](command:authCodeFlow.signOut) or [see](https://evil.example)'),
      'Denied. [Fix it] (command:authCodeFlow.signOut) or [see] (https://evil.example)');
    assert.equal(sanitizeForDisplay('[a]\n(command:x)'), '[a] (command:x)');
    for (const hostile of ['[x](command:y)', '[x]\u202E(command:y)', '[x] \r\n (file:///etc/passwd)', '[[x](command:y)](https://a.example)']) {
      assert.deepEqual(notificationLinksIn(sanitizeForDisplay(hostile)), [], hostile);
    }
  });

  it('caps the length without splitting a surrogate pair', () => {
    const text = sanitizeForDisplay('😀'.repeat(20), 10);
    assert.equal(Array.from(text).length, 10);
    assert.ok(text.endsWith('…'));
    assert.doesNotMatch(text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('bodyExcerpt', () => {
  it('gives the readable start of an HTML page', () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>${'x'.repeat(500)}</style></head>` +
      `<body><h1>Bad Gateway</h1>${'<p>filler</p>'.repeat(1000)}</body></html>`;
    const excerpt = bodyExcerpt(page);
    assert.ok(excerpt.startsWith('502 Bad Gateway Bad Gateway'), excerpt);
    assert.ok(excerpt.length <= 200);
  });

  it('masks tokens before quoting a body', () => {
    assert.equal(bodyExcerpt('access_token=abcdefghijklmnopqrstuvwxyz&x=1'), 'access_token=abcd…(26 chars)&x=1');
  });
});
