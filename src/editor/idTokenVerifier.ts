// The ID-token verifier for this extension host: core/tokens/idTokenValidation.ts with `jose`, in the
// lazily loaded dist/idTokens.js, loaded on the first ID token to verify and kept (with the issuers' keys
// it has read) for the next.
import { asOwnOAuthError } from '../core/errors/oauthError';
import type { IdTokenVerifier } from '../core/tokens/idTokenVerification';
import type { ExtensionServices } from './services';

let loading: Promise<IdTokenVerifier> | undefined;

export function loadIdTokenVerifier(services: Pick<ExtensionServices, 'http'>): Promise<IdTokenVerifier> {
  loading ??= import('../idTokens').then(({ createIdTokenVerifier }) => {
    const verifier = createIdTokenVerifier(() => services.http());
    return {
      // Its OAuthErrors are the bundle's own copies of the classes: make them the ones errorReporting knows.
      verify: (idToken, expected, signal) => verifier.verify(idToken, expected, signal).catch((error: unknown) => {
        throw asOwnOAuthError(error);
      }),
    };
  });
  // A failed load (a damaged installation) is tried again next time rather than remembered.
  loading.catch(() => { loading = undefined; });
  return loading;
}
