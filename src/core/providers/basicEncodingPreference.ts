/**
 * The Basic credential encoding a provider was seen to accept, remembered per application: keyed by the
 * token endpoint and the client ID, so a different app or provider starts again from its preset's
 * choice. Plain data (no secret: which of two public spellings works), kept by the editor in global state.
 */
import type { AppConfiguration, BasicCredentialEncoding } from './appConfiguration';

export interface BasicEncodingPreference {
  tokenEndpoint: string;
  clientId: string;
  encoding: BasicCredentialEncoding;
}

/** Enough for someone who switches between a few apps; the oldest is forgotten first. */
const MAX_REMEMBERED = 8;

type AppKey = Pick<AppConfiguration, 'tokenEndpoint' | 'clientId'>;

function sameApp(preference: BasicEncodingPreference, app: AppKey): boolean {
  return preference.tokenEndpoint === app.tokenEndpoint.trim() && preference.clientId === app.clientId.trim();
}

/** The remembered encoding for `app`, if any; anything malformed (hand-edited state) counts as none. */
export function rememberedBasicEncoding(stored: unknown, app: AppKey): BasicCredentialEncoding | undefined {
  return preferencesFrom(stored).find((preference) => sameApp(preference, app))?.encoding;
}

/** `stored` with `encoding` remembered for `app`, most recent first. */
export function withBasicEncodingRemembered(stored: unknown, app: AppKey, encoding: BasicCredentialEncoding): BasicEncodingPreference[] {
  const entry = { tokenEndpoint: app.tokenEndpoint.trim(), clientId: app.clientId.trim(), encoding };
  return [entry, ...preferencesFrom(stored).filter((preference) => !sameApp(preference, app))].slice(0, MAX_REMEMBERED);
}

/** `config` with the remembered encoding for its app applied, when there is one. */
export function applyRememberedBasicEncoding(config: AppConfiguration, stored: unknown): AppConfiguration {
  const encoding = rememberedBasicEncoding(stored, config);
  return encoding === undefined ? config : { ...config, basicCredentialEncoding: encoding };
}

function preferencesFrom(stored: unknown): BasicEncodingPreference[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter((value): value is BasicEncodingPreference => {
    const candidate = value as Partial<BasicEncodingPreference> | null;
    return typeof candidate?.tokenEndpoint === 'string' && typeof candidate.clientId === 'string'
      && (candidate.encoding === 'raw' || candidate.encoding === 'form-urlencoded');
  });
}
