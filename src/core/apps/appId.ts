/**
 * App ids key an app's secrets (`authCodeFlow.app.<id>.tokenSet`) and its remembered state, so they must
 * never change once made and never contain a character that could break out of such a key (a dot would
 * let one id be a prefix-path of another). Random, so two windows adding an app at once never collide.
 */
import { randomBase64Url } from '../protocol/randomToken';

/** base64url characters only: safe in a SecretStorage key and in a globalState key. */
const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** 12 random bytes: 16 characters, far beyond any collision among one user's apps. */
export function newAppId(random: (bytes: number) => string = randomBase64Url): string {
  return random(12);
}

export function isAppId(value: unknown): value is string {
  return typeof value === 'string' && APP_ID.test(value);
}
