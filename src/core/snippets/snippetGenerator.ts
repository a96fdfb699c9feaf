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
  | 'apiCall'
  /**
   * Steps 1 to 6 as one runnable program: the authorization request, the redirect, the code exchange
   * and the API call, handing the code, the verifier and the access token on in memory.
   */
  | 'completeFlow';

/** Every kind, in the order of the tutorial's steps, with what a picker shows for it. */
export const SNIPPET_KINDS: readonly { id: SnippetKind; label: string; detail: string }[] = [
  {
    id: 'authorizationRequest',
    label: 'Authorization URL and callback handler',
    detail: 'Steps 1–3: builds the URL with state and PKCE, and receives the redirect with the code.',
  },
  {
    id: 'tokenExchange',
    label: 'Exchange the code for tokens',
    detail: 'Step 4: posts the code and the PKCE verifier to the token endpoint.',
  },
  {
    id: 'refresh',
    label: 'Refresh the access token',
    detail: 'Step 7: trades the refresh token for a new access token.',
  },
  {
    id: 'apiCall',
    label: 'Call the API',
    detail: 'Step 6: a GET with the bearer token and, where the API needs one, the subscription key.',
  },
  {
    id: 'completeFlow',
    label: 'Complete minimal flow',
    detail: 'Steps 1–6 in one program: authorize in the browser, exchange the code, call the API.',
  },
];

export function isSnippetKind(value: unknown): value is SnippetKind {
  return SNIPPET_KINDS.some((kind) => kind.id === value);
}

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
  /** The name the user gave the app, which the snippet's first line names; absent when there is none. */
  appName?: string;
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
