// The ID-token check with `jose` (panva/jose, MIT), dist/idTokens.js: loaded by commands.js only when a
// token response carries an ID token to verify against a configured issuer, so no other flow pays for it
// (see esbuild.mjs). Its errors are this bundle's copies of the OAuthError classes; the editor converts
// them (editor/idTokenVerifier.ts).
export { createIdTokenVerifier } from './core/tokens/idTokenValidation';
