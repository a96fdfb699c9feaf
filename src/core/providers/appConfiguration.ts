/**
 * What the user configured for one OAuth 2.0 application. Plain data: the editor layer reads it from
 * settings, the core and the snippet generators consume it. Secrets are deliberately NOT part of it —
 * they live in SecretStorage and travel separately as {@link AppSecrets}, so a configuration object can be
 * logged, shown or turned into a snippet without leaking anything.
 */

export type PresetId = 'sky' | 'generic' | 'sandbox' | 'entra' | 'google' | 'github' | 'okta' | 'auth0' | 'keycloak';

/** RFC 6749 §2.3 client authentication at the token endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/**
 * How HTTP Basic client authentication spells `client_id:client_secret` before base64. RFC 6749 §2.3.1
 * form-urlencodes each value first; Blackbaud documents and samples `base64(Application ID:Application
 * secret)` with the raw values (see protocol/basicCredentials.ts). They differ only when the ID or
 * secret contains a character the form encoding changes, such as `+`, `/` or `=`.
 */
export type BasicCredentialEncoding = 'form-urlencoded' | 'raw';

/** How the browser hands the authorization response back to the editor. */
export type RedirectMode = 'uriHandler' | 'loopback';

export type LoopbackHost = 'localhost' | '127.0.0.1';

export interface AppConfiguration {
  preset: PresetId;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Base URL that API paths are resolved against (e.g. https://api.sky.blackbaud.com). */
  apiBaseUrl: string;
  /**
   * Expected `iss` of authorization responses (RFC 9207), checked only when set; also the `iss` an ID
   * token must carry (OpenID Connect Core §3.1.3.7 step 2), and where its keys are looked up when
   * `jwksUri` is absent.
   */
  issuer?: string;
  /**
   * The issuer's JWK Set (its `jwks_uri`, OpenID Connect Discovery §3): the keys ID tokens are verified
   * with. Discovery fills it; when absent, the ID-token check reads it from
   * `<issuer>/.well-known/openid-configuration` itself.
   */
  jwksUri?: string;
  /**
   * RFC 7009 token revocation endpoint (discovery's `revocation_endpoint`, RFC 8414 §2). Sign Out revokes
   * the refresh token there; without one, tokens stay valid at the provider until they expire.
   */
  revocationEndpoint?: string;
  clientId: string;
  scopes: string[];
  clientAuthMethod: ClientAuthMethod;
  /**
   * For client_secret_basic: how the credentials are spelled. Absent means the preset's choice; the
   * editor sets it to what the provider was seen to accept for this app (editor/basicEncodingMemory.ts).
   */
  basicCredentialEncoding?: BasicCredentialEncoding;
  /** PKCE S256 (RFC 7636). On unless the provider rejects it. */
  usePkce: boolean;
  redirectMode: RedirectMode;
  /** Loopback port; 0 asks the OS for a free one (only for providers that accept any loopback port). */
  loopbackPort: number;
  /**
   * Host name in the loopback redirect URI. RFC 8252 §8.3 prefers `127.0.0.1`; SKY API's documentation
   * registers `http://localhost:PORT`, and the provider compares the string exactly.
   */
  loopbackHost: LoopbackHost;
  /**
   * Loopback mode: the redirect URI registered at the provider when it is not
   * `http://{loopbackHost}:{loopbackPort}/callback`, i.e. the URI the editor forwards the port to on a remote
   * host whose browser runs elsewhere (Configure App records the one it showed for registration there).
   */
  registeredRedirectUri?: string;
  /** Header that carries the API subscription key, e.g. SKY API's `Bb-Api-Subscription-Key`. */
  subscriptionKeyHeader?: string;
  /** Extra authorization request parameters (e.g. `prompt`, `audience`). */
  extraAuthorizationParams: Record<string, string>;
  /**
   * SKY API's optional `environment_id` authorization parameter: it filters the environments the consent
   * page offers (blackbaud/sky-api-docs includes/authcodeflow/step1.md). Set only for the SKY preset.
   */
  environmentId?: string;
  /**
   * Microsoft Entra ID's `{tenant}` path segment of the v2.0 endpoints: `common`, `organizations`,
   * `consumers`, a tenant ID (GUID) or a verified domain (MicrosoftDocs/entra-docs
   * docs/identity-platform/v2-oauth2-auth-code-flow.md, "tenant"). Set only for the Entra preset.
   */
  tenant?: string;
  /**
   * The provider announced `authorization_response_iss_parameter_supported` (RFC 9207 §3), so an
   * authorization response without `iss` is refused for this app, as authCodeFlow.requireIssuer does for all.
   */
  requireIssuerParameter?: boolean;
  /** The metadata URL the endpoints were discovered from (RFC 8414 §3 / OpenID Connect Discovery §4). */
  discoveredFrom?: string;
  /**
   * The provider is an OpenID Provider (its openid-configuration answered, or its scopes_supported lists
   * `openid`): OpenID Connect Core §11 then applies to `offline_access` (see protocol/offlineAccess.ts).
   */
  openIdProvider?: boolean;
}

/** The values that only ever live in SecretStorage. */
export interface AppSecrets {
  clientSecret?: string;
  subscriptionKey?: string;
}
