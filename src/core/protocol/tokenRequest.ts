/**
 * Step 3 of the flow and its sequel: the token endpoint requests (RFC 6749 §4.1.3 code exchange, §6
 * refresh) with client authentication (§2.3.1). The request is first built as plain data, so the
 * walkthrough can preview it (through redactForm/redactHeaders) exactly as it will be sent.
 */
import type { HttpClient } from '../http/httpClient';
import type { AppConfiguration, AppSecrets } from '../providers/appConfiguration';
import type { TokenSet } from '../tokens/tokenSet';
import { basicAuthorization, basicCredentialEncodingOf } from './basicCredentials';
import { ConfigurationError, OAuthError } from '../errors/oauthError';
import { parseTokenResponse, type PreviousTokens } from './tokenResponse';

export interface TokenEndpointRequest {
  url: string;
  form: Record<string, string>;
  headers: Record<string, string>;
}

/** Client authentication as it lands on the request: a header, body fields, or both empty. */
export interface ClientAuthentication {
  headers: Record<string, string>;
  form: Record<string, string>;
}

interface TokenCallOptions {
  http: HttpClient;
  now?: () => number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface AuthorizationCodeGrant {
  config: AppConfiguration;
  secrets: AppSecrets;
  code: string;
  /** The redirect URI of the authorization request, repeated verbatim (RFC 6749 §4.1.3). */
  redirectUri: string;
  codeVerifier?: string;
}

export interface RefreshTokenGrant {
  config: AppConfiguration;
  secrets: AppSecrets;
  refreshToken: string;
  /** Expiry of `refreshToken`, kept if the response does not issue a new refresh token. */
  refreshTokenExpiresAt?: number;
  /** The `refresh_token_expires_in` that came with `refreshToken`, kept likewise. */
  refreshTokenExpiresIn?: number;
  /**
   * `preserve_refresh_token=true`, which SKY API is said to accept to keep the current refresh token. No
   * Blackbaud source for it was found (blackbaud/sky-api-docs, the official auth-code samples), so it is
   * sent only on request; a response without a new refresh token is handled either way.
   */
  preserveRefreshToken?: boolean;
}

export type ExchangeAuthorizationCodeInput = AuthorizationCodeGrant & TokenCallOptions;
export type RefreshAccessTokenInput = RefreshTokenGrant & TokenCallOptions;

export async function exchangeAuthorizationCode(input: ExchangeAuthorizationCodeInput): Promise<TokenSet> {
  return callTokenEndpoint(authorizationCodeTokenRequest(input), input, undefined);
}

/** On a response without a new refresh_token the current one is kept (RFC 6749 §6). */
export async function refreshAccessToken(input: RefreshAccessTokenInput): Promise<TokenSet> {
  const previous: PreviousTokens = { refreshToken: input.refreshToken };
  if (input.refreshTokenExpiresAt !== undefined) {
    previous.refreshTokenExpiresAt = input.refreshTokenExpiresAt;
  }
  if (input.refreshTokenExpiresIn !== undefined) {
    previous.refreshTokenExpiresIn = input.refreshTokenExpiresIn;
  }
  return callTokenEndpoint(refreshTokenRequest(input), input, previous);
}

export function authorizationCodeTokenRequest(grant: AuthorizationCodeGrant): TokenEndpointRequest {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
  };
  if (grant.codeVerifier !== undefined) {
    form.code_verifier = grant.codeVerifier;
  }
  return withClientAuthentication(grant.config, grant.secrets, form);
}

export function refreshTokenRequest(grant: RefreshTokenGrant): TokenEndpointRequest {
  if (grant.refreshToken === '') {
    throw new OAuthError({ code: 'no_refresh_token', description: 'There is no refresh token to use.' });
  }
  const form: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: grant.refreshToken,
  };
  if (grant.preserveRefreshToken === true) {
    form.preserve_refresh_token = 'true';
  }
  return withClientAuthentication(grant.config, grant.secrets, form);
}

/**
 * RFC 6749 §2.3.1. For HTTP Basic the credentials are spelled as the configuration says: each value
 * form-urlencoded first, as the RFC has it (so a ":" in an ID cannot split the credentials in the wrong
 * place), or raw, as Blackbaud documents it for SKY API (see basicCredentials.ts).
 */
export function clientAuthentication(config: AppConfiguration, secrets: AppSecrets): ClientAuthentication {
  const clientId = config.clientId.trim();
  if (clientId === '') {
    throw new ConfigurationError({ code: 'invalid_configuration', description: 'The application ID (client_id) is empty.' });
  }
  switch (config.clientAuthMethod) {
    case 'client_secret_basic': {
      const authorization = basicAuthorization(clientId, requireSecret(config, secrets), basicCredentialEncodingOf(config));
      return { headers: { Authorization: authorization }, form: {} };
    }
    case 'client_secret_post':
      return { headers: {}, form: { client_id: clientId, client_secret: requireSecret(config, secrets) } };
    case 'none':
      // A public client identifies itself but proves nothing; PKCE is what protects its code.
      return { headers: {}, form: { client_id: clientId } };
  }
}

function withClientAuthentication(config: AppConfiguration, secrets: AppSecrets, grantForm: Record<string, string>): TokenEndpointRequest {
  const authentication = clientAuthentication(config, secrets);
  return {
    url: config.tokenEndpoint.trim(),
    form: { ...grantForm, ...authentication.form },
    headers: { Accept: 'application/json', ...authentication.headers },
  };
}

function requireSecret(config: AppConfiguration, secrets: AppSecrets): string {
  const secret = secrets.clientSecret;
  if (secret === undefined || secret === '') {
    throw new ConfigurationError({
      code: 'missing_client_secret',
      description: `Client authentication "${config.clientAuthMethod}" needs the application secret, but none is stored.`,
    });
  }
  return secret;
}

async function callTokenEndpoint(
  request: TokenEndpointRequest,
  options: TokenCallOptions,
  previous: PreviousTokens | undefined,
): Promise<TokenSet> {
  const requestOptions: { label: string; timeoutMs?: number; signal?: AbortSignal } = { label: 'The token endpoint' };
  if (options.timeoutMs !== undefined) {
    requestOptions.timeoutMs = options.timeoutMs;
  }
  if (options.signal !== undefined) {
    requestOptions.signal = options.signal;
  }
  const response = await options.http.postForm(request.url, request.form, request.headers, requestOptions);
  return parseTokenResponse(response, (options.now ?? Date.now)(), previous);
}
