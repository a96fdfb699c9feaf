import * as assert from 'node:assert/strict';
import { parseCallbackQuery, type ParsedCallbackQuery } from '../../../../src/core/protocol/callbackQuery';
import { validateCallback, type WaitingAuthorization } from '../../../../src/core/protocol/callback';

/**
 * What desktop VS Code's Uri.parse leaves in `uri.query`: every run of %XX escapes decoded once, `+`
 * untouched (microsoft/vscode src/vs/base/common/uri.ts, percentDecode / decodeURIComponentGraceful).
 */
function desktopQuery(raw: string): string {
  return raw.replace(/(%[0-9A-Za-z][0-9A-Za-z])+/g, (match) => {
    try {
      return decodeURIComponent(match);
    } catch {
      return match.length > 3 ? match.slice(0, 3) + desktopQuery(match.slice(3)) : match;
    }
  });
}

/**
 * What code-server / VS Code web hand over: the callback page's query values decoded (form rules) and
 * re-joined as `name=value` without encoding (microsoft/vscode resources/web/code-web.js, handleCallback).
 */
function webQuery(raw: string): string {
  return [...new URLSearchParams(raw)].map(([name, value]) => `${name}=${value}`).join('&');
}

function parameters(parsed: ParsedCallbackQuery): [string, string][] {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.parameters;
}

const STATE = 'state-0123456789abcdef';

describe('parseCallbackQuery (the query the editor already decoded once)', () => {
  it('reads an ordinary response, and error_description prose with + as a space', () => {
    assert.deepEqual(parameters(parseCallbackQuery(desktopQuery(`code=AbC-123_x.y~z&state=${STATE}&iss=https%3A%2F%2Fidp.example.com`))),
      [['code', 'AbC-123_x.y~z'], ['state', STATE], ['iss', 'https://idp.example.com']]);
    assert.deepEqual(parameters(parseCallbackQuery(desktopQuery(`error=access_denied&error_description=The+user+said%20no&state=${STATE}`))),
      [['error', 'access_denied'], ['error_description', 'The user said no'], ['state', STATE]]);
  });

  it('keeps +, % and = in a code exactly as the provider meant them (decoded once, never twice)', () => {
    for (const [raw, code] of [['a%2Bb', 'a+b'], ['a%25b', 'a%b'], ['a%2541', 'a%41'], ['a%3Db%3D%3D', 'a=b=='], ['x%2B%2F%3D', 'x+/=']]) {
      for (const [where, decode] of [['desktop', desktopQuery], ['web', webQuery]] as const) {
        const parsed = parameters(parseCallbackQuery(decode(`code=${raw}&state=${STATE}`)));
        assert.deepEqual(parsed, [['code', code], ['state', STATE]], `${where}: code=${raw}`);
      }
    }
  });

  it('refuses a query whose separators cannot be told apart from a decoded & in a value (fail closed)', () => {
    for (const raw of [
      `code=a%2Bb%26c&state=${STATE}`,
      `code=a%26&state=${STATE}`,
      `code=a%26b%20c%3Dd&state=${STATE}`,
      `code=a%26%26b&state=${STATE}`,
    ]) {
      for (const [where, decode] of [['desktop', desktopQuery], ['web', webQuery]] as const) {
        const parsed = parseCallbackQuery(decode(raw));
        assert.equal(parsed.ok, false, `${where}: ${raw} gave ${JSON.stringify(parsed.ok && parsed.parameters)}`);
        if (!parsed.ok) {
          assert.equal(parsed.error.code, 'invalid_callback');
          assert.match(parsed.error.message, /ambiguous/);
        }
      }
    }
  });

  it('never lets an encoded &state= inside error_description become a state the response is matched by', () => {
    const waiting: WaitingAuthorization = { state: 'attacker-state', redirectUri: 'x', createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER };
    const raw = `error=access_denied&error_description=x%26state%3Dattacker-state&state=${STATE}`;
    const parsed = parseCallbackQuery(desktopQuery(raw));
    // Either refused outright, or the two state values are seen and the response is ignored.
    if (parsed.ok) {
      assert.equal(validateCallback(parsed.parameters, { waiting: [waiting], finished: [], now: 1 }).kind, 'ignore');
    }
  });

  it('hands duplicates through so validateCallback can refuse them', () => {
    assert.deepEqual(parameters(parseCallbackQuery(`state=a&state=b`)), [['state', 'a'], ['state', 'b']]);
  });

  it('reads an empty query as no parameters', () => {
    assert.deepEqual(parameters(parseCallbackQuery('')), []);
  });
});
