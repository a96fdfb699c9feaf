/**
 * Numeric settings as the code may use them. VS Code does not enforce a setting's declared type or range
 * on what `getConfiguration().get()` returns: a settings.json can hold `"x"` or `1e12`. A string made
 * PendingAuthorizations throw (so no command loaded) and a huge number overflowed setTimeout's 32-bit
 * delay (the timer then fires after ~1 ms), so every read goes through {@link boundedNumber}.
 */

export interface NumberRange {
  minimum: number;
  maximum: number;
  default: number;
}

/** The timeout settings, with the range and default package.json declares (a unit test compares). */
export const TIMEOUT_SETTINGS = {
  requestTimeoutSeconds: { minimum: 1, maximum: 300, default: 30 },
  authorizationTimeoutMinutes: { minimum: 1, maximum: 60, default: 5 },
} as const satisfies Record<string, NumberRange>;

/** `value` clamped into the range when it is a finite number; the default for anything else. */
export function boundedNumber(value: unknown, range: NumberRange): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return range.default;
  }
  return Math.min(range.maximum, Math.max(range.minimum, value));
}
