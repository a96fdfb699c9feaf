/**
 * Who the tokens were issued for, as one phrase for the success messages and the status bar tooltip
 * ("Ada Lovelace <ada@example.com>"). Two sources, both from the token response: its own fields (SKY API
 * sends email, given_name, family_name and user_id) and, with OpenID Connect, the ID token's claims
 * (name, email, preferred_username, sub; OpenID Connect Core §5.1). The ID token's signature is not
 * checked, so a phrase from it says so. Every value is provider-controlled and is neutralised for display.
 */
import { sanitizeForDisplay } from '../text/displayText';
import { decodeJwt } from './jwt';
import type { TokenSet } from './tokenSet';

/** Names and addresses are short; anything longer is noise, or an attempt to fill the notification. */
const MAX_VALUE_LENGTH = 80;

interface Identity {
  name?: string;
  email?: string;
  username?: string;
  /** An opaque identifier, with what to call it ("user ID", "subject"). */
  id?: { label: string; value: string };
  fromIdToken: boolean;
}

/** The phrase after "signed in as", or undefined when neither source says who. */
export function signedInAs(tokenSet: TokenSet): string | undefined {
  const fromResponse = identityFrom(tokenSet.extra, 'user_id', 'user ID', false);
  const claims = tokenSet.idToken ? decodeJwt(tokenSet.idToken)?.claims : undefined;
  const fromIdToken = claims ? identityFrom(claims, 'sub', 'subject', true) : undefined;
  // A name or an address says more than an opaque identifier, whichever source has it.
  const identity = [fromResponse, fromIdToken].find((candidate) => candidate && isNamed(candidate))
    ?? [fromResponse, fromIdToken].find((candidate) => candidate?.id);
  return identity ? phrase(identity) : undefined;
}

function identityFrom(fields: Readonly<Record<string, unknown>>, idField: string, idLabel: string, fromIdToken: boolean): Identity | undefined {
  const given = text(fields.given_name);
  const family = text(fields.family_name);
  const name = text(fields.name) ?? ([given, family].filter(Boolean).join(' ') || undefined);
  const email = text(fields.email);
  const username = text(fields.preferred_username);
  // A token response without user_id may still carry the OpenID Connect sub (some providers copy it).
  const idValue = text(fields[idField]) ?? text(fields.sub);
  const identity: Identity = {
    fromIdToken,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(username ? { username } : {}),
    ...(idValue ? { id: { label: text(fields[idField]) ? idLabel : 'subject', value: idValue } } : {}),
  };
  return isNamed(identity) || identity.id ? identity : undefined;
}

function isNamed(identity: Identity): boolean {
  return Boolean(identity.name || identity.email || identity.username);
}

function phrase(identity: Identity): string {
  const who = identity.name && identity.email ? `${identity.name} <${identity.email}>`
    : identity.name ?? identity.email ?? identity.username ?? `${identity.id?.label} ${identity.id?.value}`;
  return identity.fromIdToken ? `${who} (per the ID token, not verified)` : who;
}

/** A display-safe string value, or undefined for anything else or nothing left after sanitising. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = sanitizeForDisplay(value, MAX_VALUE_LENGTH);
  return clean === '' ? undefined : clean;
}
