/**
 * The context the editor generates snippets with, from the user's configuration. Snippets run outside
 * the editor, in the user's own terminal, so they always listen on a loopback redirect URI themselves.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { presetById } from '../providers/presets';
import type { SnippetContext } from './snippetGenerator';

/**
 * The port a snippet listens on when the configuration leaves the choice to the editor (port 0, for
 * providers that accept any loopback port): a program needs a fixed one, and it stays a tab stop.
 */
export const SNIPPET_LOOPBACK_PORT = 8765;

/**
 * What a snippet shows where neither the configuration nor its preset has a value yet: a tab stop that
 * says what belongs there reads better than an empty one, and fails loudly if it is run unchanged.
 */
const UNCONFIGURED = {
  clientId: 'YOUR_APPLICATION_ID',
  authorizationEndpoint: 'https://authorization-server.example/authorize',
  tokenEndpoint: 'https://authorization-server.example/token',
  apiBaseUrl: 'https://api.example',
} as const;

/** The loopback redirect URI a snippet listens on: the configured host and port, with `callbackPath`. */
export function snippetRedirectUri(config: AppConfiguration, callbackPath: string): string {
  const port = config.loopbackPort > 0 ? config.loopbackPort : SNIPPET_LOOPBACK_PORT;
  return `http://${config.loopbackHost}:${port}${callbackPath}`;
}

/**
 * The snippet context for a configuration: its loopback redirect URI; the API path last called with Call
 * the API (`lastApiPath`, see core/api/lastApiPath), else the preset's harmless one, so the API-call
 * snippet makes the call the user just made rather than hitting the bare base URL; and in each required
 * field that is still empty the preset's value (SKY API's endpoints before Configure App has run) or else
 * a value that says what belongs there. `appName` is the active app's name, for the snippet's first line.
 */
export function snippetContextFor(config: AppConfiguration, callbackPath: string, lastApiPath?: string, appName?: string): SnippetContext {
  return {
    config: filledConfiguration(config),
    redirectUri: snippetRedirectUri(config, callbackPath),
    apiPath: lastApiPath ?? presetById(config.preset).defaultApiPath,
    ...(appName === undefined ? {} : { appName }),
  };
}

/** `config` as a snippet uses it: each required field that is still empty holds a placeholder or the preset's value. */
export function filledConfiguration(config: AppConfiguration): AppConfiguration {
  const preset = presetById(config.preset);
  const filled: AppConfiguration = { ...config };
  for (const field of Object.keys(UNCONFIGURED) as (keyof typeof UNCONFIGURED)[]) {
    if (filled[field].trim() === '') filled[field] = field === 'clientId' || preset[field] === '' ? UNCONFIGURED[field] : preset[field];
  }
  // A provider whose API needs a subscription key always does: an empty setting means not configured yet.
  if (filled.subscriptionKeyHeader === undefined && preset.subscriptionKeyHeader !== undefined) {
    filled.subscriptionKeyHeader = preset.subscriptionKeyHeader;
  }
  return filled;
}
