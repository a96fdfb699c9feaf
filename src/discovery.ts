// Discovery (dist/discovery.js), loaded by Configure App when the user gives an issuer URL: the metadata
// fetch and checks (RFC 8414, OpenID Connect Discovery) and what the metadata means for the app. Only that
// path needs it, so no other command pays for loading it (see esbuild.mjs).
export { discover, issuerProblem } from './core/protocol/discovery';
export { configurationFromMetadata } from './core/providers/discoveredConfiguration';
