/**
 * Whether and how an ID token that came with a token response is checked (OpenID Connect Core §3.1.3.7),
 * and what is recorded about it. Plain decisions over plain data: the signature check itself lives in
 * idTokenValidation.ts (with `jose`, in its own lazily loaded bundle), reached through {@link IdTokenVerifier}.
 */
import { ConfigurationError } from '../errors/oauthError';
import { requestsOpenId } from '../protocol/authorizationParameters';
import type { AppConfiguration } from '../providers/appConfiguration';
import { decodeJwt } from './jwt';
import type { IdTokenVerification } from './idTokenVerdict';
import type { TokenSet } from './tokenSet';

export type { IdTokenVerification } from './idTokenVerdict';

/** How a token response came: the ID token of an authorization must repeat its nonce; a refresh's cannot (§12.2). */
export type IdTokenFlow =
  | { kind: 'authorization'; nonce?: string }
  | { kind: 'refresh'; previous?: TokenSet };

/** What the verifier must check, beyond the signature. */
export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The issuer's JWK Set URL when known (discovery); otherwise the verifier reads it from the issuer's OpenID configuration. */
  jwksUri?: string;
  /**
   * `required`: the request sent this nonce, so the claim must be present and equal (§3.1.3.7 step 11).
   * Otherwise (a refresh, §12.2) a nonce in the token, if any, must be the original one.
   */
  nonce?: { value: string; required: boolean };
  /** A refreshed ID token must name the same subject as the original (§12.2). */
  subject?: string;
  /** Epoch ms. */
  now: number;
}

export interface VerifiedIdToken {
  keyId?: string;
  alg: string;
}

export interface IdTokenVerifier {
  /** Resolves when every check passes; otherwise rejects with an OAuthError that names the claim and the fix. */
  verify(idToken: string, expectations: IdTokenExpectations, signal?: AbortSignal): Promise<VerifiedIdToken>;
}

/** What to do with the ID token of a token response. */
export type IdTokenCheck =
  | { kind: 'absent' }
  | { kind: 'notVerified'; reason: string }
  | { kind: 'verify'; expectations: IdTokenExpectations };

export type IdTokenApp = Pick<AppConfiguration, 'issuer' | 'clientId' | 'scopes' | 'jwksUri'>;

/**
 * The decision. An ID token is verified against the configured issuer; without one there is nothing to
 * compare `iss` with (and no keys to look up), so the token is recorded "not verified: no issuer
 * configured" and kept, unless `openid` was requested: then the user asked for OpenID Connect, whose
 * ID token must be validated, and the request is refused before anything is stored.
 */
export function idTokenCheckFor(tokenSet: TokenSet, app: IdTokenApp, flow: IdTokenFlow, now: number): IdTokenCheck {
  if (tokenSet.idToken === undefined || tokenSet.idToken === '') return { kind: 'absent' };
  const issuer = app.issuer?.trim() ?? '';
  if (issuer === '') {
    if (requestsOpenId(app.scopes)) {
      throw new ConfigurationError({
        code: 'invalid_configuration',
        description: 'The scopes ask for openid, but no issuer is configured, so the ID token cannot be verified '
          + '(its iss must equal the issuer, and the issuer\'s keys check its signature; OpenID Connect Core §3.1.3.7). Nothing was stored.',
        hint: 'Set the provider\'s issuer URL in Configure App (the `issuer` of its /.well-known/openid-configuration), '
          + 'or remove openid from the scopes.',
      });
    }
    return { kind: 'notVerified', reason: 'no issuer configured' };
  }
  const expectations: IdTokenExpectations = { issuer, clientId: app.clientId.trim(), now };
  const jwksUri = app.jwksUri?.trim() ?? '';
  if (jwksUri !== '') expectations.jwksUri = jwksUri;
  if (flow.kind === 'authorization') {
    if (flow.nonce !== undefined) expectations.nonce = { value: flow.nonce, required: true };
  } else {
    const original = flow.previous?.idToken === undefined ? undefined : decodeJwt(flow.previous.idToken)?.claims;
    if (typeof original?.nonce === 'string') expectations.nonce = { value: original.nonce, required: false };
    if (typeof original?.sub === 'string') expectations.subject = original.sub;
  }
  return { kind: 'verify', expectations };
}

/**
 * The token set as it may be stored: its ID token checked, with the outcome recorded. Rejects (and the
 * caller stores nothing) when the check fails. The verifier is loaded only when a token must be verified,
 * so a plain OAuth 2.0 flow never loads the JOSE bundle.
 */
export async function withIdTokenChecked(
  tokenSet: TokenSet, app: IdTokenApp, flow: IdTokenFlow,
  options: { loadVerifier: () => Promise<IdTokenVerifier>; now: () => number; signal?: AbortSignal },
): Promise<TokenSet> {
  // A refresh response's set starts without the outcome of the token it replaces.
  const fresh: TokenSet = { ...tokenSet };
  delete fresh.idTokenVerification;
  const now = options.now();
  const check = idTokenCheckFor(fresh, app, flow, now);
  switch (check.kind) {
    case 'absent':
      return fresh;
    case 'notVerified':
      return { ...fresh, idTokenVerification: { status: 'not-verified', reason: check.reason, at: now } };
    case 'verify': {
      const verifier = await options.loadVerifier();
      const verified = await verifier.verify(fresh.idToken as string, check.expectations, options.signal);
      return {
        ...fresh,
        idTokenVerification: {
          status: 'verified', alg: verified.alg, issuer: check.expectations.issuer, verifiedAt: now,
          ...(verified.keyId === undefined ? {} : { keyId: verified.keyId }),
        },
      };
    }
  }
}

/**
 * The one place a received token set reaches storage: after its ID token passed (or had no check to
 * pass). A failed check rejects before `store` is called, so nothing of the response is kept.
 */
export async function storeAfterIdTokenCheck(
  tokenSet: TokenSet, app: IdTokenApp, flow: IdTokenFlow,
  options: { loadVerifier: () => Promise<IdTokenVerifier>; store: (tokenSet: TokenSet) => Promise<void>; now: () => number; signal?: AbortSignal },
): Promise<TokenSet> {
  const checked = await withIdTokenChecked(tokenSet, app, flow, options);
  await options.store(checked);
  return checked;
}

/**
 * "verified by signature (key id k1, alg RS256) at <time>" or "not verified: <reason>", for Show Tokens.
 * `literal` renders the provider's values (key id, algorithm, issuer), e.g. as inert inline code.
 */
export function idTokenVerificationWords(
  verification: IdTokenVerification | undefined, formatTime: (epochMs: number) => string, literal: (text: string) => string = (text) => text,
): string {
  if (verification === undefined) return 'not verified: it was stored before this extension verified ID tokens; authorize again to verify one';
  if (verification.status === 'not-verified') return `not verified: ${verification.reason}`;
  const key = verification.keyId === undefined ? 'no key id' : `key id ${literal(verification.keyId)}`;
  return `verified by signature (${key}, alg ${literal(verification.alg)}) at ${formatTime(verification.verifiedAt)}, `
    + `with the keys of issuer ${literal(verification.issuer)}`;
}
