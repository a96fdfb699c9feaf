import * as assert from 'node:assert/strict';
import { appEntry } from '../../../../src/core/apps/appList';
import { LEGACY_SETTING_KEYS, legacyConfiguration, MIGRATED_APP_ID, planLegacyMigration, secretStep } from '../../../../src/core/apps/legacyMigration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

/** Settings as the old writeConfiguration() left them for a SKY app. */
const SKY_SETTINGS: Record<string, unknown> = {
  provider: 'sky',
  authorizationEndpoint: 'https://oauth2.sky.blackbaud.com/authorization',
  tokenEndpoint: 'https://oauth2.sky.blackbaud.com/token',
  apiBaseUrl: 'https://api.sky.blackbaud.com',
  issuer: '',
  clientId: 'app-1234',
  scopes: [],
  clientAuthentication: 'client_secret_basic',
  pkce: true,
  redirectMode: 'loopback',
  loopbackPort: 5000,
  loopbackHost: 'localhost',
  subscriptionKeyHeader: 'Bb-Api-Subscription-Key',
  extraAuthorizationParameters: {},
  skyEnvironmentId: 'p-env',
};
const reader = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('migrating the single-app settings to the first named app', () => {
  it('turns them into the configuration the old readConfiguration() returned, named after the preset', () => {
    const plan = planLegacyMigration(reader(SKY_SETTINGS), undefined);
    assert.ok(plan);
    assert.equal(plan.addApp, true);
    assert.equal(plan.app.id, MIGRATED_APP_ID);
    assert.equal(plan.app.name, 'Blackbaud SKY API');
    assert.deepEqual(plan.app.configuration, configurationFromPreset(presetById('sky'), { clientId: 'app-1234', environmentId: 'p-env' }));
    assert.deepEqual(plan.settingsToClear, LEGACY_SETTING_KEYS);
  });

  it('does nothing when no old setting is set', () => {
    assert.equal(planLegacyMigration(reader({}), [{ id: 'x', name: 'X' }]), undefined);
  });

  it('clears only the settings that are set, and takes defaults for the rest', () => {
    const plan = planLegacyMigration(reader({ provider: 'generic', clientId: 'c', redirectMode: 'uriHandler', skyEnvironmentId: 'p-env' }), []);
    assert.deepEqual(plan?.settingsToClear, ['provider', 'clientId', 'redirectMode', 'skyEnvironmentId']);
    assert.equal(plan?.app.name, 'Any OAuth 2.0 / OpenID provider');
    assert.equal(plan?.app.configuration.redirectMode, 'uriHandler');
    assert.equal(plan?.app.configuration.loopbackPort, 5000);
    assert.equal(plan?.app.configuration.environmentId, undefined, 'SKY\'s environment ID is not carried to another provider');
  });

  it('falls back to the default for a hand-edited value of the wrong type, as the old code did', () => {
    const config = legacyConfiguration(reader({ provider: 'ping', loopbackPort: '80', scopes: ['a', 3, ' b '], pkce: 'no', extraAuthorizationParameters: { prompt: 'login', n: 1 } }));
    assert.equal(config.preset, 'sky');
    assert.equal(config.loopbackPort, 5000);
    assert.deepEqual(config.scopes, ['a', 'b']);
    assert.equal(config.usePkce, true);
    assert.deepEqual(config.extraAuthorizationParams, { prompt: 'login' });
  });

  it('finds the app an earlier, interrupted run (or another window) added, instead of adding a second', () => {
    const first = planLegacyMigration(reader(SKY_SETTINGS), undefined);
    assert.ok(first);
    const again = planLegacyMigration(reader(SKY_SETTINGS), [appEntry(first.app)]);
    assert.equal(again?.addApp, false);
    assert.deepEqual(again?.app, first.app);
  });

  it('gives the migrated app a free name when the user already has one with the preset\'s name', () => {
    const plan = planLegacyMigration(reader(SKY_SETTINGS), [{ id: 'mine', name: 'blackbaud sky api' }]);
    assert.equal(plan?.app.name, 'Blackbaud SKY API (2)');
  });

  it('moves a secret only to a free key, deletes the old one, and never moves a refresh lease', () => {
    const to = 'authCodeFlow.app.migrated-app.tokenSet';
    assert.deepEqual(secretStep('authCodeFlow.tokenSet', to, { old: true, new: false }), { kind: 'move', from: 'authCodeFlow.tokenSet', to });
    assert.deepEqual(secretStep('authCodeFlow.tokenSet', to, { old: true, new: true }), { kind: 'delete', from: 'authCodeFlow.tokenSet' });
    assert.equal(secretStep('authCodeFlow.tokenSet', to, { old: false, new: true }), undefined);
    assert.deepEqual(secretStep('authCodeFlow.refreshLease', 'x', { old: true, new: false }), { kind: 'delete', from: 'authCodeFlow.refreshLease' });
  });
});
