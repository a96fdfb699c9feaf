/**
 * Which origin each stored secret may be sent to without asking (issue 10, finding 6). Settings are not a
 * boundary: a dev container's `customizations.vscode.settings` feed the machine settings, so a repository
 * can point the token endpoint or the API base URL somewhere else while the secrets stay in SecretStorage.
 * Every secret therefore remembers what it was entered (or first used) for, and a request that would
 * carry it elsewhere needs the user's consent first.
 *
 * - the application secret: the token endpoint's origin and the application (client) ID;
 * - the subscription key: the API's origin;
 * - the access token: the API's origin (the token set is also keyed by token endpoint and client ID,
 *   see editor/secretStore.ts, so its refresh token never goes to another token endpoint at all).
 *
 * Migration: a secret stored before bindings existed has none; it is bound, without a question, to the
 * configuration in force the first time it is used. That trusts the settings once, exactly as every
 * earlier version did on every request, and it is what keeps an upgrade from asking about every secret.
 */
import { sanitizeForDisplay } from '../text/displayText';
import type { AppConfiguration } from './appConfiguration';

export type BoundSecret = 'clientSecret' | 'subscriptionKey' | 'accessToken';

export interface SecretBinding {
  /** scheme://host[:port], as URL.origin spells it. */
  origin: string;
  /** For the application secret only: the application it belongs to. */
  clientId?: string;
}

/** What the store holds for one secret: nothing, a value from before bindings, or a bound value. */
export type StoredBinding = SecretBinding | 'unbound' | 'absent';

export type BindingDecision =
  /** Nothing stored, or stored for exactly this destination. */
  | { kind: 'send' }
  /** Stored before bindings existed: bind it to `binding` and send (see Migration above). */
  | { kind: 'bind'; binding: SecretBinding }
  /** Stored for another destination: ask, naming both. */
  | { kind: 'ask'; question: string; stored: SecretBinding; binding: SecretBinding };

export type Consent = 'once' | 'always' | 'cancel';

/** The settings that decide where secrets go. */
export type SecretDestinations = Pick<AppConfiguration, 'tokenEndpoint' | 'clientId' | 'apiBaseUrl'>;

/** What each secret is called in questions, the log and storage errors. */
export const SECRET_NAMES: Readonly<Record<BoundSecret, string>> = {
  clientSecret: 'application secret',
  subscriptionKey: 'subscription key',
  accessToken: 'access token',
};

/** The secrets a request carries: a token request the app secret (unless public), an API call the rest. */
export function secretsSentBy(request: 'token' | 'api', config: Pick<AppConfiguration, 'clientAuthMethod' | 'subscriptionKeyHeader'>): BoundSecret[] {
  if (request === 'token') return config.clientAuthMethod === 'none' ? [] : ['clientSecret'];
  return config.subscriptionKeyHeader ? ['accessToken', 'subscriptionKey'] : ['accessToken'];
}

/** Where the configuration in force would send `secret`. */
export function bindingFor(secret: BoundSecret, config: SecretDestinations): SecretBinding {
  if (secret === 'clientSecret') return { origin: originOf(config.tokenEndpoint), clientId: config.clientId };
  return { origin: originOf(config.apiBaseUrl) };
}

export function bindingDecision(secret: BoundSecret, stored: StoredBinding, wanted: SecretBinding): BindingDecision {
  if (stored === 'absent') return { kind: 'send' };
  if (stored === 'unbound') return { kind: 'bind', binding: wanted };
  if (sameBinding(stored, wanted)) return { kind: 'send' };
  return {
    kind: 'ask', stored, binding: wanted,
    question: `The ${SECRET_NAMES[secret]} was saved for ${describe(stored)}; send it to ${describe(wanted)}?`,
  };
}

export function sameBinding(a: SecretBinding, b: SecretBinding): boolean {
  return a.origin === b.origin && (a.clientId ?? '') === (b.clientId ?? '');
}

export interface ConsentDependencies {
  stored(secret: BoundSecret): Promise<StoredBinding>;
  bind(secret: BoundSecret, binding: SecretBinding): Promise<void>;
  /** A modal question with Allow Once / Always / Cancel; dismissing it is 'cancel'. */
  ask(question: string): Promise<Consent>;
}

/**
 * Whether a request carrying `secrets` may be sent with the configuration in force. Binds unbound secrets
 * (migration) and, for "Always", rebinds; asks about each mismatched secret in turn and stops at the first
 * refusal, so nothing is sent unless every secret it carries is allowed.
 */
export async function consentToSend(deps: ConsentDependencies, secrets: BoundSecret[], config: SecretDestinations): Promise<boolean> {
  for (const secret of secrets) {
    const decision = bindingDecision(secret, await deps.stored(secret), bindingFor(secret, config));
    if (decision.kind === 'bind') await deps.bind(secret, decision.binding);
    if (decision.kind !== 'ask') continue;
    const consent = await deps.ask(decision.question);
    if (consent === 'cancel') return false;
    if (consent === 'always') await deps.bind(secret, decision.binding);
  }
  return true;
}

/** Whatever is configured, even text that is not a URL, gets a stable name to compare and show. */
export function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? url : origin;
  } catch {
    return url;
  }
}

/** Settings are not trusted text: one line, no markup, bounded (the question is shown in a modal). */
function describe(binding: SecretBinding): string {
  const origin = sanitizeForDisplay(binding.origin, 200);
  return binding.clientId === undefined ? origin : `${origin} (application ID ${sanitizeForDisplay(binding.clientId, 120)})`;
}

/** The record a bound secret is stored as; a value stored before bindings is the bare secret. */
interface BoundSecretRecord {
  boundSecret: 1;
  value: string;
  binding: SecretBinding;
}

export function serializeStoredSecret(value: string, binding: SecretBinding): string {
  const record: BoundSecretRecord = { boundSecret: 1, value, binding: { ...binding } };
  return JSON.stringify(record);
}

/** Reads what serializeStoredSecret wrote, or a bare value from before bindings ('unbound'). */
export function parseStoredSecret(raw: string | undefined): { value: string; binding: SecretBinding | 'unbound' } | undefined {
  if (!raw) return undefined;
  const record = boundRecord(raw);
  if (!record) return { value: raw, binding: 'unbound' };
  const { origin, clientId } = record.binding;
  return { value: record.value, binding: clientId === undefined ? { origin } : { origin, clientId } };
}

function boundRecord(raw: string): BoundSecretRecord | undefined {
  if (!raw.startsWith('{"boundSecret":1,')) return undefined;
  try {
    const record = JSON.parse(raw) as Partial<BoundSecretRecord>;
    const binding = record.binding;
    if (typeof record.value === 'string' && record.value && typeof binding?.origin === 'string'
      && (binding.clientId === undefined || typeof binding.clientId === 'string')) return record as BoundSecretRecord;
  } catch { /* not ours: a legacy value that starts the same way */ }
  return undefined;
}
