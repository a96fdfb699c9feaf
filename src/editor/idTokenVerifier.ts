// The ID-token verifier for this extension host: core/tokens/idTokenValidation.ts with `jose` from the
// lazily loaded dist/idTokens.js, loaded on the first ID token to verify and kept (with the issuers' keys
// it has read) for the next.
import type { IdTokenVerifier } from '../core/tokens/idTokenVerification';
import { createIdTokenVerifier } from '../core/tokens/idTokenValidation';
import type { ExtensionServices } from './services';

let loading: Promise<IdTokenVerifier> | undefined;

export function loadIdTokenVerifier(services: Pick<ExtensionServices, 'http'>): Promise<IdTokenVerifier> {
  loading ??= import('../idTokens').then((jose) => createIdTokenVerifier(jose, () => services.http()));
  // A failed load (a damaged installation) is tried again next time rather than remembered.
  loading.catch(() => { loading = undefined; });
  return loading;
}
