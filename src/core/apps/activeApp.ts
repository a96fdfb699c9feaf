/**
 * Which app the commands act on: the one whose id is stored, or the first app when that one is gone
 * (removed in another window, or a hand-edited id), so there is always an active app while any exists.
 */
import type { NamedApp } from './namedApp';

export function activeApp(apps: readonly NamedApp[], storedId: unknown): NamedApp | undefined {
  return apps.find((app) => app.id === storedId) ?? apps[0];
}
