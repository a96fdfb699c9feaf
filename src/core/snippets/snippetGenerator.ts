/**
 * Code snippets for the user's own configuration: one module per language behind this interface, so
 * adding a language is one file plus its tests. Generators are pure (configuration → text) and never
 * see a secret: every secret is read at run time from an environment variable (see SNIPPET_ENV), so a
 * generated snippet is safe to commit even if the user has secrets stored.
 */
import type { AppConfiguration } from '../providers/appConfiguration';

/** What the snippet does, following the tutorial's steps. */
export type SnippetKind =
  /** Build the authorization URL (state + PKCE) and a minimal handler for the redirect. */
  | 'authorizationRequest'
  /** Exchange an authorization code for tokens (step 4). */
  | 'tokenExchange'
  /** Refresh the access token (step 7). */
  | 'refresh'
  /** Call the API with the bearer token and the subscription key (step 6). */
  | 'apiCall';

/** Environment variables every snippet reads its secrets and per-run values from. */
export const SNIPPET_ENV = {
  clientSecret: 'OAUTH_CLIENT_SECRET',
  subscriptionKey: 'OAUTH_SUBSCRIPTION_KEY',
  authorizationCode: 'OAUTH_AUTHORIZATION_CODE',
  codeVerifier: 'OAUTH_CODE_VERIFIER',
  accessToken: 'OAUTH_ACCESS_TOKEN',
  refreshToken: 'OAUTH_REFRESH_TOKEN',
} as const;

/** The non-secret values a snippet needs besides the configuration. */
export interface SnippetContext {
  config: AppConfiguration;
  /** The redirect URI registered for the app (the loopback one in snippets: they run outside the editor). */
  redirectUri: string;
  /** The path of the API call, relative to config.apiBaseUrl (e.g. /constituent/v1/constituents?limit=1). */
  apiPath: string;
}

export interface SnippetLanguage {
  /** VS Code language id the generator serves (e.g. 'python', 'typescript', 'shellscript'). */
  id: string;
  label: string;
  /** Optional flavours, e.g. fetch or axios for JavaScript; the first is the default. */
  variants?: readonly { id: string; label: string }[];
  /**
   * The snippet in VS Code SnippetString syntax: `${1:value}` tab stops on the values a user edits,
   * `\\$`, `\\}` and `\\\\` escaped where the language itself needs `$`, `}` or `\\`.
   */
  generate(kind: SnippetKind, context: SnippetContext, variant?: string): string;
}
