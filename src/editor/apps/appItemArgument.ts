// The first argument of a command run from an Apps view item is that item's element: { kind, appId }.
// Any extension (and any `command:` link) can run our commands with any argument, so the shape is checked
// before it selects an app: only a plain data object of exactly this kind with a bounded string id counts;
// accessors are not called (they would run the caller's code), and anything else is "not an item".
export const APP_ITEM_KIND = 'authCodeFlow.app';
const MAX_APP_ID_LENGTH = 200;

/** The Apps view's tree element; also what VS Code hands to a command run from the item's menus. */
export interface AppItem {
  readonly kind: typeof APP_ITEM_KIND;
  readonly appId: string;
}

export type ItemArgument =
  /** Not an app item (palette, walkthrough link, editor context menu URI): run the command as asked. */
  | { kind: 'none' }
  | { kind: 'app'; appId: string }
  /** Claims to be an app item but is not well formed: run nothing. */
  | { kind: 'malformed'; reason: string };

export function appItem(appId: string): AppItem {
  return { kind: APP_ITEM_KIND, appId };
}

export function readItemArgument(value: unknown): ItemArgument {
  if (typeof value !== 'object' || value === null) return { kind: 'none' };
  try {
    if (ownDataValue(value, 'kind') !== APP_ITEM_KIND) return { kind: 'none' };
    const appId = ownDataValue(value, 'appId');
    if (typeof appId !== 'string' || appId.length === 0 || appId.length > MAX_APP_ID_LENGTH) {
      return { kind: 'malformed', reason: 'its appId is not a non-empty string of at most 200 characters' };
    }
    return { kind: 'app', appId };
  } catch {
    // A Proxy whose traps throw.
    return { kind: 'malformed', reason: 'it could not be read' };
  }
}

/** An own data property's value; undefined for an accessor or an absent property. */
function ownDataValue(value: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}
