// Review finding 1: text a provider (or anyone who can reach the callback) controls must never become a
// clickable link, a line break or a bidi override where the editor shows it. Every path that carries such
// text into a notification, a tooltip or a markdown view is fed the same hostile values here, and the
// result is checked with VS Code's own notification link syntax and a CommonMark renderer.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assessApiResponse, buildApiRequest, formatApiResponse } from '../../../src/core/api/apiCall';
import type { HttpResponse } from '../../../src/core/http/httpClient';
import { validateCallback, type WaitingAuthorization } from '../../../src/core/protocol/callback';
import { parseTokenResponse } from '../../../src/core/protocol/tokenResponse';
import { signedInAs } from '../../../src/core/tokens/identity';
import { tokenReport } from '../../../src/core/tokens/tokenReport';
import type { TokenSet } from '../../../src/core/tokens/tokenSet';
import { tokenStatusView } from '../../../src/core/tokens/tokenStatus';
import { describeTokenSet } from '../../../src/core/tokens/tokenSummary';
import { recordFigure } from '../../harness/figures';
import { jsonResponse, textResponse } from '../support/fakeHttpClient';
import { notificationLinksIn } from '../support/vscodeLinkSyntax';

/** Link syntax of every kind, line breaks, and the Trojan Source bidi controls. */
const HOSTILE = '[x](command:authCodeFlow.signOut) [y]\r\n(command:y) [z]\u2028(https://evil.example) '
  + '\u202Eevil\u202C \u2066i\u2069 \u061C <command:a> <a href="command:b">b</a> ![i](command:c)';
/** The same, within what RFC 6749 allows in an error code (printable ASCII without " and \). */
const HOSTILE_CODE = '[x](command:authCodeFlow.signOut)';

const NOW = 1_700_000_000_000;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** One line for a notification or a tooltip: no link VS Code would render, no line break, no bidi control. */
function assertInertLine(path: string, text: string): void {
  assert.deepEqual(notificationLinksIn(text), [], `${path}: a link survived in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /\]\(/, `${path}: link syntax survived in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /<command:/i, `${path}: an autolink survived in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, LINE_BREAK, `${path}: a line break survived in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, BIDI, `${path}: a bidi control survived in ${JSON.stringify(text)}`);
  assert.match(text, /evil|command|x/, `${path}: the hostile text never reached the output, so nothing was checked`);
}

interface MarkdownRenderer { render(source: string): string }
// markdown-it is the renderer of VS Code's markdown preview (extensions/markdown-language-features), which
// turns raw HTML and, with markdown.preview.linkify (on by default), bare URLs into elements too. It comes
// with @vscode/vsce.
const markdownIt = createRequire(__filename)('markdown-it') as (options: object) => MarkdownRenderer;
const withoutLinkify = markdownIt({ html: true, linkify: false });
const withLinkify = markdownIt({ html: true, linkify: true });

/**
 * A markdown view: no markdown link, autolink, image or HTML element when rendered, and no bidi control.
 * A bare https URL is still turned into a link by linkify, as it is in any editor text; it shows its own
 * target, so only its href is checked (never a command:, file: or other scheme).
 */
function assertInertMarkdown(path: string, markdown: string): void {
  const html = withoutLinkify.render(markdown);
  assert.doesNotMatch(html, /<a\s/i, `${path}: the rendered view has a link:\n${html}`);
  assert.doesNotMatch(html, /<img\s/i, `${path}: the rendered view has an image:\n${html}`);
  assert.doesNotMatch(html, /<[a-z][^>]*\s(?:href|src)=/i, `${path}: the rendered view has an element with a target:\n${html}`);
  for (const [, href] of withLinkify.render(markdown).matchAll(/<a\s[^>]*href="([^"]*)"/gi)) {
    assert.match(href, /^https?:\/\//, `${path}: a linkified ${href}`);
  }
  assert.doesNotMatch(markdown, BIDI, `${path}: a bidi control survived`);
  assert.match(markdown, /evil/, `${path}: the hostile text never reached the view, so nothing was checked`);
}

const waiting: WaitingAuthorization = { state: 'state-1', redirectUri: 'http://localhost:5000/callback', createdAt: NOW - 1000, expiresAt: NOW + 60_000 };

function callbackError(parameters: Record<string, string>): string {
  const verdict = validateCallback({ state: 'state-1', ...parameters }, { waiting: [waiting], finished: [], now: NOW });
  assert.equal(verdict.kind, 'fail');
  return verdict.kind === 'fail' ? verdict.error.message : '';
}

function thrownMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('expected an error');
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token set whose every provider-controlled field shown anywhere is hostile. */
function hostileTokenSet(): TokenSet {
  const claims = { sub: HOSTILE, name: HOSTILE, email: HOSTILE, preferred_username: HOSTILE };
  return {
    accessToken: 'opaque-access-token-value',
    tokenType: 'Bearer',
    expiresAt: NOW + 3_600_000,
    refreshToken: 'opaque-refresh-token-value',
    refreshTokenExpiresAt: NOW + 86_400_000,
    refreshTokenExpiresIn: 86_400,
    scopes: [HOSTILE, 'api'],
    idToken: `${base64url({ alg: 'none' })}.${base64url(claims)}.`,
    obtainedAt: NOW,
    extra: {
      given_name: HOSTILE, family_name: HOSTILE, email: HOSTILE, user_id: HOSTILE,
      environment_name: HOSTILE, environment_id: HOSTILE, legal_entity_name: HOSTILE, tenant_name: HOSTILE, mode: HOSTILE,
      [HOSTILE]: HOSTILE, nested: { note: HOSTILE },
    },
  };
}

/** Variants so that each identity source is the one shown at least once. */
function identityVariants(): TokenSet[] {
  const full = hostileTokenSet();
  const idTokenOnly: TokenSet = { ...full, extra: {} };
  const userIdOnly: TokenSet = { ...full, extra: { user_id: HOSTILE }, idToken: undefined };
  const emailOnly: TokenSet = { ...full, extra: { email: HOSTILE, environment_id: HOSTILE } };
  return [full, idTokenOnly, userIdOnly, emailOnly];
}

describe('provider text is neutralised on every path to the screen (review finding 1)', () => {
  const textPaths: [string, () => string[]][] = [
    ['authorization response error_description', () => [callbackError({ error: 'access_denied', error_description: HOSTILE })]],
    ['authorization response error_message (SKY)', () => [callbackError({ error: 'access_denied', error_message: HOSTILE })]],
    ['authorization response error code', () => [callbackError({ error: HOSTILE_CODE })]],
    ['token endpoint error_description', () => [thrownMessage(() => parseTokenResponse(jsonResponse(400, { error: 'invalid_grant', error_description: HOSTILE }), NOW))]],
    ['token endpoint error code', () => [thrownMessage(() => parseTokenResponse(jsonResponse(400, { error: HOSTILE_CODE }), NOW))]],
    ['token endpoint 3xx Location', () => [thrownMessage(() => parseTokenResponse({ status: 302, headers: { location: HOSTILE }, body: '' }, NOW))]],
    ['token endpoint HTML error page excerpt', () => [thrownMessage(() => parseTokenResponse(textResponse(500, `<html><body><p>${HOSTILE}</p></body></html>`, 'text/html'), NOW))]],
    ['token endpoint non-JSON 200 page excerpt', () => [thrownMessage(() => parseTokenResponse(textResponse(200, `<!doctype html><p>${HOSTILE}</p>`, 'text/html'), NOW))]],
    ['token endpoint plain-text error body excerpt', () => [thrownMessage(() => parseTokenResponse(textResponse(502, HOSTILE, 'text/plain'), NOW))]],
    ['token endpoint content-type', () => [thrownMessage(() => parseTokenResponse(textResponse(200, 'not json', HOSTILE), NOW))]],
    ['token response malformed field value', () => [thrownMessage(() => parseTokenResponse(jsonResponse(200, { access_token: 'a', token_type: 'Bearer', expires_in: HOSTILE }), NOW))]],
    ['token response token_type', () => [thrownMessage(() => parseTokenResponse(jsonResponse(200, { access_token: 'a', token_type: HOSTILE }), NOW))]],
    ['WWW-Authenticate error and error_description', () => {
      const header = `Bearer error="${HOSTILE_CODE}", error_description="${HOSTILE.replace(/"/g, '\\"')}"`;
      return [assessApiResponse({ status: 401, headers: { 'www-authenticate': header }, body: '' }).explanation ?? ''];
    }],
    ['WWW-Authenticate insufficient_scope scope', () => {
      const header = `Bearer error="insufficient_scope", scope="${HOSTILE.replace(/"/g, '\\"')}"`;
      return [assessApiResponse({ status: 403, headers: { 'www-authenticate': header }, body: '' }).explanation ?? ''];
    }],
    ['API rate-limit error body message', () => [assessApiResponse(jsonResponse(429, { statusCode: 429, message: HOSTILE })).explanation ?? '']],
    ['API quota error body message', () => [assessApiResponse(jsonResponse(403, { statusCode: 403, message: `Out of call volume quota. ${HOSTILE}` })).explanation ?? '']],
    ['describeTokenSet (the Authorize and Refresh success messages)', () => identityVariants().map((tokens) => describeTokenSet(tokens, NOW))],
    ['signedInAs', () => identityVariants().map((tokens) => signedInAs(tokens) ?? '')],
    ['token status tooltip', () => identityVariants().flatMap((tokens) => tokenStatusView(tokens, NOW).tooltip)],
  ];

  for (const [path, produce] of textPaths) {
    it(`${path}: one inert line`, () => {
      const texts = produce();
      assert.ok(texts.length > 0);
      // The tooltip's fixed lines need not quote the provider; every other text must, or nothing was tested.
      const quoting = path === 'token status tooltip' ? texts.filter((line) => /evil|command/.test(line)) : texts;
      assert.ok(quoting.length > 0, `${path}: no line carried the provider's text`);
      for (const text of quoting) assertInertLine(path, text);
      recordFigure('neutralised-paths', 'provider-text paths checked for command links, newlines and bidi', 1);
    });
  }

  it('the tokens view (Show Tokens), masked and revealed: no link, image or HTML when rendered', () => {
    for (const tokens of identityVariants()) {
      for (const reveal of [false, true]) {
        assertInertMarkdown(`tokenReport reveal=${reveal}`, tokenReport(tokens, NOW, { reveal }));
      }
    }
    recordFigure('neutralised-paths', 'provider-text paths checked for command links, newlines and bidi', 1);
  });

  it('the API response view: no link, image or HTML when rendered, whatever the body, headers and challenge', () => {
    const request = buildApiRequest({ apiBaseUrl: 'https://api.example.com', target: '/me', accessToken: 'opaque-access-token-value' });
    const header = `Bearer error="${HOSTILE_CODE}", error_description="${HOSTILE.replace(/"/g, '\\"')}"`;
    const responses: HttpResponse[] = [
      { status: 401, headers: { 'www-authenticate': header, 'x-note': HOSTILE }, body: HOSTILE, durationMs: 5 },
      { status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: HOSTILE }), durationMs: 5 },
      { status: 500, headers: { 'content-type': 'text/html' }, body: `<html><a href="command:x">${HOSTILE}</a></html>`, durationMs: 5 },
      { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [HOSTILE]: HOSTILE, '```': '```' }), durationMs: 5 },
    ];
    for (const response of responses) {
      assertInertMarkdown(`API response view ${response.status}`, formatApiResponse(request, response, { receivedAt: NOW }));
    }
    recordFigure('neutralised-paths', 'provider-text paths checked for command links, newlines and bidi', 1);
  });
});
