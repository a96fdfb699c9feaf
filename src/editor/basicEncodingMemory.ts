// The Basic credential encoding each app's token endpoint accepted, in global state per app (not a
// secret: which of two spellings works; the values themselves stay in SecretStorage). Token requests, the
// request previews and the snippets all start from the configuration this returns.
import type * as vscode from 'vscode';
import type { NamedApp } from '../core/apps/namedApp';
import { learnedEncodingMessage } from '../core/protocol/basicCredentials';
import { withBasicEncodingFallback } from '../core/protocol/basicEncodingFallback';
import type { AppConfiguration, AppSecrets } from '../core/providers/appConfiguration';
import { applyRememberedBasicEncoding, withBasicEncodingRemembered } from '../core/providers/basicEncodingPreference';
import { appStateKey } from '../core/apps/appKeys';

interface Memory {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** The app's configuration, with the Basic encoding its provider was seen to accept. */
export function effectiveConfiguration({ context }: Memory, app: NamedApp): AppConfiguration {
  return applyRememberedBasicEncoding(app.configuration, context.globalState.get(appStateKey(app.id, 'basicCredentialEncodings')));
}

/**
 * A token request with one retry in the other Basic encoding on invalid_client (see
 * core/protocol/basicEncodingFallback); the encoding that worked is remembered for the app and logged.
 */
export async function sendTokenRequest<T>(
  memory: Memory, appId: string, config: AppConfiguration, secrets: AppSecrets, send: (config: AppConfiguration) => Promise<T>,
): Promise<T> {
  const outcome = await withBasicEncodingFallback(config, secrets, send);
  if (outcome.learned !== undefined) {
    const { globalState } = memory.context;
    const key = appStateKey(appId, 'basicCredentialEncodings');
    memory.log.info(learnedEncodingMessage(outcome.learned));
    try {
      await globalState.update(key, withBasicEncodingRemembered(globalState.get(key), config, outcome.learned));
    } catch (error) {
      // The tokens matter more: the next request simply retries once more.
      memory.log.warn(`The Basic encoding could not be remembered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return outcome.value;
}
