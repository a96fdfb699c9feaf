/**
 * What a provider preset declares, as a type of its own: the presets (presets.ts) are values of it, and
 * the per-preset checks (presetChecks.ts) read it without depending on the preset list.
 */
import type { BasicCredentialEncoding, ClientAuthMethod, LoopbackHost, PresetId, RedirectMode } from './appConfiguration';

export interface ProviderPreset {
  id: PresetId;
  label: string;
  description: string;
  /** Empty when the user (generic) or the runtime (sandbox) supplies it. */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  apiBaseUrl: string;
  issuer?: string;
  scopes: readonly string[];
  clientAuthMethod: ClientAuthMethod;
  /** How client_secret_basic spells the credentials first (see protocol/basicCredentials.ts). */
  basicCredentialEncoding: BasicCredentialEncoding;
  usePkce: boolean;
  redirectMode: RedirectMode;
  loopbackPort: number;
  loopbackHost: LoopbackHost;
  /** Whether the provider accepts the editor's vscode:// redirect URI at all. */
  acceptsVscodeSchemeRedirect: boolean;
  /** Whether the registered redirect URI must match the port exactly (so port 0 cannot work). */
  requiresExactLoopbackPort: boolean;
  subscriptionKeyHeader?: string;
  /**
   * Whether `authCodeFlow.preserveRefreshToken` may add `preserve_refresh_token=true` to refreshes. SKY is
   * said to accept it, but no Blackbaud source was found (blackbaud/sky-api-docs and the official
   * sky-api-tutorial-auth-code-nodejs/-php/-c-sharp samples never mention it): unconfirmed, off by default.
   */
  supportsPreserveRefreshToken: boolean;
  extraAuthorizationParams: Readonly<Record<string, string>>;
  /** A harmless GET to try the token on, relative to apiBaseUrl. */
  defaultApiPath: string;
  /**
   * Issuer-based providers: Configure App asks for the issuer (prompt and placeholder as written here) and
   * fills the endpoints from its discovery document. `issuerTemplate` shows the documented shape.
   */
  discovery?: PresetDiscovery;
  /** Endpoints hold `{tenant}`, filled from AppConfiguration.tenant (Microsoft Entra ID). */
  tenant?: PresetTenant;
  /** Authorization parameters Configure App asks for; an empty answer is not sent (Auth0's audience). */
  askedAuthorizationParams?: readonly AskedParameter[];
  /** An OpenID Provider, so OpenID Connect Core §11 applies to offline_access (protocol/offlineAccess.ts). */
  openIdProvider?: boolean;
  /**
   * What the provider needs before it issues a refresh token, as a sentence; when set, Authorize App
   * says it whenever no refresh token came (protocol/offlineAccess.ts).
   */
  refreshTokenRequirement?: string;
  /**
   * The provider documents that `offline_access` alone brings a refresh token, so OpenID Connect Core §11's
   * prompt=consent is not added (protocol/offlineAccess.ts) and users are not shown consent every time.
   */
  offlineAccessWithoutConsent?: boolean;
}

export interface PresetDiscovery {
  issuerPrompt: string;
  issuerPlaceholder: string;
  issuerTemplate?: string;
  /** The endpoints may be entered by hand instead, so no issuer is required (the generic provider). */
  issuerOptional?: boolean;
}

export interface PresetTenant {
  /** Used until the user names one. */
  defaultTenant: string;
  prompt: string;
  placeholder: string;
}

export interface AskedParameter {
  name: string;
  prompt: string;
  placeholder: string;
}
