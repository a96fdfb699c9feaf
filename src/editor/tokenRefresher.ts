// The single-flight refresh (core/tokens/refreshCoordinator) of one app, bound to its configuration,
// its SecretStorage keys and the HTTP client. Shared by Refresh Access Token, the status bar's
// auto-refresh and Call the API's "Refresh and retry", so all three share one request when they overlap.
// One per app (services.refresherFor): two apps refresh independently, each with its own lease.
import { describeClientAuthentication } from '../core/protocol/basicCredentials';
import { refreshAccessToken } from '../core/protocol/tokenRequest';
import { presetById } from '../core/providers/presets';
import { randomBase64Url } from '../core/protocol/randomToken';
import { ConfigurationError, ProviderError } from '../core/errors/oauthError';
import { withIdTokenChecked } from '../core/tokens/idTokenVerification';
import { RefreshCoordinator, type RefreshOutcome } from '../core/tokens/refreshCoordinator';
import { effectiveConfiguration, sendTokenRequest } from './basicEncodingMemory';
import { loadIdTokenVerifier } from './idTokenVerifier';
import type { ExtensionServices } from './services';
import { preserveRefreshTokenEnabled, requestTimeoutMs } from './settings';

/** Long enough for another window's token response to reach SecretStorage and be seen here. */
const INVALID_GRANT_SETTLE_MS = 2500;
/**
 * Long enough for a lease written here to reach the other windows before it is read back: ten times VS
 * Code's storage flush delay (see core/tokens/refreshLease.ts). It delays every refresh by this much.
 */
const LEASE_SETTLE_MS = 1000;
/** How often a window that waits on another's lease looks for the new tokens. */
const LEASE_POLL_MS = 250;

export function createTokenRefresher(services: ExtensionServices, appId: string): { refresh(): Promise<RefreshOutcome> } {
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const secrets = services.secrets.forApp(appId);
  /** The app as configured now (a refresh uses today's endpoint); gone when it was removed meanwhile. */
  const app = () => {
    const found = services.apps.byId(appId);
    if (!found) throw new ConfigurationError({
      code: 'app_removed',
      description: 'The app was removed (perhaps in another window), so its tokens were not refreshed.',
      hint: 'Run Configure App to add it again, then Authorize App.',
    });
    return found;
  };
  return new RefreshCoordinator({
    load: async () => {
      const found = services.apps.byId(appId);
      return found ? secrets.tokenSet(found.configuration) : undefined;
    },
    refresh: async (current) => {
      const config = effectiveConfiguration(services, app());
      const preserve = presetById(config.preset).supportsPreserveRefreshToken && preserveRefreshTokenEnabled();
      services.log.info(`Step 7, refresh the access token of "${app().name}" with ${describeClientAuthentication(config)}`
        + `${preserve ? ', preserve_refresh_token=true' : ''}.`);
      const appSecrets = await secrets.appSecrets();
      // invalid_client is decided before the refresh token is looked at, so a rotating one is not spent.
      const next = await sendTokenRequest(services, appId, config, appSecrets, (attempt) => refreshAccessToken({
        config: attempt, secrets: appSecrets, refreshToken: current.refreshToken ?? '',
        ...(current.refreshTokenExpiresAt === undefined ? {} : { refreshTokenExpiresAt: current.refreshTokenExpiresAt }),
        ...(current.refreshTokenExpiresIn === undefined ? {} : { refreshTokenExpiresIn: current.refreshTokenExpiresIn }),
        ...(preserve ? { preserveRefreshToken: true } : {}),
        http: services.http(), timeoutMs: requestTimeoutMs(),
      }));
      // An ID token in a refresh response is checked like the first one, without a nonce (OpenID Connect
      // Core §12.2); the coordinator stores only what this returns.
      return withIdTokenChecked(next, config, { kind: 'refresh', previous: current }, {
        loadVerifier: () => loadIdTokenVerifier(services), now: Date.now,
      }).catch((error: unknown) => {
        if (!(error instanceof ProviderError) || error.code !== 'invalid_id_token') throw error;
        throw new ProviderError({
          code: error.code, ...(error.description === undefined ? {} : { description: error.description }),
          hint: `${error.hint} The refresh token just sent may be used up (a provider that rotates refresh tokens issues a new one with each `
            + 'refresh, and this response was not kept), so the next refresh may need Authorize App.',
        });
      });
    },
    store: (next) => secrets.storeTokenSet(app().configuration, next),
    clear: () => secrets.deleteTokenSet(),
    settle: () => pause(INVALID_GRANT_SETTLE_MS),
    lease: {
      // One per window and app: dist/commands.js loads once per extension host, and each window has its own.
      owner: randomBase64Url(16),
      // The request may be sent twice (the Basic-encoding fallback), then the invalid_grant settle.
      get ttlMs() { return 2 * requestTimeoutMs() + INVALID_GRANT_SETTLE_MS + LEASE_SETTLE_MS; },
      settleMs: LEASE_SETTLE_MS,
      pollMs: LEASE_POLL_MS,
      now: () => Date.now(),
      pause,
      read: () => secrets.refreshLease(),
      write: (lease) => secrets.storeRefreshLease(lease),
      remove: () => secrets.deleteRefreshLease(),
    },
  });
}
