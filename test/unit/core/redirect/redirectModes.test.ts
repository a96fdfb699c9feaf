import * as assert from 'node:assert/strict';
import { presetById } from '../../../../src/core/providers/presets';
import { redirectEnvironmentOf, type EditorFacts } from '../../../../src/core/redirect/redirectEnvironment';
import { redirectModeOf, redirectModesFor, whatToChange, type ProviderRedirectFlags, type RedirectModeId } from '../../../../src/core/redirect/redirectModes';

/** The editors the extension meets, as the editor layer reads them. */
const ENVIRONMENTS: Record<string, EditorFacts> = {
  'desktop, no remote': { remoteName: undefined, uiKind: 'desktop', extensionKind: 'ui', runsOnNode: true, appHost: 'desktop' },
  'desktop + Remote-SSH, extension on the UI side': { remoteName: 'ssh-remote', uiKind: 'desktop', extensionKind: 'ui', runsOnNode: true, appHost: 'desktop' },
  'desktop + Remote-SSH, extension on the remote': { remoteName: 'ssh-remote', uiKind: 'desktop', extensionKind: 'workspace', runsOnNode: true, appHost: 'desktop' },
  'code-server, browser on its machine': {
    remoteName: 'localhost:8080', uiKind: 'web', extensionKind: 'workspace', runsOnNode: true, appHost: 'web', webEditorOrigin: 'http://127.0.0.1:8080',
  },
  'code-server, browser elsewhere': {
    remoteName: '10.77.0.1:8080', uiKind: 'web', extensionKind: 'workspace', runsOnNode: true, appHost: 'web', webEditorOrigin: 'http://10.77.0.1:8080',
  },
  'Codespaces in a browser': {
    remoteName: 'codespaces', uiKind: 'web', extensionKind: 'workspace', runsOnNode: true, appHost: 'codespaces', webEditorOrigin: 'https://x-8080.app.github.dev',
  },
  'vscode.dev, web worker': { remoteName: undefined, uiKind: 'web', extensionKind: 'ui', runsOnNode: false, appHost: 'vscode.dev', webEditorOrigin: 'https://vscode.dev' },
};

const EXACT: ProviderRedirectFlags = { label: 'Exact', acceptsVscodeSchemeRedirect: false, requiresExactLoopbackPort: true };
const LENIENT: ProviderRedirectFlags = { label: 'Lenient', acceptsVscodeSchemeRedirect: true, requiresExactLoopbackPort: false };
const SCHEME_ONLY: ProviderRedirectFlags = { label: 'SchemeOnly', acceptsVscodeSchemeRedirect: true, requiresExactLoopbackPort: true };

/** environment × provider → the modes that can work, in the model's fixed order. */
const TABLE: readonly [string, ProviderRedirectFlags, RedirectModeId[]][] = [
  ['desktop, no remote', EXACT, ['loopbackFixedPort']],
  ['desktop, no remote', LENIENT, ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']],
  ['desktop, no remote', SCHEME_ONLY, ['loopbackFixedPort', 'uriHandler']],
  ['desktop + Remote-SSH, extension on the UI side', EXACT, ['loopbackFixedPort']],
  ['desktop + Remote-SSH, extension on the UI side', LENIENT, ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']],
  // Loopback through the port the editor forwards (asExternalUri): works if the provider accepts the forwarded URI,
  // which Authorize App checks against the registered one before consent. A desktop remote forwards to a local
  // loopback port, so a provider that accepts any loopback port takes the any-port mode too.
  ['desktop + Remote-SSH, extension on the remote', EXACT, ['loopbackFixedPort']],
  ['desktop + Remote-SSH, extension on the remote', LENIENT, ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']],
  ['desktop + Remote-SSH, extension on the remote', SCHEME_ONLY, ['loopbackFixedPort', 'uriHandler']],
  ['code-server, browser on its machine', EXACT, ['loopbackFixedPort']],
  ['code-server, browser on its machine', LENIENT, ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']],
  // The web callback page changes per request, so a provider that compares exactly cannot take it, vscode:// or not.
  ['code-server, browser on its machine', SCHEME_ONLY, ['loopbackFixedPort']],
  // A web editor puts the forwarded port into the URI (code-server's /proxy/PORT/, Codespaces' NAME-PORT host):
  // only a fixed port gives a URI that can be registered.
  ['code-server, browser elsewhere', EXACT, ['loopbackFixedPort']],
  ['code-server, browser elsewhere', LENIENT, ['loopbackFixedPort', 'uriHandler']],
  ['Codespaces in a browser', EXACT, ['loopbackFixedPort']],
  ['Codespaces in a browser', LENIENT, ['loopbackFixedPort', 'uriHandler']],
  ['vscode.dev, web worker', EXACT, []],
  ['vscode.dev, web worker', LENIENT, []],
];

function usableModes(environmentName: string, provider: ProviderRedirectFlags): RedirectModeId[] {
  const environment = redirectEnvironmentOf(ENVIRONMENTS[environmentName]!);
  return redirectModesFor(environment, provider).filter((verdict) => verdict.usable).map((verdict) => verdict.mode);
}

describe('redirect modes by environment and provider', () => {
  for (const [environmentName, provider, expected] of TABLE) {
    it(`${environmentName} × ${provider.label}: ${expected.join(', ') || 'none'}`, () => {
      assert.deepEqual(usableModes(environmentName, provider), expected);
    });
  }

  it('reads the real presets\' flags: SKY only with a fixed loopback port, forwarded where the browser cannot reach it', () => {
    const sky = presetById('sky');
    assert.deepEqual(usableModes('desktop, no remote', sky), ['loopbackFixedPort']);
    assert.deepEqual(usableModes('code-server, browser elsewhere', sky), ['loopbackFixedPort']);
    assert.deepEqual(usableModes('code-server, browser on its machine', presetById('sandbox')), ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']);
  });

  it('gives every mode a reason: why not where it cannot work, what the provider must accept where it can', () => {
    for (const facts of Object.values(ENVIRONMENTS)) {
      for (const provider of [EXACT, LENIENT, SCHEME_ONLY]) {
        const verdicts = redirectModesFor(redirectEnvironmentOf(facts), provider);
        assert.deepEqual(verdicts.map((verdict) => verdict.mode), ['loopbackFixedPort', 'loopbackAnyPort', 'uriHandler']);
        for (const verdict of verdicts) assert.ok(verdict.explanation.length > 20, `${verdict.mode}: ${verdict.explanation}`);
      }
    }
  });

  it('says that loopback on a remote host goes through the forwarded port, why any port cannot in a web editor, and that a web worker host has no mode at all', () => {
    const remote = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['desktop + Remote-SSH, extension on the remote']!), LENIENT);
    assert.equal(remote[0]!.forwarded, true);
    assert.match(remote[0]!.explanation, /cannot reach the remote host's 127\.0\.0\.1.*forwards the port.*works if that URI is registered and the provider accepts it/);
    const local = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['desktop, no remote']!), LENIENT);
    assert.equal(local[0]!.forwarded, undefined);
    const [, anyPort] = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['code-server, browser elsewhere']!), LENIENT);
    assert.match(anyPort!.explanation, /\/proxy\/PORT\/callback.*no registered URI can match.*Choose a fixed port/);
    const worker = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['vscode.dev, web worker']!), LENIENT);
    for (const verdict of worker) assert.match(verdict.explanation, /needs a desktop or remote extension host/);
  });

  it('names the prefix a provider must accept for a web editor\'s callback page, and why an exact provider cannot', () => {
    const [, , lenient] = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['code-server, browser elsewhere']!), LENIENT);
    assert.match(lenient!.explanation, /begins with http:\/\/10\.77\.0\.1:8080\/.*vscode-reqid.*stable-<commit>/);
    const [, , exact] = redirectModesFor(redirectEnvironmentOf(ENVIRONMENTS['code-server, browser elsewhere']!), EXACT);
    assert.match(exact!.explanation, /^Exact compares the redirect URI exactly/);
  });

  it('reads the mode off a configuration: port 0 is the any-port loopback', () => {
    assert.equal(redirectModeOf({ redirectMode: 'loopback', loopbackPort: 5000 }), 'loopbackFixedPort');
    assert.equal(redirectModeOf({ redirectMode: 'loopback', loopbackPort: 0 }), 'loopbackAnyPort');
    assert.equal(redirectModeOf({ redirectMode: 'uriHandler', loopbackPort: 5000 }), 'uriHandler');
  });

  it('says what to change: another mode that works, else where to run the extension', () => {
    const advice = (environmentName: string, provider: ProviderRedirectFlags, current: RedirectModeId): string => {
      const environment = redirectEnvironmentOf(ENVIRONMENTS[environmentName]!);
      return whatToChange(environment, redirectModesFor(environment, provider), current);
    };
    assert.match(advice('desktop + Remote-SSH, extension on the remote', LENIENT, 'loopbackFixedPort'), /^Choose Loopback redirect, any free port or Editor URI handler in Configure App/);
    assert.match(advice('code-server, browser elsewhere', LENIENT, 'loopbackAnyPort'), /^Choose Loopback redirect, fixed port or Editor URI handler in Configure App/);
    assert.match(advice('desktop + Remote-SSH, extension on the remote', EXACT, 'loopbackFixedPort'), /remote\.extensionKind/);
    assert.match(advice('code-server, browser elsewhere', EXACT, 'loopbackFixedPort'), /desktop VS Code.*on the machine it runs on/);
    assert.match(advice('vscode.dev, web worker', LENIENT, 'uriHandler'), /desktop VS Code/);
    assert.match(advice('desktop, no remote', EXACT, 'loopbackAnyPort'), /^Choose Loopback redirect, fixed port/);
  });
});
