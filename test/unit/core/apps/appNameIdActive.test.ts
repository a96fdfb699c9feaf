import * as assert from 'node:assert/strict';
import { activeApp } from '../../../../src/core/apps/activeApp';
import { isAppId, newAppId } from '../../../../src/core/apps/appId';
import { appNameProblem, MAX_APP_NAME_LENGTH, uniqueAppName } from '../../../../src/core/apps/appName';
import { emptyConfiguration } from '../../../../src/core/apps/appList';
import type { NamedApp } from '../../../../src/core/apps/namedApp';

const apps: NamedApp[] = [
  { id: 'one', name: 'Sandbox', configuration: emptyConfiguration() },
  { id: 'two', name: 'Production', configuration: emptyConfiguration() },
];

describe('app names', () => {
  it('accepts a new, trimmed, unique name', () => {
    assert.equal(appNameProblem('  Staging ', apps), undefined);
  });

  it('refuses an empty, too long, multi-line or clashing name, saying why', () => {
    assert.match(appNameProblem('   ', apps) ?? '', /Enter a name/);
    assert.match(appNameProblem('x'.repeat(MAX_APP_NAME_LENGTH + 1), apps) ?? '', new RegExp(`to ${MAX_APP_NAME_LENGTH} characters \\(it is ${MAX_APP_NAME_LENGTH + 1}\\)`));
    assert.match(appNameProblem('a\tb', apps) ?? '', /control characters/);
    assert.match(appNameProblem(' sandbox', apps) ?? '', /An app named "Sandbox" already exists/);
  });

  it('lets an app keep its own name when it is renamed', () => {
    assert.equal(appNameProblem('SANDBOX', apps, 'one'), undefined);
    assert.match(appNameProblem('Sandbox', apps, 'two') ?? '', /already exists/);
  });

  it('numbers a generated name that is taken', () => {
    assert.equal(uniqueAppName('Staging', apps), 'Staging');
    assert.equal(uniqueAppName('Sandbox', apps), 'Sandbox (2)');
    assert.equal(uniqueAppName('Sandbox', [...apps, { id: 'three', name: 'sandbox (2)', configuration: emptyConfiguration() }]), 'Sandbox (3)');
  });
});

describe('app ids', () => {
  it('are random base64url, safe in a SecretStorage key', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newAppId()));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.ok(isAppId(id) && /^[A-Za-z0-9_-]{16}$/.test(id), id);
  });

  it('refuse a dot, a slash, an empty or an over-long id', () => {
    for (const bad of ['', 'a.b', 'a/b', 'x'.repeat(65), 5, undefined]) assert.equal(isAppId(bad), false, String(bad));
  });
});

describe('the active app', () => {
  it('is the one stored, else the first, else none', () => {
    assert.equal(activeApp(apps, 'two')?.id, 'two');
    assert.equal(activeApp(apps, 'removed')?.id, 'one');
    assert.equal(activeApp(apps, 42)?.id, 'one');
    assert.equal(activeApp([], 'two'), undefined);
  });
});
