import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { boundedNumber, TIMEOUT_SETTINGS } from '../../../../src/core/settings/boundedNumber';
import { PendingAuthorizations } from '../../../../src/core/protocol/pendingAuthorizations';

const packageJson = JSON.parse(readFileSync(path.join(__dirname, '../../../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string; minimum?: number; maximum?: number; default?: unknown }> } };
};

describe('bounded number settings (timeouts a workspace could otherwise break)', () => {
  const range = { minimum: 1, maximum: 300, default: 30 };

  it('keeps a value inside the range', () => {
    assert.equal(boundedNumber(45, range), 45);
    assert.equal(boundedNumber(1, range), 1);
    assert.equal(boundedNumber(300, range), 300);
  });

  it('clamps numbers outside the range to its ends, including ones that would overflow setTimeout', () => {
    assert.equal(boundedNumber(0, range), 1);
    assert.equal(boundedNumber(-5, range), 1);
    assert.equal(boundedNumber(1e12, range), 300);
    assert.equal(boundedNumber(Number.MAX_VALUE, range), 300);
  });

  it('falls back to the default for anything that is not a finite number', () => {
    for (const value of ['x', '60', '', null, undefined, NaN, Infinity, -Infinity, {}, [5], true]) {
      assert.equal(boundedNumber(value, range), 30, `for ${JSON.stringify(value) ?? String(value)}`);
    }
  });

  it('declares both timeouts in package.json with machine scope and the same range and default as the code', () => {
    for (const [key, declared] of Object.entries(TIMEOUT_SETTINGS)) {
      const property = packageJson.contributes.configuration.properties[`authCodeFlow.${key}`];
      assert.ok(property, `authCodeFlow.${key} is contributed`);
      assert.equal(property.scope, 'machine', `authCodeFlow.${key} must be machine scope, so a workspace cannot set it`);
      assert.deepEqual(
        { minimum: property.minimum, maximum: property.maximum, default: property.default },
        { minimum: declared.minimum, maximum: declared.maximum, default: declared.default },
        `authCodeFlow.${key}`,
      );
    }
  });

  it('gives PendingAuthorizations a usable time-to-live for the values of the review ("x" and 1e12)', () => {
    for (const minutes of ['x', 1e12]) {
      const ttlMs = boundedNumber(minutes, TIMEOUT_SETTINGS.authorizationTimeoutMinutes) * 60_000;
      assert.ok(ttlMs <= 2 ** 31 - 1, `${ttlMs} ms fits setTimeout's 32-bit delay`);
      const registry = new PendingAuthorizations({ ttlMs });
      registry.dispose();
    }
  });
});
