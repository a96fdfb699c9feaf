import * as assert from 'node:assert/strict';
import { redirectEnvironmentOf, type EditorFacts } from '../../../../src/core/redirect/redirectEnvironment';

const SSH: EditorFacts = { remoteName: 'ssh-remote', uiKind: 'desktop', extensionKind: 'ui', runsOnNode: true, appHost: 'desktop' };

describe('redirect environment from the editor\'s facts', () => {
  it('extensionKind ui (package.json\'s first choice): beside the desktop window, even with a remote open', () => {
    const environment = redirectEnvironmentOf(SSH);
    assert.equal(environment.extensionHost, 'local');
    assert.equal(environment.browserSharesLoopback, true);
    assert.equal(environment.description, 'this desktop editor');
  });

  it('extensionKind workspace (the fallback, or remote.extensionKind): on the remote host, away from the browser', () => {
    const environment = redirectEnvironmentOf({ ...SSH, extensionKind: 'workspace' });
    assert.equal(environment.extensionHost, 'remote');
    assert.equal(environment.browserSharesLoopback, false);
    assert.match(environment.description, /remote host \(ssh-remote\)/);
  });

  it('a web editor: the browser shares the loopback only when it loaded the editor from a loopback address', () => {
    const web: EditorFacts = { remoteName: 'localhost:8080', uiKind: 'web', extensionKind: 'workspace', runsOnNode: true, appHost: 'web' };
    for (const [origin, shares] of [
      ['http://127.0.0.1:8080', true], ['http://localhost:8080', true], ['http://[::1]:8080', true],
      ['http://10.77.0.1:8080', false], ['https://code.example.com', false], ['not a url', false],
    ] as const) {
      const environment = redirectEnvironmentOf({ ...web, webEditorOrigin: origin });
      assert.equal(environment.browserSharesLoopback, shares, origin);
      assert.equal(environment.ui, 'web');
    }
    assert.equal(redirectEnvironmentOf(web).browserSharesLoopback, false, 'unknown origin: assume elsewhere');
  });

  it('a web worker host (no Node): no loopback, whatever else it reports', () => {
    const environment = redirectEnvironmentOf({ remoteName: undefined, uiKind: 'web', extensionKind: 'ui', runsOnNode: false, appHost: 'vscode.dev', webEditorOrigin: 'http://localhost:1' });
    assert.equal(environment.extensionHost, 'webWorker');
    assert.equal(environment.browserSharesLoopback, false);
  });

  it('keeps the web editor origin only for a web UI', () => {
    assert.equal(redirectEnvironmentOf({ ...SSH, webEditorOrigin: 'http://127.0.0.1:1' }).webEditorOrigin, undefined);
  });
});
