// The Basic credential encoding each app's token endpoint accepted, in global state (not a secret: which
// of two spellings works; the values themselves stay in SecretStorage). Token requests, the request
// previews and the snippets all start from the configuration this returns.
import type * as vscode from 'vscode';
import { learnedEncodingMessage } from '../core/protocol/basicCredentials';
import { withBasicEncodingFallback } from '../core/protocol/basicEncodingFallback';
import type { AppConfiguration, AppSecrets } from '../core/providers/appConfiguration';
import { applyRememberedBasicEncoding, withBasicEncodingRemembered } from '../core/providers/basicEncodingPreference';
import { readConfiguration } from './settings';

const PREFERENCES_KEY = 'authCodeFlow.basicCredentialEncodings';

interface Memory {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** The settings, with the Basic encoding this app's provider was seen to accept. */
export function effectiveConfiguration({ context }: Memory): AppConfiguration {
  return applyRememberedBasicEncoding(readConfiguration(), context.globalState.get(PREFERENCES_KEY));
}

/**
 * A token request with one retry in the other Basic encoding on invalid_client (see
 * core/protocol/basicEncodingFallback); the encoding that worked is remembered for the app and logged.
 */
export async function sendTokenRequest<T>(memory: Memory, config: AppConfiguration, secrets: AppSecrets, send: (config: AppConfiguration) => Promise<T>): Promise<T> {
  const outcome = await withBasicEncodingFallback(config, secrets, send);
  if (outcome.learned !== undefined) {
    const { globalState } = memory.context;
    memory.log.info(learnedEncodingMessage(outcome.learned));
    try {
      await globalState.update(PREFERENCES_KEY, withBasicEncodingRemembered(globalState.get(PREFERENCES_KEY), config, outcome.learned));
    } catch (error) {
      // The tokens matter more: the next request simply retries once more.
      memory.log.warn(`The Basic encoding could not be remembered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return outcome.value;
}
