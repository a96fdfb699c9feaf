import * as assert from 'node:assert/strict';
import { appState } from '../../../../src/core/apps/appState';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';
import { APP_CONTEXT_VALUE, appTreeItemModel } from '../../../../src/editor/apps/appTreeItem';
import { sandboxApp, skyApp, unconfiguredApp } from '../../support/namedApps';

const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const TOKENS: TokenSet = { accessToken: 'access-token-value', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000, refreshToken: 'refresh-token-value', extra: {} };

describe('appTreeItemModel (Apps view items as plain data)', function () {
  it('shows the active, authorized app with its name, "active", the time left and every action flag', function () {
    const model = appTreeItemModel(skyApp(), appState({ problems: [], tokenSet: TOKENS }, NOW), true);
    assert.deepEqual(model, {
      id: 'app-sky',
      label: 'SKY production',
      description: 'active · authorized, expires in 59 min',
      tooltip: [
        'SKY production (the active app)',
        'Provider: Blackbaud SKY API',
        'Client ID: sky-client-id',
        'State: authorized, expires in 59 min. The access token is valid.',
      ],
      contextValue: `${APP_CONTEXT_VALUE};active;configured;authorized;refreshable`,
      icon: 'pass-filled',
      accessibilityLabel: 'SKY production, active app, authorized, expires in 59 min',
    });
  });

  it('shows another configured app without tokens as "not authorized", with only the configured flag', function () {
    const model = appTreeItemModel(sandboxApp(), appState({ problems: [], tokenSet: undefined }, NOW), false);
    assert.equal(model.description, 'not authorized');
    assert.equal(model.contextValue, `${APP_CONTEXT_VALUE};configured`);
    assert.equal(model.icon, 'circle-large-outline');
    assert.equal(model.iconColor, undefined);
    assert.match(model.tooltip[1] ?? '', /^Provider: Local sandbox/);
  });

  it('shows an app with no client ID as "not configured", with no flag at all', function () {
    const model = appTreeItemModel(unconfiguredApp(), appState({ problems: ['missing'], tokenSet: undefined }, NOW), false);
    assert.equal(model.description, 'not configured');
    assert.equal(model.contextValue, APP_CONTEXT_VALUE);
    assert.equal(model.tooltip[2], 'Client ID: not set');
  });

  it('colours an expired or failed app in the error colour and an expiring one in the warning colour', function () {
    const expired = appTreeItemModel(skyApp(), appState({ problems: [], tokenSet: { ...TOKENS, expiresAt: NOW - 1 } }, NOW), false);
    assert.equal(expired.description, 'expired');
    assert.equal(expired.iconColor, 'list.errorForeground');
    const failed = appTreeItemModel(skyApp(), appState({ problems: [], tokenSet: TOKENS, refreshFailed: true }, NOW), false);
    assert.equal(failed.description, 'refresh failed');
    assert.equal(failed.iconColor, 'list.errorForeground');
    const expiring = appTreeItemModel(skyApp(), appState({ problems: [], tokenSet: TOKENS }, NOW + 3_400_000), false);
    assert.equal(expiring.iconColor, 'list.warningForeground');
  });

  it('never shows a token or secret, and neutralises a name or client ID edited into settings.json', function () {
    const hostile = { ...skyApp(), name: 'Evil\u202Eppa [click](command:authCodeFlow.removeApp)\n<b>x</b>' };
    hostile.configuration = { ...hostile.configuration, clientId: 'id\u0007\u200Bwith controls' };
    const model = appTreeItemModel(hostile, appState({ problems: [], tokenSet: TOKENS }, NOW), false);
    const shown = JSON.stringify(model);
    assert.ok(!shown.includes('access-token-value') && !shown.includes('refresh-token-value'));
    assert.ok(!['\u202E', '\u0007', '\u200B', '\n', '<', '>'].some((character) => (model.label + model.tooltip.join('')).includes(character)), JSON.stringify(model.label));
    assert.ok(!model.label.includes(']('), 'link syntax broken');
    assert.equal(model.tooltip[2], 'Client ID: idwith controls');
  });

  it('names an app whose name is empty or only invisible characters', function () {
    const model = appTreeItemModel({ ...skyApp(), name: '\u200B' }, appState({ problems: [], tokenSet: undefined }, NOW), false);
    assert.equal(model.label, '(unnamed app)');
  });
});
