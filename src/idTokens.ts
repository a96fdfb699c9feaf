// `jose` (panva/jose, MIT) for the ID-token check (dist/idTokens.js): loaded by commands.js only when a
// token response carries an ID token to verify against a configured issuer, so no other flow pays for it
// (see esbuild.mjs). Only jose is here; the checks themselves (core/tokens/idTokenValidation.ts) stay in
// commands.js, so the errors they throw are the OAuthError class the error reporting knows.
export { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
