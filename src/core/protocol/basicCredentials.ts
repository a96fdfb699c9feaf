/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1) in the two spellings providers expect.
 *
 * RFC 6749 §2.3.1 says the client_id and the secret are each application/x-www-form-urlencoded before they
 * are joined with ":" and base64-encoded. Blackbaud documents `Basic <base64 encoded Application
 * ID:Application secret>` (blackbaud/sky-api-docs, includes/authcodeflow/step4.md) and every official
 * sample sends the raw values: the PHP sample `base64_encode(AUTH_CLIENT_ID . ':' . AUTH_CLIENT_SECRET)`
 * (blackbaud/sky-api-tutorial-auth-code-php, includes/blackbaud/auth.php), the C# sample
 * `Base64Encode(AuthClientId + ":" + AuthClientSecret)` (blackbaud/sky-api-tutorial-auth-code-c-sharp,
 * Services/AuthenticationService.cs), and the Node sample switches simple-oauth2 to
 * `credentialsEncodingMode: 'loose'` (blackbaud/sky-api-tutorial-auth-code-nodejs, server/routes/auth.js),
 * which skips the form encoding (lelylan/simple-oauth2, lib/client/credentials-encoding.js).
 *
 * For a secret made of letters and digits the two spellings are the same bytes. With `+`, `/` or `=` (a
 * base64-looking secret) they differ, and a provider accepts only the one it decodes: an RFC server reads
 * a raw `+` as a space, a raw-comparing one sees `%2B` where it expects `+`.
 */
import { formUrlEncodeComponent } from '../http/formUrlEncoding';
import type { AppConfiguration, BasicCredentialEncoding } from '../providers/appConfiguration';
import { presetById } from '../providers/presets';

/** The encoding the configuration asks for: its own, else its preset's. */
export function basicCredentialEncodingOf(config: Pick<AppConfiguration, 'preset' | 'basicCredentialEncoding'>): BasicCredentialEncoding {
  return config.basicCredentialEncoding ?? presetById(config.preset).basicCredentialEncoding;
}

export function otherBasicCredentialEncoding(encoding: BasicCredentialEncoding): BasicCredentialEncoding {
  return encoding === 'raw' ? 'form-urlencoded' : 'raw';
}

/** The `Authorization` header value. */
export function basicAuthorization(clientId: string, secret: string, encoding: BasicCredentialEncoding): string {
  const spell = encoding === 'raw' ? (value: string) => value : formUrlEncodeComponent;
  return `Basic ${Buffer.from(`${spell(clientId)}:${spell(secret)}`, 'utf8').toString('base64')}`;
}

/** Whether the two encodings put different bytes on the wire for these credentials. */
export function basicEncodingsDiffer(clientId: string, secret: string): boolean {
  return formUrlEncodeComponent(clientId) !== clientId || formUrlEncodeComponent(secret) !== secret;
}

/** What the encoding does, for the log and the request previews (names the values, never shows them). */
export function describeBasicCredentialEncoding(encoding: BasicCredentialEncoding): string {
  return encoding === 'raw'
    ? 'base64 of the raw "ID:secret", as Blackbaud documents it'
    : 'base64 of "ID:secret" with each value form-urlencoded first (RFC 6749 §2.3.1)';
}

/** How the token requests authenticate, for the log: the method and, for Basic, the spelling. */
export function describeClientAuthentication(config: Pick<AppConfiguration, 'preset' | 'clientAuthMethod' | 'basicCredentialEncoding'>): string {
  return config.clientAuthMethod === 'client_secret_basic'
    ? `client_secret_basic client authentication (${describeBasicCredentialEncoding(basicCredentialEncodingOf(config))})`
    : `${config.clientAuthMethod} client authentication`;
}

/** The log line once a retry found the encoding this provider accepts. No value is named, only spellings. */
export function learnedEncodingMessage(learned: BasicCredentialEncoding): string {
  const refused = otherBasicCredentialEncoding(learned);
  return `The token endpoint refused the Basic credentials spelled ${refused} (invalid_client) and accepted them ${learned}: `
    + `${describeBasicCredentialEncoding(learned)}. Token requests for this application ID and token endpoint use ${learned} from now on.`;
}
