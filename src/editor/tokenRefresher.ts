// The single-flight refresh (core/tokens/refreshCoordinator) bound to the settings, SecretStorage and
// the HTTP client. Shared by Refresh Access Token, the status bar's auto-refresh and Call the API's
// "Refresh and retry", so all three share one request when they overlap.
import { describeClientAuthentication } from '../core/protocol/basicCredentials';
import { refreshAccessToken } from '../core/protocol/tokenRequest';
import { presetById } from '../core/providers/presets';
import { RefreshCoordinator, type RefreshOutcome } from '../core/tokens/refreshCoordinator';
import { effectiveConfiguration, sendTokenRequest } from './basicEncodingMemory';
import type { ExtensionServices } from './services';
import { preserveRefreshTokenEnabled, readConfiguration, requestTimeoutMs } from './settings';

/** Long enough for another window's token response to reach SecretStorage and be seen here. */
const INVALID_GRANT_SETTLE_MS = 2500;

export function createTokenRefresher(services: ExtensionServices): { refresh(): Promise<RefreshOutcome> } {
  return new RefreshCoordinator({
    load: () => services.secrets.tokenSet(readConfiguration()),
    refresh: async (current) => {
      const config = effectiveConfiguration(services);
      const preserve = presetById(config.preset).supportsPreserveRefreshToken && preserveRefreshTokenEnabled();
      services.log.info(`Step 7, refresh the access token with ${describeClientAuthentication(config)}`
        + `${preserve ? ', preserve_refresh_token=true' : ''}.`);
      const secrets = await services.secrets.appSecrets();
      // invalid_client is decided before the refresh token is looked at, so a rotating one is not spent.
      return sendTokenRequest(services, config, secrets, (attempt) => refreshAccessToken({
        config: attempt, secrets, refreshToken: current.refreshToken ?? '',
        ...(current.refreshTokenExpiresAt === undefined ? {} : { refreshTokenExpiresAt: current.refreshTokenExpiresAt }),
        ...(current.refreshTokenExpiresIn === undefined ? {} : { refreshTokenExpiresIn: current.refreshTokenExpiresIn }),
        ...(preserve ? { preserveRefreshToken: true } : {}),
        http: services.http(), timeoutMs: requestTimeoutMs(),
      }));
    },
    store: (next) => services.secrets.storeTokenSet(readConfiguration(), next),
    clear: () => services.secrets.deleteTokenSet(),
    settle: () => new Promise((resolve) => setTimeout(resolve, INVALID_GRANT_SETTLE_MS)),
  });
}
