/**
 * One retry with the other Basic credential spelling (basicCredentials.ts) when the token endpoint answers
 * `invalid_client` and the two spellings differ for this ID and secret. A provider accepts only one of
 * them, and which one is not discoverable up front (SKY API compares the raw values, RFC 6749 servers
 * decode form-urlencoded ones), so the first refusal is the only way to learn it; the caller remembers
 * the spelling that worked, so it costs one extra request per app, once.
 *
 * Retrying a code exchange is safe because an authorization code refused with invalid_client was not
 * spent. RFC 6749 §4.1.3 has the server authenticate the client before it checks the code ("authenticate
 * the client if client authentication is included, ensure that the authorization code was issued to the
 * authenticated confidential client"), and §5.2 makes invalid_client the answer when that authentication
 * fails; oidc-provider runs its client authentication middleware before any grant handler
 * (panva/node-oidc-provider, lib/actions/token.js), and only the grant handler consumes the code
 * (lib/actions/grants/authorization_code.js), which the sandbox test proves. The same order protects a
 * rotating refresh token. Should a provider spend the code anyway, the retry gets invalid_grant, which is
 * reported as it is (authorize again): no token was issued for that code, so nothing is lost or revoked.
 */
import type { AppConfiguration, AppSecrets, BasicCredentialEncoding } from '../providers/appConfiguration';
import { basicCredentialEncodingOf, basicEncodingsDiffer, otherBasicCredentialEncoding } from './basicCredentials';
import { isOAuthError, type OAuthError, ProviderError } from '../errors/oauthError';

export interface BasicEncodingOutcome<T> {
  value: T;
  /** The encoding that worked when it was not the configured one: the caller remembers it for the app. */
  learned?: BasicCredentialEncoding;
}

/**
 * Runs `send` with `config`, and once more with the other Basic encoding if the provider refused the
 * client and the other encoding would put different credentials on the wire.
 */
export async function withBasicEncodingFallback<T>(
  config: AppConfiguration,
  secrets: AppSecrets,
  send: (config: AppConfiguration) => Promise<T>,
): Promise<BasicEncodingOutcome<T>> {
  try {
    return { value: await send(config) };
  } catch (error) {
    if (!isOAuthError(error) || error.code !== 'invalid_client' || !hasAlternative(config, secrets)) throw error;
    const other = otherBasicCredentialEncoding(basicCredentialEncodingOf(config));
    try {
      return { value: await send({ ...config, basicCredentialEncoding: other }), learned: other };
    } catch (retryError) {
      if (!isOAuthError(retryError) || retryError.code !== 'invalid_client') throw retryError;
      throw refusedBoth(retryError);
    }
  }
}

function hasAlternative(config: AppConfiguration, secrets: AppSecrets): boolean {
  const secret = secrets.clientSecret;
  return config.clientAuthMethod === 'client_secret_basic' && secret !== undefined && secret !== ''
    && basicEncodingsDiffer(config.clientId.trim(), secret);
}

function refusedBoth(error: OAuthError): OAuthError {
  return new ProviderError({
    code: error.code,
    // Still the provider's answer: only the advice is ours.
    fromErrorResponse: error instanceof ProviderError && error.fromErrorResponse,
    ...(error.description === undefined ? {} : { description: error.description }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.uri === undefined ? {} : { uri: error.uri }),
    hint: 'The provider refused the application ID and secret sent both ways HTTP Basic can spell them '
      + '(raw, and form-urlencoded as RFC 6749 §2.3.1 has it): check both values in Configure App, or try client_secret_post.',
    cause: error,
  });
}
