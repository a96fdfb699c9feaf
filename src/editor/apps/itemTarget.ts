// The one place a command run from an Apps view item is pointed at that item's app (src/commands.ts calls
// it before every handler). Most commands act on "the active app", so the item's app is made active
// first and the command runs as from the palette; Switch App and Remove App take the app as their target
// instead (removing an app must not first make it active). The item's own arguments (the element and
// VS Code's list of selected elements) are dropped: handlers keep their palette signatures.
import type { AppRegistry } from './appRegistry';
import { readItemArgument } from './appItemArgument';

/** Commands that take the item's app id as their argument rather than acting on the active app. */
export const COMMANDS_TAKING_AN_APP: readonly string[] = ['authCodeFlow.switchApp', 'authCodeFlow.removeApp'];

export type ItemTarget =
  | { kind: 'run'; args: unknown[] }
  /** Nothing runs; `message` is for the user when they could have caused it (an app removed meanwhile). */
  | { kind: 'refused'; log: string; message?: string };

export async function itemTarget(
  registry: Pick<AppRegistry, 'byId' | 'active' | 'setActive'>, command: string, args: readonly unknown[],
): Promise<ItemTarget> {
  const argument = readItemArgument(args[0]);
  switch (argument.kind) {
    case 'none':
      return { kind: 'run', args: [...args] };
    case 'malformed':
      return { kind: 'refused', log: `${command} was run with an app item that is not well formed (${argument.reason}); nothing was done.` };
    case 'app': {
      const app = registry.byId(argument.appId);
      if (!app) {
        return {
          kind: 'refused', log: `${command} was run for an app that no longer exists; nothing was done.`,
          message: 'That app no longer exists (it was removed, perhaps in another window).',
        };
      }
      if (COMMANDS_TAKING_AN_APP.includes(command)) return { kind: 'run', args: [app.id] };
      if (registry.active()?.id !== app.id) {
        try {
          await registry.setActive(app.id);
        } catch (error) {
          // Running the command anyway would act on the app that is still active, not the one clicked.
          const reason = error instanceof Error ? error.message : String(error);
          return { kind: 'refused', log: `${command}: could not make the item's app active: ${reason}`, message: `Could not make that app the active one (${reason}); nothing was run.` };
        }
      }
      return { kind: 'run', args: [] };
    }
  }
}
