/**
 * Where the editor and this extension run, as plain data for the redirect capability model
 * (redirectModes.ts). The editor layer reads the raw facts from `vscode.env` and the extension object;
 * this module decides what they mean for a redirect, so the decision can be tested without an editor.
 */
import { isLoopbackHost } from '../providers/presets';

/**
 * Where this extension's code runs, in the terms of microsoft/vscode
 * extensions/github-authentication/src/flows.ts (`ExtensionHost.Local | Remote | WebWorker`).
 */
export type ExtensionHostPlace = 'local' | 'remote' | 'webWorker';

/** The raw facts, read by the editor layer (editor/redirect/editorEnvironment.ts). */
export interface EditorFacts {
  /** `vscode.env.remoteName`: 'ssh-remote', 'wsl', 'dev-container', 'codespaces', …; undefined without a remote. */
  remoteName: string | undefined;
  /** `vscode.env.uiKind`: the desktop app, or a browser tab (code-server, Codespaces, vscode.dev). */
  uiKind: 'desktop' | 'web';
  /**
   * `context.extension.extensionKind`: 'ui' runs beside the editor's window, 'workspace' on the remote
   * host. VS Code reports 'ui' whenever no remote extension host exists.
   */
  extensionKind: 'ui' | 'workspace';
  /** False in a web worker extension host (vscode.dev, github.dev without a server). */
  runsOnNode: boolean;
  /** `vscode.env.appHost`: 'desktop', 'codespaces', 'github.dev', 'vscode.dev', 'web', … (for messages only). */
  appHost: string;
  /**
   * Web UI only: the origin the browser loads the editor from, e.g. `http://127.0.0.1:8080` (the origin of
   * `asExternalUri` of the URI handler's URI, which the editor serves as its callback page).
   */
  webEditorOrigin?: string;
}

export interface RedirectEnvironment {
  extensionHost: ExtensionHostPlace;
  ui: 'desktop' | 'web';
  /**
   * Whether the browser that follows the redirect reaches the extension host's 127.0.0.1, so a loopback
   * server there receives it. True beside a desktop window; for a web editor only when the browser
   * itself loaded the editor from a loopback address (it then runs on the same machine, as when
   * code-server is opened on the machine it runs on). Everywhere else the browser's 127.0.0.1 is another
   * machine's (or another network namespace's).
   */
  browserSharesLoopback: boolean;
  /** Web UI: where the editor's callback page lives (see EditorFacts.webEditorOrigin). */
  webEditorOrigin?: string;
  /** Says where the editor runs, for messages ("a remote host (ssh-remote)"). */
  description: string;
}

export function redirectEnvironmentOf(facts: EditorFacts): RedirectEnvironment {
  const extensionHost: ExtensionHostPlace = !facts.runsOnNode ? 'webWorker' : facts.extensionKind === 'workspace' ? 'remote' : 'local';
  const webEditorOrigin = facts.uiKind === 'web' ? facts.webEditorOrigin : undefined;
  const browserSharesLoopback = extensionHost === 'webWorker' ? false
    : facts.uiKind === 'desktop' ? extensionHost === 'local'
      : webEditorOrigin !== undefined && originIsLoopback(webEditorOrigin);
  return {
    extensionHost,
    ui: facts.uiKind,
    browserSharesLoopback,
    ...(webEditorOrigin !== undefined ? { webEditorOrigin } : {}),
    description: describe(extensionHost, facts),
  };
}

function describe(extensionHost: ExtensionHostPlace, facts: EditorFacts): string {
  const remote = facts.remoteName ? ` (${facts.remoteName})` : '';
  if (extensionHost === 'webWorker') return `a web editor without a server (${facts.appHost}), where extensions run in the browser`;
  if (facts.uiKind === 'web') {
    const origin = facts.webEditorOrigin ? ` at ${facts.webEditorOrigin}` : '';
    return `a web editor${origin} (${facts.appHost}) whose extensions run on its server${remote}`;
  }
  return extensionHost === 'remote' ? `a remote host${remote}, away from the desktop window and its browser` : 'this desktop editor';
}

function originIsLoopback(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}
