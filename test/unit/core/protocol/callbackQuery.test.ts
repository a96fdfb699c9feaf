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
 * What VS Code for the Web and code-server hand over: the callback page's parameters re-serialised with
 * URLSearchParams (microsoft/vscode src/vs/code/browser/workbench/callback.html).
 */
function webQuery(raw: string): string {
  return new URLSearchParams(raw).toString();
}

function parameters(parsed: ParsedCallbackQuery): [string, string][] {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.parameters;
}

const STATE = 'state-0123456789abcdef';

describe('parseCallbackQuery (the query as the editor hands it to the URI handler)', () => {
  it('reads an ordinary response, and error_description prose with + as a space, in both forms', () => {
    for (const [decode, form] of [[desktopQuery, 'decoded'], [webQuery, 'encoded']] as const) {
      assert.deepEqual(parameters(parseCallbackQuery(decode(`code=AbC-123_x.y~z&state=${STATE}&iss=https%3A%2F%2Fidp.example.com`), form)),
        [['code', 'AbC-123_x.y~z'], ['state', STATE], ['iss', 'https://idp.example.com']], form);
      assert.deepEqual(parameters(parseCallbackQuery(decode(`error=access_denied&error_description=The+user+said%20no&state=${STATE}`), form)),
        [['error', 'access_denied'], ['error_description', 'The user said no'], ['state', STATE]], form);
    }
  });

  it('keeps +, % and = in a code exactly as the provider meant them (decoded once, never twice)', () => {
    for (const [raw, code] of [['a%2Bb', 'a+b'], ['a%25b', 'a%b'], ['a%2541', 'a%41'], ['a%3Db%3D%3D', 'a=b=='], ['x%2B%2F%3D', 'x+/=']]) {
      for (const [where, decode, form] of [['desktop', desktopQuery, 'decoded'], ['web', webQuery, 'encoded']] as const) {
        const parsed = parameters(parseCallbackQuery(decode(`code=${raw}&state=${STATE}`), form));
        assert.deepEqual(parsed, [['code', code], ['state', STATE]], `${where}: code=${raw}`);
      }
    }
  });

  it('desktop: refuses a query whose separators cannot be told apart from a decoded & in a value (fail closed)', () => {
    for (const raw of [
      `code=a%2Bb%26c&state=${STATE}`,
      `code=a%26&state=${STATE}`,
      `code=a%26b%20c%3Dd&state=${STATE}`,
      `code=a%26%26b&state=${STATE}`,
      `code=a&state=${STATE}&`,
    ]) {
      const parsed = parseCallbackQuery(desktopQuery(raw), 'decoded');
      assert.equal(parsed.ok, false, `${raw} gave ${JSON.stringify(parsed.ok && parsed.parameters)}`);
      if (!parsed.ok) {
        assert.equal(parsed.error.code, 'invalid_callback');
        assert.match(parsed.error.message, /ambiguous/);
      }
    }
  });

  it('web: reads a code with & and = exactly, since the query arrives form-encoded', () => {
    for (const [raw, code] of [['a%2Bb%26c', 'a+b&c'], ['a%26b%20c%3Dd', 'a&b c=d']]) {
      assert.deepEqual(parameters(parseCallbackQuery(webQuery(`code=${raw}&state=${STATE}`), 'encoded')), [['code', code], ['state', STATE]]);
    }
  });

  it('never lets an encoded &state= inside error_description become a state the response is matched by', () => {
    const waiting: WaitingAuthorization = { state: 'attacker-state', redirectUri: 'x', createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER };
    const raw = `error=access_denied&error_description=x%26state%3Dattacker-state&state=${STATE}`;
    for (const [decode, form] of [[desktopQuery, 'decoded'], [webQuery, 'encoded']] as const) {
      const parsed = parseCallbackQuery(decode(raw), form);
      // Either refused outright, or a second state is seen and the response is ignored, or only the real state.
      if (parsed.ok) {
        assert.equal(validateCallback(parsed.parameters, { waiting: [waiting], finished: [], now: 1 }).kind, 'ignore', form);
      }
    }
  });

  it('hands duplicates through so validateCallback can refuse them', () => {
    for (const form of ['decoded', 'encoded'] as const) {
      assert.deepEqual(parameters(parseCallbackQuery('state=a&state=b', form)), [['state', 'a'], ['state', 'b']]);
    }
  });

  it('reads an empty query as no parameters', () => {
    for (const form of ['decoded', 'encoded'] as const) assert.deepEqual(parameters(parseCallbackQuery('', form)), []);
  });
});
