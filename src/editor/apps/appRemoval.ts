// What Remove App does once confirmed, without the dialogs (commands/removeApp.ts asks and reports), so
// the order is unit-tested: stop a waiting authorization, delete every secret, then the settings entry,
// then choose the next active app.
import type { NamedApp } from '../../core/apps/namedApp';
import { nextActiveApp } from '../../core/apps/nextActiveApp';
import type { AppRegistry } from './appRegistry';
import type { AppTokens } from './appTokens';

export interface AppRemovalDependencies {
  registry: Pick<AppRegistry, 'list' | 'active' | 'byId' | 'setActive' | 'remove'>;
  tokens: Pick<AppTokens, 'deleteAll'>;
  /** Stops any authorization of this app and waits for it to end, so a late response stores nothing for it. */
  stopAuthorization(appId: string): Promise<void> | void;
  /** The app is gone: forget what was noted about it (a failed refresh). */
  forget(appId: string): void;
}

export type RemovalOutcome =
  /** `successor`: the app now active, when the removed one was active and another is left. */
  | { kind: 'removed'; wasActive: boolean; successor?: NamedApp; appsLeft: number }
  /**
   * Deleting the secrets failed (a locked keyring): the app stays listed, so Remove App can run again,
   * instead of leaving secrets behind that no command could reach any more.
   */
  | { kind: 'secretsKept'; error: unknown }
  /** The secrets are gone but the settings entry could not be removed; running Remove App again finishes. */
  | { kind: 'settingsKept'; error: unknown };

export async function removeAppEverywhere(deps: AppRemovalDependencies, app: NamedApp): Promise<RemovalOutcome> {
  const { registry } = deps;
  const appsBefore = registry.list();
  const wasActive = registry.active()?.id === app.id;
  await deps.stopAuthorization(app.id);
  try {
    await deps.tokens.deleteAll(app.id);
  } catch (error) {
    return { kind: 'secretsKept', error };
  }
  try {
    await registry.remove(app.id);
  } catch (error) {
    return { kind: 'settingsKept', error };
  }
  deps.forget(app.id);
  const successor = wasActive ? await activateSuccessor(registry, appsBefore, app.id) : undefined;
  return { kind: 'removed', wasActive, ...(successor ? { successor } : {}), appsLeft: registry.list().length };
}

/** The registry may already have chosen one; otherwise the next in the user's order (core/apps/nextActiveApp). */
async function activateSuccessor(registry: AppRemovalDependencies['registry'], appsBefore: readonly NamedApp[], removedId: string): Promise<NamedApp | undefined> {
  const current = registry.active();
  if (current && current.id !== removedId) return current;
  const next = nextActiveApp(appsBefore, removedId);
  const stillThere = next ? registry.byId(next.id) : undefined;
  if (!stillThere) return undefined;
  await registry.setActive(stillThere.id);
  return stillThere;
}
