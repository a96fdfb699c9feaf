/**
 * The environment Run with My Tokens gives the one terminal it opens: the variables the generated
 * snippets read (SNIPPET_ENV, src/core/snippets/snippetGenerator.ts), with the stored values, and what
 * to tell the user about them, masked. Values absent from storage are left out (the snippet then says
 * which variable it misses) and removed from the inherited environment, so a stale value exported in
 * the user's own shell profile does not stand in for the stored one.
 */
import type { AppSecrets } from '../providers/appConfiguration';
import { SNIPPET_ENV } from '../snippets/snippetGenerator';
import { mask } from '../text/redact';
import type { TokenSet } from '../tokens/tokenSet';

export interface RunEnvironment {
  /** For TerminalOptions.env only; `null` removes a variable the editor's own environment has. */
  env: Record<string, string | null>;
  /** Each variable passed, with its value masked (`eyJh…(1234 chars)`). */
  passed: { name: string; masked: string }[];
  /** Variables the snippets read that had no stored value. */
  missing: string[];
}

export function runEnvironment(tokenSet: TokenSet, secrets: AppSecrets): RunEnvironment {
  const values: [string, string | undefined][] = [
    [SNIPPET_ENV.accessToken, tokenSet.accessToken],
    [SNIPPET_ENV.refreshToken, tokenSet.refreshToken],
    [SNIPPET_ENV.clientSecret, secrets.clientSecret],
    [SNIPPET_ENV.subscriptionKey, secrets.subscriptionKey],
  ];
  const env: Record<string, string | null> = {};
  const passed: RunEnvironment['passed'] = [];
  const missing: string[] = [];
  for (const [name, value] of values) {
    if (value === undefined || value === '') {
      env[name] = null;
      missing.push(name);
    } else {
      env[name] = value;
      passed.push({ name, masked: mask(value) });
    }
  }
  return { env, passed, missing };
}

/** One line for the terminal's banner and the log: which values were passed, masked, and which not. */
export function describeRunEnvironment(environment: RunEnvironment): string {
  const passed = environment.passed.map(({ name, masked }) => `${name}=${masked}`).join(', ');
  const missing = environment.missing.length > 0 ? `; not stored, so not set: ${environment.missing.join(', ')}` : '';
  return `Passed ${passed || 'nothing'}${missing}.`;
}
