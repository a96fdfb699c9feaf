import * as assert from 'node:assert/strict';
import { appEntry, DEFAULT_CONFIGURATION, emptyConfiguration, parseAppList, withEntry, withoutEntry } from '../../../../src/core/apps/appList';
import type { NamedApp } from '../../../../src/core/apps/namedApp';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

const sky = configurationFromPreset(presetById('sky'), { clientId: 'app-1234', environmentId: 'p-env', scopes: ['a'] });
const app: NamedApp = { id: 'abc_DEF-123', name: 'SKY production', configuration: sky };

describe('the app list in authCodeFlow.apps', () => {
  it('reads back exactly what appEntry wrote', () => {
    assert.deepEqual(parseAppList([appEntry(app)]), { apps: [app], problems: [] });
  });

  it('reads nothing, silently, when the setting is absent, and says so when it is not an array', () => {
    assert.deepEqual(parseAppList(undefined), { apps: [], problems: [] });
    const { apps, problems } = parseAppList({ id: 'x' });
    assert.deepEqual(apps, []);
    assert.match(problems[0] ?? '', /authCodeFlow\.apps is an object, not an array/);
  });

  it('fills an absent field with the single-app default and drops empty optional ones', () => {
    const { apps, problems } = parseAppList([{ id: 'a1', name: ' Minimal ', issuer: '', clientId: ' id ' }]);
    assert.deepEqual(problems, []);
    assert.equal(apps[0]?.name, 'Minimal');
    assert.deepEqual(apps[0]?.configuration, { ...emptyConfiguration(), clientId: 'id' });
    assert.equal(DEFAULT_CONFIGURATION.loopbackPort, 5000);
  });

  const malformed: [string, Record<string, unknown>, RegExp][] = [
    ['a port that is a string', { loopbackPort: '5000' }, /"loopbackPort" is "5000"; it must be a whole number from 0 to 65535/],
    ['a port out of range', { loopbackPort: 70000 }, /"loopbackPort" is 70000/],
    ['scopes that are not strings', { scopes: ['a', 1] }, /"scopes" is an array; it must be an array of strings/],
    ['an unknown preset', { preset: 'nope' }, /"preset" is "nope"; it must be one of "sky", "generic", "sandbox"/],
    ['an unknown client authentication', { clientAuthMethod: 'client_secret_jwt' }, /"clientAuthMethod" is "client_secret_jwt"/],
    ['a PKCE switch that is a string', { usePkce: 'yes' }, /"usePkce" is "yes"; it must be true or false/],
    ['extra parameters with a number', { extraAuthorizationParams: { prompt: 1 } }, /"extraAuthorizationParams" is an object/],
    ['extra parameters as an array', { extraAuthorizationParams: [] }, /"extraAuthorizationParams" is an array/],
    ['an endpoint that is null', { tokenEndpoint: null }, /"tokenEndpoint" is null; it must be a string/],
  ];
  for (const [what, fields, message] of malformed) {
    it(`skips an entry with ${what}, naming the field, and keeps the others`, () => {
      const { apps, problems } = parseAppList([{ ...appEntry(app), id: 'bad', name: 'Bad', ...fields }, appEntry(app)]);
      assert.deepEqual(apps, [app]);
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /^authCodeFlow\.apps\[0\] \("Bad"\) was skipped/);
      assert.match(problems[0] ?? '', message);
    });
  }

  it('skips entries that are not objects, or lack a usable id or name', () => {
    const { apps, problems } = parseAppList([null, 'x', { name: 'No id' }, { id: 'has.dot', name: 'Dot' }, { id: 'ok1', name: '  ' },
      { id: 'ok2', name: 'Two\nlines' }, appEntry(app)]);
    assert.deepEqual(apps, [app]);
    assert.equal(problems.length, 6);
    assert.match(problems[0] ?? '', /\[0\] was skipped: it is null, not an object/);
    assert.match(problems[2] ?? '', /\[2\] was skipped: its "id" is missing/);
    assert.match(problems[3] ?? '', /its "id" is "has\.dot"; it must be 1 to 64 letters, digits/);
    assert.match(problems[4] ?? '', /its "name" is " {2}"; it must be a non-empty string on one line/);
  });

  it('skips a later entry with the same id or the same name in another case', () => {
    const { apps, problems } = parseAppList([appEntry(app), { ...appEntry(app), name: 'Other' }, { ...appEntry(app), id: 'other', name: 'sky PRODUCTION' }]);
    assert.deepEqual(apps, [app]);
    assert.match(problems[0] ?? '', /\[1\] \("Other"\) was skipped: its id "abc_DEF-123" is used by an earlier app/);
    assert.match(problems[1] ?? '', /\[2\] \("sky PRODUCTION"\) was skipped: an earlier app has the same name/);
  });

  it('never throws on JSON a user could write', () => {
    const inputs: unknown[] = [0, true, 'apps', [[]], [{ id: 'a', name: 'n', scopes: {} }], [{ id: 'a', name: 'n', extraAuthorizationParams: null }],
      [{ id: 'a', name: 'n', __proto__: { clientId: 'x' } }], [Object.create(null)]];
    for (const input of inputs) assert.doesNotThrow(() => parseAppList(input), JSON.stringify(input));
  });

  it('does not send SKY\'s environment ID to another provider', () => {
    const { apps } = parseAppList([{ ...appEntry(app), preset: 'generic' }]);
    assert.equal(apps[0]?.configuration.environmentId, undefined);
  });

  it('replaces one entry in the raw list, keeping malformed entries and unknown fields, dropping removed fields', () => {
    const broken = { id: 'broken', loopbackPort: 'x' };
    const raw = [broken, { ...appEntry(app), futureField: 'kept' }];
    const updated = withEntry(raw, { ...app, configuration: { ...sky, clientId: 'new-id', environmentId: undefined } });
    assert.equal(updated[0], broken);
    const entry = updated[1] as Record<string, unknown>;
    assert.equal(entry.clientId, 'new-id');
    assert.equal(entry.futureField, 'kept');
    assert.equal('environmentId' in entry, false);
    assert.deepEqual(withEntry(undefined, app), [appEntry(app)]);
    assert.deepEqual(withoutEntry(updated, app.id), [broken]);
  });
});
