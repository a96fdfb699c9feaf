/**
 * onDidChangeSessions needs to say which sessions were added, removed or changed. The provider keeps
 * the sessions it last saw (by app) and compares them with the ones it sees after a token or app list
 * change, in this window or (through SecretStorage) another one.
 */
import type { AppSession } from './appSession';

export interface SessionChanges {
  readonly added: readonly AppSession[];
  readonly removed: readonly AppSession[];
  readonly changed: readonly AppSession[];
}

/**
 * The difference between two snapshots keyed by session id. A session counts as changed when its token,
 * its scopes or its account label (the app was renamed) differ; an unchanged one is not reported.
 */
export function sessionChanges(before: ReadonlyMap<string, AppSession>, after: ReadonlyMap<string, AppSession>): SessionChanges {
  const added: AppSession[] = [];
  const removed: AppSession[] = [];
  const changed: AppSession[] = [];
  for (const [id, session] of after) {
    const previous = before.get(id);
    if (!previous) added.push(session);
    else if (differs(previous, session)) changed.push(session);
  }
  for (const [id, session] of before) {
    if (!after.has(id)) removed.push(session);
  }
  return { added, removed, changed };
}

export function hasChanges(changes: SessionChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}

function differs(a: AppSession, b: AppSession): boolean {
  return a.accessToken !== b.accessToken || a.account.label !== b.account.label
    || a.scopes.length !== b.scopes.length || a.scopes.some((scope, index) => scope !== b.scopes[index]);
}
