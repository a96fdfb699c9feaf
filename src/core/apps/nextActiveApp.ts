// Which app becomes active when the active one is removed: the one after it in the user's order (the
// list reads top to bottom, as a tab strip closes to the right), else the one before; none when it was
// the last.
import type { NamedApp } from './namedApp';

export function nextActiveApp(appsBefore: readonly NamedApp[], removedId: string): NamedApp | undefined {
  const index = appsBefore.findIndex((app) => app.id === removedId);
  const rest = appsBefore.filter((app) => app.id !== removedId);
  if (rest.length === 0) return undefined;
  if (index < 0) return rest[0];
  return rest[Math.min(index, rest.length - 1)];
}
