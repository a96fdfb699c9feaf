import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NamedApp } from '../../src/core/apps/namedApp';
import type { TokenSet } from '../../src/core/tokens/tokenSet';
import type { AppItem } from '../../src/editor/apps/appItemArgument';
import { AppsTreeProvider } from '../../src/editor/apps/appsView';
import { RefreshFailures } from '../../src/editor/apps/refreshFailures';
import { FakeAppRegistry } from '../unit/support/fakeAppRegistry';
import { sandboxApp, skyApp, unconfiguredApp } from '../unit/support/namedApps';

// The Apps view's data provider with the editor's real TreeItem, ThemeIcon and EventEmitter, over an
// in-memory registry and token store. (The provider itself is registered by the shell once the app
// registry is wired; this checks what it hands the editor.)

function tokens(now: number): TokenSet {
  return { accessToken: 'secret-access-token', tokenType: 'Bearer', obtainedAt: now, expiresAt: now + 3_600_000, refreshToken: 'secret-refresh-token', extra: {} };
}

function fakeTokens(stored: Map<string, TokenSet>): { tokenSet(app: NamedApp): Promise<TokenSet | undefined>; onDidChangeTokens: vscode.Event<{ appId: string }>; reads: string[]; changed: vscode.EventEmitter<{ appId: string }> } {
  const changed = new vscode.EventEmitter<{ appId: string }>();
  const reads: string[] = [];
  return {
    reads, changed, onDidChangeTokens: changed.event,
    tokenSet: async (app) => {
      reads.push(app.id);
      return stored.get(app.id);
    },
  };
}

describe('Apps view data provider in the real editor', () => {
  const log = vscode.window.createOutputChannel('Apps view test', { log: true });
  after(() => log.dispose());

  it('lists every app with its state, the active one marked, and no secret anywhere', async () => {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp(), unconfiguredApp()], 'app-sandbox');
    const stored = new Map([['app-sandbox', tokens(Date.now())]]);
    const provider = new AppsTreeProvider({ registry, tokens: fakeTokens(stored), refreshFailures: new RefreshFailures(), log });
    try {
      const children = provider.getChildren();
      assert.deepEqual(children.map((child) => child.appId), ['app-sky', 'app-sandbox', 'app-new']);
      const items = await Promise.all(children.map((child) => provider.getTreeItem(child)));
      assert.deepEqual(items.map((item) => [item.label, item.description]), [
        ['SKY production', 'not authorized'],
        ['Sandbox', 'active · authorized, expires in 59 min'],
        ['New app', 'not configured'],
      ]);
      const active = items[1];
      assert.ok(active);
      assert.equal(active.id, 'app-sandbox');
      assert.equal(active.contextValue, 'authCodeFlow.app;active;configured;authorized;refreshable');
      assert.equal((active.iconPath as vscode.ThemeIcon).id, 'pass-filled');
      assert.match(String(active.tooltip), /Provider: Local sandbox/);
      assert.match(String(active.tooltip), /Client ID: demo-client/);
      assert.equal(active.collapsibleState, vscode.TreeItemCollapsibleState.None);
      const shown = JSON.stringify(items.map((item) => [item.label, item.description, item.tooltip]));
      assert.ok(!shown.includes('secret-access-token') && !shown.includes('secret-refresh-token'));
      assert.deepEqual(provider.getChildren(children[0]), []);
    } finally {
      provider.dispose();
    }
  });

  it('keeps one element per app, re-reads only the app whose tokens changed, and repaints without reading', async () => {
    const registry = new FakeAppRegistry([skyApp(), sandboxApp()], 'app-sky');
    const stored = new Map<string, TokenSet>();
    const source = fakeTokens(stored);
    const failures = new RefreshFailures();
    const provider = new AppsTreeProvider({ registry, tokens: source, refreshFailures: failures, log });
    const fired: (AppItem | undefined)[] = [];
    const subscription = provider.onDidChangeTreeData((element) => fired.push(element ?? undefined));
    try {
      const [sky, sandbox] = provider.getChildren();
      assert.ok(sky && sandbox);
      assert.equal(provider.getChildren()[0], sky, 'the same element object, so VS Code can update it');
      await Promise.all([provider.getTreeItem(sky), provider.getTreeItem(sandbox)]);
      assert.deepEqual(source.reads.sort(), ['app-sandbox', 'app-sky']);

      stored.set('app-sandbox', tokens(Date.now()));
      provider.tokensChanged('app-sandbox');
      assert.deepEqual(fired, [sandbox]);
      const updated = await provider.getTreeItem(sandbox);
      assert.equal(updated.description, 'authorized, expires in 59 min');
      assert.ok(provider.msToNextChange(Date.now()) !== undefined, 'a countdown is shown, so a repaint is due');
      await provider.getTreeItem(sky);
      assert.deepEqual(source.reads.sort(), ['app-sandbox', 'app-sandbox', 'app-sky'], 'only the changed app was read again');

      provider.repaint();
      await Promise.all([provider.getTreeItem(sky), provider.getTreeItem(sandbox)]);
      assert.equal(source.reads.length, 3, 'a repaint reads no secret');

      failures.note('app-sandbox', true);
      assert.equal((await provider.getTreeItem(sandbox)).description, 'refresh failed');

      await registry.remove('app-sky');
      provider.refreshAll();
      assert.deepEqual(provider.getChildren().map((child) => child.appId), ['app-sandbox']);
    } finally {
      subscription.dispose();
      provider.dispose();
    }
  });

  it('reads a locked secret storage as "not authorized" and logs it, without failing the view', async () => {
    const registry = new FakeAppRegistry([skyApp()]);
    const changed = new vscode.EventEmitter<{ appId: string }>();
    const provider = new AppsTreeProvider({
      registry, refreshFailures: new RefreshFailures(), log,
      tokens: { tokenSet: () => Promise.reject(new Error('keyring locked')), onDidChangeTokens: changed.event },
    });
    try {
      const [sky] = provider.getChildren();
      assert.ok(sky);
      assert.equal((await provider.getTreeItem(sky)).description, 'active · not authorized');
    } finally {
      provider.dispose();
      changed.dispose();
    }
  });
});
