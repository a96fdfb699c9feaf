import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appState } from '../../../src/core/apps/appState';
import type { TokenSet } from '../../../src/core/tokens/tokenSet';
import { APPS_VIEW_ID, appTreeItemModel } from '../../../src/editor/apps/appTreeItem';
import { COMMAND_IDS } from '../../../src/editor/commandShell';
import { CONTEXT_KEYS } from '../../../src/editor/contextKeys';
import { sandboxApp, skyApp, unconfiguredApp } from '../support/namedApps';

// package.json against the code: every command id, menu, view, context key and contextValue it names
// exists, so a renamed id fails here instead of as a silently missing button.

const ROOT = path.join(__dirname, '../../../..');
interface Command { command: string; enablement?: string }
interface MenuItem { command: string; when?: string; group?: string }
interface PackageJson {
  activationEvents: string[];
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    viewsContainers: Record<string, { id: string; icon: string }[]>;
    views: Record<string, { id: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    walkthroughs: { steps: { description: string; completionEvents?: string[] }[] }[];
  };
}
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const { contributes } = packageJson;
const contributed = new Set(contributes.commands.map((command) => command.command));
/** Registered by the shell itself (src/extension.ts), not through COMMAND_IDS and dist/commands.js. */
const SHELL_COMMANDS = ['authCodeFlow.showLog', 'authCodeFlow.openWalkthrough'];
const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const TOKENS: TokenSet = { accessToken: 'a', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000, refreshToken: 'r', extra: {} };

function allMenuItems(): { menu: string; item: MenuItem }[] {
  return Object.entries(contributes.menus).flatMap(([menu, items]) => items.map((item) => ({ menu, item })));
}

/** Every `when`, `enablement` and walkthrough completion event, where context keys are named. */
function conditions(): string[] {
  return [
    ...allMenuItems().map(({ item }) => item.when ?? ''),
    ...contributes.commands.map((command) => command.enablement ?? ''),
    ...contributes.viewsWelcome.map((welcome) => welcome.when ?? ''),
    ...contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.flatMap((step) => step.completionEvents ?? [])),
  ];
}

describe('package.json contributions match the code', function () {
  it('contributes exactly COMMAND_IDS plus the shell\'s own commands', function () {
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS, ...SHELL_COMMANDS].sort());
    const shellSource = readFileSync(path.join(ROOT, 'src/extension.ts'), 'utf8');
    for (const id of SHELL_COMMANDS) assert.ok(shellSource.includes(`registerCommand('${id}'`), `${id} is registered by the shell`);
  });

  it('names only contributed commands in menus, welcome views and walkthrough links', function () {
    for (const { menu, item } of allMenuItems()) assert.ok(contributed.has(item.command), `${menu}: ${item.command}`);
    const links = [...contributes.viewsWelcome.map((welcome) => welcome.contents),
      ...contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.map((step) => step.description))]
      .flatMap((text) => [...text.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1] ?? ''));
    assert.ok(links.length > 0);
    for (const command of links) assert.ok(contributed.has(command), `link to ${command}`);
  });

  it('names only context keys from contextKeys.ts and views it contributes', function () {
    const keys = new Set<string>(Object.values(CONTEXT_KEYS));
    const views = new Set(Object.values(contributes.views).flat().map((view) => view.id));
    const named = conditions().flatMap((condition) => [...condition.matchAll(/(?<![\\\w])authCodeFlow\.\w+/g)].map((match) => match[0]));
    assert.ok(named.includes(CONTEXT_KEYS.authorized) && named.includes(CONTEXT_KEYS.hasApps));
    for (const name of named) assert.ok(keys.has(name) || views.has(name), `${name} is neither a context key nor a view`);
    for (const condition of conditions()) {
      for (const match of condition.matchAll(/\bview == ([\w.]+)/g)) assert.ok(views.has(match[1] ?? ''), condition);
    }
  });

  it('declares the Apps view in its own activity-bar container, with an icon that exists and a welcome view', function () {
    const containers = contributes.viewsContainers.activitybar ?? [];
    const container = containers.find((candidate) => contributes.views[candidate.id]?.some((view) => view.id === APPS_VIEW_ID));
    assert.ok(container, 'the Apps view is in an activity-bar container');
    assert.ok(existsSync(path.join(ROOT, container.icon)), container.icon);
    const welcome = contributes.viewsWelcome.find((candidate) => candidate.view === APPS_VIEW_ID);
    assert.ok(welcome?.contents.includes('command:authCodeFlow.configure'));
    assert.ok(welcome?.contents.includes('command:authCodeFlow.openWalkthrough'));
  });

  it('shows each item action exactly for the apps whose contextValue has the flag it needs', function () {
    const models = [
      appTreeItemModel(skyApp(), appState({ problems: [], tokenSet: TOKENS }, NOW), true),
      appTreeItemModel(sandboxApp(), appState({ problems: [], tokenSet: { ...TOKENS, refreshToken: undefined } }, NOW), false),
      appTreeItemModel(sandboxApp(), appState({ problems: [], tokenSet: undefined }, NOW), false),
      appTreeItemModel(unconfiguredApp(), appState({ problems: ['missing'], tokenSet: undefined }, NOW), false),
    ];
    const itemMenu = contributes.menus['view/item/context'] ?? [];
    const inline = new Set(itemMenu.filter((item) => item.group?.startsWith('inline')).map((item) => item.command));
    // Issue 11's inline actions: Authorize, Refresh, Call the API, Show Tokens, Insert Code Snippet, Remove.
    assert.deepEqual([...inline].sort(), ['authCodeFlow.authorize', 'authCodeFlow.callApi', 'authCodeFlow.insertSnippet', 'authCodeFlow.refresh', 'authCodeFlow.removeApp', 'authCodeFlow.showTokens']);
    for (const item of itemMenu) {
      const pattern = /viewItem =~ \/(.+)\/$/.exec(item.when ?? '')?.[1];
      assert.ok(pattern, `${item.command} names the item's contextValue`);
      assert.ok(item.when?.includes(`view == ${APPS_VIEW_ID}`), `${item.command} is limited to the Apps view`);
      const regex = new RegExp(pattern);
      const flag = /^;(\w+)\(;\|\$\)$/.exec(pattern)?.[1];
      for (const model of models) {
        const expected = flag === undefined ? true : model.contextValue.split(';').includes(flag);
        assert.equal(regex.test(model.contextValue), expected, `${item.command} (${pattern}) for ${model.contextValue}`);
      }
    }
  });

  it('enables an item action for any app with the flag, not only for the active app', function () {
    const itemCommands = new Set((contributes.menus['view/item/context'] ?? []).map((item) => item.command));
    for (const command of contributes.commands.filter((candidate) => itemCommands.has(candidate.command) && candidate.enablement)) {
      assert.match(command.enablement ?? '', new RegExp(`view == ${APPS_VIEW_ID.replace('.', '\\.')} && viewItem =~`), command.command);
    }
  });
});
