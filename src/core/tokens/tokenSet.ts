import type { IdTokenVerification } from './idTokenVerdict';

/**
 * The token set as stored (one SecretStorage record). Times are absolute epoch milliseconds so a stored
 * record stays meaningful after a restart; `expires_in` is converted once, at receipt.
 */
export interface TokenSet {
  accessToken: string;
  /** As the server sent it; compared case-insensitively with "Bearer". */
  tokenType: string;
  /** When the access token expires, or undefined when the server did not say. */
  expiresAt?: number;
  refreshToken?: string;
  /** From the token response's `refresh_token_expires_in` (SKY API sends it); undefined when unknown. */
  refreshTokenExpiresAt?: number;
  /**
   * The `refresh_token_expires_in` itself, in seconds, as the response that issued the refresh token
   * stated it: shown so that nobody has to trust a documented lifetime (SKY's docs have said 60 days).
   */
  refreshTokenExpiresIn?: number;
  /** Granted scopes, when the server reported them (RFC 6749 §5.1). */
  scopes?: string[];
  idToken?: string;
  /**
   * What became of the ID token's check (OpenID Connect Core §3.1.3.7) when this set was received:
   * verified by signature, or why not. Key id, algorithm and times only, never a token or a secret.
   */
  idTokenVerification?: IdTokenVerification;
  /** When this set was received (epoch ms). */
  obtainedAt: number;
  /**
   * Provider-specific non-secret fields kept verbatim (SKY's environment_id, environment_name,
   * legal_entity_id, legal_entity_name, tenant_id, tenant_name, user_id, email, given_name, family_name,
   * mode, ...). Server-controlled: neutralise before display.
   */
  extra: Record<string, unknown>;
}
