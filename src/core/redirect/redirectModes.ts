/**
 * Which redirect modes can work where the editor runs now, for the provider the app is registered with.
 * Modelled on microsoft/vscode extensions/github-authentication/src/flows.ts: each mode declares the
 * extension hosts it works on and what the provider must accept, with the reason for every limit, and
 * one pure function filters them. Configure App offers what works; Authorize App refuses before the
 * browser opens instead of waiting for a redirect that cannot arrive.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import type { ProviderPreset } from '../providers/presets';
import type { ExtensionHostPlace, RedirectEnvironment } from './redirectEnvironment';

export type RedirectModeId = 'loopbackFixedPort' | 'loopbackAnyPort' | 'uriHandler';

/** The provider facts that decide a redirect: ProviderPreset's flags and its name for messages. */
export type ProviderRedirectFlags = Pick<ProviderPreset, 'label' | 'acceptsVscodeSchemeRedirect' | 'requiresExactLoopbackPort'>;

/**
 * What the provider must accept as a registered redirect URI.
 * - fixedLoopbackPort: `http://localhost:5000/callback`, registered with its port;
 * - anyLoopbackPort: `http://127.0.0.1:<any port>/callback`, port chosen at run time (RFC 8252 §7.3);
 * - customScheme: the desktop editor's `vscode://authcodeflow.auth-code-flow/callback`;
 * - editorWebUrl: a web editor's http(s) callback page, whose path and query change (see below).
 */
export type ProviderAcceptance = 'fixedLoopbackPort' | 'anyLoopbackPort' | 'customScheme' | 'editorWebUrl';

/**
 * Whether a mode can work on an extension host; the reason is shown to the user when it cannot.
 * `forwardedIfBrowserElsewhere`: works as is when the browser shares the extension host's loopback; otherwise
 * only through the port the editor forwards (vscode.env.asExternalUri), when the provider accepts the
 * forwarded URI (see redirectModesFor for the any-port variant in a web editor).
 */
type HostSupport = { works: true } | { works: 'forwardedIfBrowserElsewhere' } | { works: false; reason: string };

interface RedirectModeDeclaration {
  id: RedirectModeId;
  label: string;
  hosts: Record<ExtensionHostPlace, HostSupport>;
  /** By the editor's UI, because the URI handler's redirect URI is vscode:// on desktop and http(s) on the web. */
  providerMustAccept: Record<RedirectEnvironment['ui'], ProviderAcceptance>;
}

// No mode runs in a web worker: this extension ships no browser bundle (package.json has no `browser`
// entry). A web worker cannot listen on a port, and its token request would leave from the browser page,
// where token endpoints answer cross-origin requests only if they send CORS headers (github-authentication's
// device-code flow is off in web workers for that reason) and where a client secret would sit in the page.
const NO_WEB_WORKER = 'This extension needs a desktop or remote extension host: in a web editor without a server (vscode.dev, github.dev) '
  + 'it has no place to listen for the redirect or to send the token request from.';

// The loopback server listens on the extension host's 127.0.0.1 (RFC 8252 §7.3). On a remote host (SSH,
// WSL, a container, Codespaces, code-server on another machine) the browser runs on the user's machine and
// would send a plain loopback redirect to ITS 127.0.0.1, where nothing listens; Authorize App used to wait
// there until it timed out (issue 13). vscode.env.asExternalUri forwards the port instead: desktop remotes
// to a port on the user's machine (http://localhost:LOCALPORT/callback), code-server to its own proxy
// (http://HOST:PORT/proxy/LOOPBACKPORT/callback), Codespaces to https://NAME-LOOPBACKPORT.app.github.dev/callback.
// The browser is then sent to that URI, so it is the one the provider must have registered.
export const LOOPBACK_FORWARDED = 'Your browser runs elsewhere and cannot reach the remote host\'s 127.0.0.1, so the editor forwards the port '
  + 'and the browser is sent to the forwarded URI (Show Redirect URI shows it). It works if that URI is registered and the provider accepts it '
  + '(some accept http only for localhost); Authorize App compares it with the registered one before the browser opens.';

// A web editor's forwarded URI carries the port in its path (code-server's /proxy/PORT/) or host name
// (Codespaces' NAME-PORT.app.github.dev), so a port picked at run time gives a new URI every time.
const ANY_PORT_FORWARDED_IN_WEB = 'Your browser runs elsewhere, so the editor forwards the port, and a web editor puts the port into the forwarded '
  + 'URI itself (code-server: /proxy/PORT/callback): with a port picked at run time no registered URI can match. Choose a fixed port.';

const LOOPBACK_HOSTS: Record<ExtensionHostPlace, HostSupport> = {
  // Beside a desktop window the browser opened by openExternal shares the loopback interface.
  local: { works: true },
  remote: { works: 'forwardedIfBrowserElsewhere' },
  webWorker: { works: false, reason: NO_WEB_WORKER },
};

const MODES: readonly RedirectModeDeclaration[] = [
  {
    id: 'loopbackFixedPort',
    label: 'Loopback redirect, fixed port',
    hosts: LOOPBACK_HOSTS,
    providerMustAccept: { desktop: 'fixedLoopbackPort', web: 'fixedLoopbackPort' },
  },
  {
    id: 'loopbackAnyPort',
    label: 'Loopback redirect, any free port',
    hosts: LOOPBACK_HOSTS,
    providerMustAccept: { desktop: 'anyLoopbackPort', web: 'anyLoopbackPort' },
  },
  {
    id: 'uriHandler',
    label: 'Editor URI handler',
    hosts: {
      local: { works: true },
      // The editor's window receives the vscode:// link (desktop) or serves the callback page (web) and
      // routes it to the extension host that registered the handler, wherever that runs.
      remote: { works: true },
      webWorker: { works: false, reason: NO_WEB_WORKER },
    },
    providerMustAccept: { desktop: 'customScheme', web: 'editorWebUrl' },
  },
];

export interface RedirectModeVerdict {
  mode: RedirectModeId;
  label: string;
  usable: boolean;
  /**
   * The loopback server works here only through the port the editor forwards (asExternalUri): the browser
   * is sent to the forwarded URI, which Authorize App compares with the registered one before consent.
   */
  forwarded?: boolean;
  /** Usable: what the provider must accept (a condition the user should check). Not usable: why not, here. */
  explanation: string;
}

/** Every mode, in a fixed order, with whether it can work in this environment for this provider and why. */
export function redirectModesFor(environment: RedirectEnvironment, provider: ProviderRedirectFlags): RedirectModeVerdict[] {
  return MODES.map((mode) => {
    const host = mode.hosts[environment.extensionHost];
    if (host.works === false) return { mode: mode.id, label: mode.label, usable: false, explanation: host.reason };
    const acceptance = providerAcceptance(mode.providerMustAccept[environment.ui], environment, provider);
    if (host.works === 'forwardedIfBrowserElsewhere' && !environment.browserSharesLoopback) {
      if (!acceptance.accepted) return { mode: mode.id, label: mode.label, usable: false, explanation: acceptance.explanation };
      if (mode.id === 'loopbackAnyPort' && environment.ui === 'web') {
        return { mode: mode.id, label: mode.label, usable: false, explanation: ANY_PORT_FORWARDED_IN_WEB };
      }
      return { mode: mode.id, label: mode.label, usable: true, forwarded: true, explanation: LOOPBACK_FORWARDED };
    }
    return { mode: mode.id, label: mode.label, usable: acceptance.accepted, explanation: acceptance.explanation };
  });
}

function providerAcceptance(needs: ProviderAcceptance, environment: RedirectEnvironment, provider: ProviderRedirectFlags): { accepted: boolean; explanation: string } {
  switch (needs) {
    case 'fixedLoopbackPort':
      // Every provider that supports native or local apps registers http://localhost:PORT/callback.
      return { accepted: true, explanation: 'Register http://localhost:PORT/callback (or 127.0.0.1) with the port you choose.' };
    case 'anyLoopbackPort':
      return provider.requiresExactLoopbackPort
        ? { accepted: false, explanation: `${provider.label} compares the redirect URI exactly, port included, so a port picked at run time cannot match.` }
        : { accepted: true, explanation: 'The provider must accept any port on the registered loopback redirect URI (RFC 8252 §7.3).' };
    case 'customScheme':
      return provider.acceptsVscodeSchemeRedirect
        ? { accepted: true, explanation: 'The provider must accept the editor\'s own vscode:// redirect URI.' }
        : { accepted: false, explanation: `${provider.label} does not accept the editor's vscode:// redirect URI.` };
    case 'editorWebUrl':
      return editorWebUrlAcceptance(environment, provider);
  }
}

/**
 * A web editor's callback page (asExternalUri of the vscode:// URI) carries a new `vscode-reqid` in its
 * query for every request and, in code-server, `/stable-<commit>/` in its path, which changes with every
 * code-server upgrade. No registered URI equals it twice, so only a provider that accepts every redirect
 * URI under a prefix can take it. RFC 9700 §4.1.3 asks providers to compare exactly, so most refuse; a
 * preset that insists even on the exact loopback port certainly compares the whole URI exactly.
 */
function editorWebUrlAcceptance(environment: RedirectEnvironment, provider: ProviderRedirectFlags): { accepted: boolean; explanation: string } {
  const prefix = environment.webEditorOrigin !== undefined ? `${environment.webEditorOrigin}/` : 'this web editor\'s address';
  if (provider.requiresExactLoopbackPort) {
    return {
      accepted: false,
      explanation: `${provider.label} compares the redirect URI exactly, and a web editor's callback URI changes with every request `
        + '(a new vscode-reqid; in code-server also /stable-<commit>/ in the path), so no registered URI can match it.',
    };
  }
  return {
    accepted: true,
    explanation: `Works only if the provider accepts every redirect URI that begins with ${prefix}: the callback URI changes with every `
      + 'request (a new vscode-reqid; in code-server also /stable-<commit>/ in the path). Most providers compare exactly and refuse it.',
  };
}

/** The mode a configuration uses: loopback with port 0 is the "any free port" mode. */
export function redirectModeOf(config: Pick<AppConfiguration, 'redirectMode' | 'loopbackPort'>): RedirectModeId {
  if (config.redirectMode === 'uriHandler') return 'uriHandler';
  return config.loopbackPort === 0 ? 'loopbackAnyPort' : 'loopbackFixedPort';
}

/**
 * What to change when the configured mode cannot work here: another mode that works, or else where to run
 * the editor. One sentence or two, for a notification.
 */
export function whatToChange(environment: RedirectEnvironment, verdicts: readonly RedirectModeVerdict[], current: RedirectModeId): string {
  const others = verdicts.filter((verdict) => verdict.usable && verdict.mode !== current);
  if (others.length > 0) {
    return `Choose ${others.map((verdict) => verdict.label).join(' or ')} in Configure App (and register its redirect URI).`;
  }
  if (environment.extensionHost === 'webWorker') {
    return 'Open the folder in desktop VS Code, or in a web editor backed by a server (code-server, Codespaces).';
  }
  if (environment.extensionHost === 'remote' && environment.ui === 'desktop') {
    return 'Let the extension run beside your browser: remove "authcodeflow.auth-code-flow" from the remote.extensionKind setting '
      + '(or set it to ["ui"]) and reload the window. It prefers to run there (package.json extensionKind).';
  }
  if (environment.extensionHost === 'remote') {
    return 'Open this workspace from desktop VS Code (Remote-SSH, a tunnel or a dev container), where the extension runs beside your browser, '
      + 'or open this web editor in a browser on the machine it runs on.';
  }
  return 'No redirect mode this provider accepts can work here.';
}
