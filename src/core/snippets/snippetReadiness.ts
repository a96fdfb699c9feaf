/**
 * Whether Insert Code Snippet may generate for a configuration, decided before anything is generated.
 * A *missing* value is fine: the snippet gets a placeholder tab stop that says what belongs there (see
 * snippetContext.ts), and a warning offers Configure App. An *invalid* value is not: a header name with a
 * line break or an endpoint that is not a URL would be written into code the user runs, so the snippet
 * is refused with the app's field to fix (a field of its entry in authCodeFlow.apps).
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { configurationFromPreset, isLoopbackHost, presetById, validateConfiguration } from '../providers/presets';
import { requestsOpenId } from './languages/snippetPlan';
import { INVISIBLE, hex4 } from './languages/stringEscapes';
import { filledConfiguration } from './snippetContext';

export type SnippetReadiness =
  /** Generate; `missing` names the values that get placeholders (empty when the app is configured). */
  | { ready: true; missing: string[] }
  /** Refuse; each problem names, where one can be told, the app's field that fixes it. */
  | { ready: false; invalid: InvalidValue[] };

/** A value the snippet cannot be generated from, and the field of the app's configuration that holds it. */
export interface InvalidValue {
  problem: string;
  field?: keyof AppConfiguration;
}

/**
 * The app's fields (its entry in authCodeFlow.apps) a snippet reads, in the order a problem is traced to
 * one. The JWKS URL is one too: discovery fills it, and settings.json can still hold a wrong one.
 */
const FIELDS: readonly (keyof AppConfiguration)[] = [
  'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'apiBaseUrl', 'subscriptionKeyHeader', 'scopes',
  'extraAuthorizationParams', 'environmentId', 'issuer', 'jwksUri', 'loopbackPort', 'redirectMode',
  'clientAuthMethod', 'usePkce',
];

/** RFC 6749 Appendix A.1: client-id = *VSCHAR, printable ASCII and space. */
const CLIENT_ID = /^[\x20-\x7E]*$/;

/**
 * The decision for `config` as the snippet would use it: the problems that remain once every missing
 * value has its placeholder are invalid values, and refuse the snippet.
 */
export function snippetReadiness(config: AppConfiguration): SnippetReadiness {
  const before = validateConfiguration(config);
  let filled: AppConfiguration;
  try {
    filled = filledConfiguration(config);
  } catch {
    // Only an unknown provider preset gets here, which validateConfiguration names with its field.
    return { ready: false, invalid: before.map((problem) => ({ problem: visible(problem), field: 'preset' })) };
  }
  const remaining = problemsOf(filled);
  if (remaining.length === 0) return { ready: true, missing: [...before, ...openIdGaps(config)].map(visible) };
  return { ready: false, invalid: remaining.map((problem) => ({ problem: visible(problem), field: fieldFor(problem, filled) })) };
}

/**
 * With openid, the complete flow checks the ID token's `iss` against the issuer (OpenID Connect Core
 * §3.1.3.7): without one, the snippet holds a placeholder there, which fails loudly until it is filled in.
 */
function openIdGaps(config: AppConfiguration): string[] {
  return requestsOpenId(config) && !config.issuer?.trim()
    ? ['The issuer is missing: the complete-flow snippet checks the ID token\'s iss against it (OpenID Connect Core §3.1.3.7).']
    : [];
}

function problemsOf(config: AppConfiguration): string[] {
  const problems = validateConfiguration(config);
  const jwksUri = config.jwksUri?.trim();
  if (jwksUri && !isKeySetUrl(jwksUri)) {
    problems.push(`The JWKS URL "${jwksUri}" is not an https:// URL (http:// only on loopback); the snippet would fetch the ID token's keys from it.`);
  }
  if (!CLIENT_ID.test(config.clientId)) {
    problems.push('The application ID (client_id) holds characters a client_id cannot have (RFC 6749 Appendix A.1: printable ASCII only).');
  }
  return problems;
}

/** The field whose value causes `problem`: the one that, reset to the provider's default, makes it go away. */
function fieldFor(problem: string, config: AppConfiguration): keyof AppConfiguration | undefined {
  const defaults = configurationFromPreset(presetById(config.preset));
  return FIELDS.find((field) => !problemsOf({ ...config, [field]: defaults[field] }).includes(problem));
}

/** A problem quotes the user's value: its line breaks and invisible characters are shown as \uXXXX. */
function visible(problem: string): string {
  return problem.replace(new RegExp(INVISIBLE.source, 'g'), (char) => `\\u${hex4(char)}`);
}

/** Keys that decide whether an ID token is believed come over https, or from this machine. */
function isKeySetUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}
