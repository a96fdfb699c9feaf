/**
 * OAuth 2.0 Token Revocation (RFC 7009): Sign Out tells the provider to invalidate the refresh token, so a
 * copy of it left anywhere stops working. The request authenticates the client exactly as the token
 * endpoint does (§2.1), and is built as plain data first, like the token requests, so it can be previewed.
 */
import { ConfigurationError, isErrorResponseBody, oauthErrorFromTokenErrorBody, ProviderError, type OAuthError } from '../errors/oauthError';
import type { HttpClient } from '../http/httpClient';
import type { AppConfiguration, AppSecrets } from '../providers/appConfiguration';
import { clientAuthentication, type TokenEndpointRequest } from './tokenRequest';

/** RFC 7009 §2.1: a hint about the token's type, so the server need not search every kind. */
export type TokenTypeHint = 'refresh_token' | 'access_token';

export interface RevocationGrant {
  config: AppConfiguration;
  secrets: AppSecrets;
  token: string;
  hint: TokenTypeHint;
}

export interface RevokeTokenInput extends RevocationGrant {
  http: HttpClient;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The endpoint, or undefined when the provider publishes none (then tokens stay valid until they expire). */
export function revocationEndpointOf(config: Pick<AppConfiguration, 'revocationEndpoint'>): string | undefined {
  const endpoint = config.revocationEndpoint?.trim() ?? '';
  return endpoint === '' ? undefined : endpoint;
}

export function revocationRequest(grant: RevocationGrant): TokenEndpointRequest {
  const url = revocationEndpointOf(grant.config);
  if (url === undefined) {
    throw new ConfigurationError({ code: 'invalid_configuration', description: 'No revocation endpoint is configured for this app.' });
  }
  if (grant.token === '') {
    throw new ConfigurationError({ code: 'invalid_configuration', description: 'There is no token to revoke.' });
  }
  const authentication = clientAuthentication(grant.config, grant.secrets);
  return {
    url,
    form: { token: grant.token, token_type_hint: grant.hint, ...authentication.form },
    headers: { Accept: 'application/json', ...authentication.headers },
  };
}

/**
 * Revokes the token. Resolves on HTTP 200, which RFC 7009 §2.2 also answers for a token that was already
 * invalid (the goal, an unusable token, is reached either way). Rejects with the provider's error
 * (§2.2.1: `unsupported_token_type`, or invalid_client as at the token endpoint), or with
 * `revocation_failed` for any other status, 503 included (the server asks to try again later).
 */
export async function revokeToken(input: RevokeTokenInput): Promise<void> {
  const request = revocationRequest(input);
  const response = await input.http.postForm(request.url, request.form, request.headers, {
    label: 'The revocation endpoint',
    ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  if (response.status === 200) return;
  throw revocationError(response.status, response.body);
}

function revocationError(status: number, body: string): OAuthError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isErrorResponseBody(parsed)) return oauthErrorFromTokenErrorBody(parsed, status);
  return new ProviderError({
    code: 'revocation_failed', status,
    description: status === 503
      ? 'The revocation endpoint answered HTTP 503: the provider could not revoke the token now (RFC 7009 §2.2.1).'
      : `The revocation endpoint answered HTTP ${status}.`,
  });
}
