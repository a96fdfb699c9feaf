// The ID-token verifier (dist/idTokens.js) with `jose`, loaded by commands.js only when a token response
// carries an ID token to verify against a configured issuer, so no other flow pays for loading it (see
// esbuild.mjs).
export { createIdTokenVerifier } from './core/tokens/idTokenValidation';
