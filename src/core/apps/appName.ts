/**
 * The rules for an app's name: what the status bar, the pickers and the Apps view show, so it must be
 * short enough to fit there and unique, or two apps could not be told apart.
 */

/** Fits in the status bar next to the time left. */
export const MAX_APP_NAME_LENGTH = 40;

interface ExistingName {
  readonly id: string;
  readonly name: string;
}

/**
 * Why `name` cannot be used, or undefined when it can. `exceptId` is the app being renamed, which may
 * keep its own name. Names compare trimmed and case-insensitively ("Sandbox" and "sandbox " clash).
 */
export function appNameProblem(name: string, existing: readonly ExistingName[], exceptId?: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name for the app, such as "Sandbox" or "Production".';
  if (trimmed.length > MAX_APP_NAME_LENGTH) return `Keep the name to ${MAX_APP_NAME_LENGTH} characters (it is ${trimmed.length}).`;
  // Control characters would break the status bar and the pickers' single line.
  if (hasControlCharacter(trimmed)) return 'The name cannot contain control characters such as line breaks or tabs.';
  const clash = existing.find((app) => app.id !== exceptId && sameName(app.name, trimmed));
  if (clash) return `An app named "${clash.name}" already exists; choose another name.`;
  return undefined;
}

export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** `base`, or `base (2)`, `base (3)`… whichever is free: for names the user did not type (migration). */
export function uniqueAppName(base: string, existing: readonly ExistingName[]): string {
  const stem = base.trim().slice(0, MAX_APP_NAME_LENGTH - 5) || 'App';
  if (!existing.some((app) => sameName(app.name, stem))) return stem;
  for (let n = 2; ; n += 1) {
    const candidate = `${stem} (${n})`;
    if (!existing.some((app) => sameName(app.name, candidate))) return candidate;
  }
}

/** C0 and C1 control characters and DEL: one-line labels cannot show them. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
