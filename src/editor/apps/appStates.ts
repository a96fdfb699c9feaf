// Each app's state at one instant, read from its stored tokens; shared by Switch App and the Apps view.
import { appState, type AppState } from '../../core/apps/appState';
import type { NamedApp } from '../../core/apps/namedApp';
import { validateConfiguration } from '../../core/providers/presets';
import type { TokenSet } from '../../core/tokens/tokenSet';
import type { AppTokens } from './appTokens';

/**
 * Never rejects: a secret storage that cannot be read (a locked keyring) shows the app as without
 * tokens, and `onReadError` says so in the log.
 */
export async function readTokenSet(tokens: Pick<AppTokens, 'tokenSet'>, app: NamedApp, onReadError: (message: string) => void): Promise<TokenSet | undefined> {
  try {
    return await tokens.tokenSet(app);
  } catch (error) {
    onReadError(`Could not read the stored tokens of an app from secret storage: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export function stateOf(app: NamedApp, tokenSet: TokenSet | undefined, refreshFailed: boolean, now: number): AppState {
  return appState({ problems: validateConfiguration(app.configuration), tokenSet, refreshFailed }, now);
}
