/**
 * The loopback redirect on a remote host (issue 13): the browser is sent to the URI the editor forwards
 * the loopback port to (vscode.env.asExternalUri), not to the loopback URI itself. A provider sends the
 * authorization response only to a registered redirect URI, compared exactly (RFC 6749 §3.1.2.3, RFC 9700
 * §4.1.3; RFC 8252 §7.3 lets the port of a loopback URI vary), so before the browser opens the forwarded
 * URI is compared with the one registered for the app, part by part, and a difference is said in words.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { isLoopbackHost } from '../providers/presets';

/** The loopback redirect URI a configuration registers unless it names another (`registeredRedirectUri`). */
export function plainLoopbackRedirectUri(config: Pick<AppConfiguration, 'loopbackHost' | 'loopbackPort'>, callbackPath: string): string {
  return `http://${config.loopbackHost}:${config.loopbackPort}${callbackPath}`;
}

/** What the app has registered at the provider for the loopback redirect. */
export function registeredLoopbackRedirectUri(
  config: Pick<AppConfiguration, 'loopbackHost' | 'loopbackPort' | 'registeredRedirectUri'>, callbackPath: string,
): string {
  return config.registeredRedirectUri ?? plainLoopbackRedirectUri(config, callbackPath);
}

export type RedirectUriComparison = { same: true } | { same: false; differ: string[] };

/**
 * Compares the URI the browser will be sent to with the registered one: scheme, host, port (the scheme's
 * default when absent) and path, exactly. `anyLoopbackPort`: the provider accepts any port on a loopback
 * URI (RFC 8252 §7.3), so the port does not count when both are loopback URIs.
 */
export function compareRedirectUris(sent: string, registered: string, options: { anyLoopbackPort: boolean }): RedirectUriComparison {
  const a = parse(sent);
  const b = parse(registered);
  if (!a || !b) return { same: false, differ: ['form (one is not an absolute URI)'] };
  const differ: string[] = [];
  if (a.protocol !== b.protocol) differ.push('scheme');
  if (a.hostname !== b.hostname) differ.push('host');
  const loopbackPair = a.protocol === 'http:' && isLoopbackHost(a.hostname) && isLoopbackHost(b.hostname);
  if (portOf(a) !== portOf(b) && !(options.anyLoopbackPort && loopbackPair)) differ.push('port');
  if (a.pathname !== b.pathname) differ.push('path');
  if (a.search !== b.search) differ.push('query');
  return differ.length === 0 ? { same: true } : { same: false, differ };
}

/**
 * Authorize App's check before consent when the loopback port is forwarded: undefined when the browser's
 * redirect URI is the registered one, else the sentence that says both URIs, how they differ and which to register.
 */
export function forwardedRedirectProblem(sent: string, registered: string, options: { anyLoopbackPort: boolean }): string | undefined {
  const comparison = compareRedirectUris(sent, registered, options);
  if (comparison.same) return undefined;
  return `The browser cannot reach the loopback server here, so the editor forwards its port and the browser will be sent to ${sent}, `
    + `but the redirect URI registered for this app is ${registered} (their ${joinWords(comparison.differ)} differ), and the provider `
    + `would refuse the request. Register ${sent} at the provider and save it with Configure App (it records the URI it shows), `
    + 'or choose Editor URI handler.';
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
