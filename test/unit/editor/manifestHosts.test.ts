// Where the extension may run is declared in package.json, which takes no comments; the reasons are here
// and in README.md ("Where it runs"). The redirect model (core/redirect) answers for both choices.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { presetById } from '../../../src/core/providers/presets';
import { redirectEnvironmentOf } from '../../../src/core/redirect/redirectEnvironment';
import { redirectModesFor } from '../../../src/core/redirect/redirectModes';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
  extensionKind?: string[]; browser?: string; main?: string;
};

describe('package.json: where the extension runs', () => {
  it('prefers the UI side (its loopback server then sits beside the browser) and falls back to the workspace side', () => {
    // 'ui' first: in a desktop window with Remote-SSH, WSL, a dev container or Codespaces the extension runs
    // on the user's machine, where the browser follows the loopback redirect. 'workspace' second: where the
    // UI side cannot run it (code-server, Codespaces or a tunnel in a browser: a web worker, and there is no
    // browser bundle) it still runs on the server, and the redirect model says which mode works there.
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('has no browser entry: a web worker host (vscode.dev, github.dev) cannot load it, and the model offers nothing there', () => {
    assert.equal(manifest.browser, undefined);
    assert.equal(manifest.main, './dist/extension.js');
    const webWorker = redirectEnvironmentOf({ remoteName: undefined, uiKind: 'web', extensionKind: 'ui', runsOnNode: false, appHost: 'vscode.dev' });
    assert.deepEqual(redirectModesFor(webWorker, presetById('generic')).filter((verdict) => verdict.usable), []);
  });

  it('with SKY API over Remote-SSH: the preferred UI side keeps the plain loopback redirect; the workspace side only through the forwarded port', () => {
    const facts = { remoteName: 'ssh-remote', uiKind: 'desktop', runsOnNode: true, appHost: 'desktop' } as const;
    const sky = presetById('sky');
    const onUi = redirectModesFor(redirectEnvironmentOf({ ...facts, extensionKind: 'ui' }), sky);
    const onWorkspace = redirectModesFor(redirectEnvironmentOf({ ...facts, extensionKind: 'workspace' }), sky);
    const uiLoopback = onUi.find((verdict) => verdict.mode === 'loopbackFixedPort');
    const workspaceLoopback = onWorkspace.find((verdict) => verdict.mode === 'loopbackFixedPort');
    assert.equal(uiLoopback?.usable, true);
    assert.equal(uiLoopback?.forwarded, undefined);
    // Usable there only if the forwarded URI is the registered one, which Authorize App checks before consent.
    assert.equal(workspaceLoopback?.usable, true);
    assert.equal(workspaceLoopback?.forwarded, true);
  });
});
