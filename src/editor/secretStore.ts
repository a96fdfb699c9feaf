// Everything secret lives here, in VS Code's SecretStorage (the OS keychain on desktop), and nowhere else:
// the application secret, the subscription key and the token set (one record, written atomically).
// Each remembers where it may be sent (core/providers/secretBinding.ts): settings are not a boundary.
import * as vscode from 'vscode';
import type { AppConfiguration, AppSecrets } from '../core/providers/appConfiguration';
import {
  bindingFor, parseStoredSecret, SECRET_NAMES, serializeStoredSecret, type BoundSecret, type SecretBinding, type SecretDestinations, type StoredBinding,
} from '../core/providers/secretBinding';
import type { RefreshLease } from '../core/tokens/refreshLease';
import { secretWrite } from '../core/tokens/secretWrite';
import type { TokenSet } from '../core/tokens/tokenSet';

const CLIENT_SECRET_KEY = 'authCodeFlow.clientSecret';
const SUBSCRIPTION_KEY_KEY = 'authCodeFlow.subscriptionKey';
const TOKEN_SET_KEY = 'authCodeFlow.tokenSet';
/** Which window is spending the refresh token (core/tokens/refreshLease.ts); holds a hash, never the token. */
const REFRESH_LEASE_KEY = 'authCodeFlow.refreshLease';

/** Tokens remember which application they were issued to, so reconfiguring never reuses them by mistake. */
interface StoredTokenRecord {
  version: 1;
  tokenEndpoint: string;
  clientId: string;
  /** The API origin the access token may be sent to; absent in records from before bindings. */
  apiOrigin?: string;
  tokenSet: TokenSet;
}

type TokenApp = Pick<AppConfiguration, 'tokenEndpoint' | 'clientId'>;

export class SecretStore {
  /** Fires when the token set changes, in this window or another one. */
  readonly onDidChangeTokens: vscode.Event<void>;
  private readonly tokenChanges = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChangeTokens = this.tokenChanges.event;
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === TOKEN_SET_KEY) this.tokenChanges.fire();
    });
  }

  async appSecrets(): Promise<AppSecrets> {
    const [clientSecret, subscriptionKey] = await Promise.all([
      this.secrets.get(CLIENT_SECRET_KEY), this.secrets.get(SUBSCRIPTION_KEY_KEY)]);
    const client = parseStoredSecret(clientSecret);
    const key = parseStoredSecret(subscriptionKey);
    return {
      ...(client ? { clientSecret: client.value } : {}),
      ...(key ? { subscriptionKey: key.value } : {}),
    };
  }

  /** Stores the secret bound to where `config` sends it (the token endpoint's origin and client ID). */
  async storeClientSecret(value: string, config: SecretDestinations): Promise<void> {
    const raw = serializeStoredSecret(value, bindingFor('clientSecret', config));
    await secretWrite('The application secret', () => this.secrets.store(CLIENT_SECRET_KEY, raw));
  }

  /** Stores the key bound to the API's origin in `config`. */
  async storeSubscriptionKey(value: string, config: SecretDestinations): Promise<void> {
    const raw = serializeStoredSecret(value, bindingFor('subscriptionKey', config));
    await secretWrite('The subscription key', () => this.secrets.store(SUBSCRIPTION_KEY_KEY, raw));
  }

  /** Where a stored secret may be sent; the access token is the one stored for `app`. */
  async storedBinding(secret: BoundSecret, app: TokenApp): Promise<StoredBinding> {
    if (secret === 'accessToken') {
      const record = await this.tokenRecord(app);
      if (!record) return 'absent';
      return record.apiOrigin === undefined ? 'unbound' : { origin: record.apiOrigin };
    }
    const stored = parseStoredSecret(await this.secrets.get(secretKey(secret)));
    return stored?.binding ?? 'absent';
  }

  /** Binds a stored secret to a new destination (first use after an upgrade, or "Always"). */
  async bind(secret: BoundSecret, app: TokenApp, binding: SecretBinding): Promise<void> {
    if (secret === 'accessToken') {
      const record = await this.tokenRecord(app);
      if (!record) return;
      const rebound: StoredTokenRecord = { ...record, apiOrigin: binding.origin };
      await secretWrite('The tokens', () => this.secrets.store(TOKEN_SET_KEY, JSON.stringify(rebound)));
      return;
    }
    const key = secretKey(secret);
    const stored = parseStoredSecret(await this.secrets.get(key));
    if (!stored) return;
    await secretWrite(`The ${SECRET_NAMES[secret]}`, () => this.secrets.store(key, serializeStoredSecret(stored.value, binding)));
  }

  async deleteAppSecrets(): Promise<void> {
    await secretWrite('Deleting the application secret and subscription key', async () => {
      await Promise.all([this.secrets.delete(CLIENT_SECRET_KEY), this.secrets.delete(SUBSCRIPTION_KEY_KEY)]);
    });
  }

  /** The stored token set, if it was issued to the application configured now. */
  async tokenSet(config: TokenApp): Promise<TokenSet | undefined> {
    return (await this.tokenRecord(config))?.tokenSet;
  }

  /**
   * Stores the set for the app in `config`. A set replacing one of the same app (a refresh, a new
   * authorization) keeps the API origin its predecessor was bound to: only the user rebinds it. A first
   * set is bound to the API origin configured now.
   */
  async storeTokenSet(config: TokenApp & Pick<AppConfiguration, 'apiBaseUrl'>, tokenSet: TokenSet): Promise<void> {
    const previous = await this.tokenRecord(config).catch(() => undefined);
    const apiOrigin = previous ? previous.apiOrigin : bindingFor('accessToken', config).origin;
    const record: StoredTokenRecord = {
      version: 1, tokenEndpoint: config.tokenEndpoint, clientId: config.clientId,
      ...(apiOrigin === undefined ? {} : { apiOrigin }), tokenSet,
    };
    await secretWrite('The tokens', () => this.secrets.store(TOKEN_SET_KEY, JSON.stringify(record)));
  }

  private async tokenRecord(config: TokenApp): Promise<StoredTokenRecord | undefined> {
    const raw = await this.secrets.get(TOKEN_SET_KEY);
    if (!raw) return undefined;
    const record = parseRecord(raw);
    if (!record || record.tokenEndpoint !== config.tokenEndpoint || record.clientId !== config.clientId) return undefined;
    return record;
  }

  async deleteTokenSet(): Promise<void> {
    await secretWrite('Deleting the stored tokens', () => this.secrets.delete(TOKEN_SET_KEY));
  }

  async refreshLease(): Promise<RefreshLease | undefined> {
    const raw = await this.secrets.get(REFRESH_LEASE_KEY);
    try {
      const value = raw ? JSON.parse(raw) as Partial<RefreshLease> : undefined;
      if (typeof value?.owner === 'string' && typeof value.fingerprint === 'string' && typeof value.expiresAt === 'number') {
        return { owner: value.owner, fingerprint: value.fingerprint, expiresAt: value.expiresAt };
      }
    } catch { /* a damaged lease is no lease */ }
    return undefined;
  }

  async storeRefreshLease(lease: RefreshLease): Promise<void> {
    await secretWrite('The refresh lease', () => this.secrets.store(REFRESH_LEASE_KEY, JSON.stringify(lease)));
  }

  async deleteRefreshLease(): Promise<void> {
    await secretWrite('Releasing the refresh lease', () => this.secrets.delete(REFRESH_LEASE_KEY));
  }

  dispose(): void {
    this.subscription.dispose();
    this.tokenChanges.dispose();
  }
}

function secretKey(secret: Exclude<BoundSecret, 'accessToken'>): string {
  return secret === 'clientSecret' ? CLIENT_SECRET_KEY : SUBSCRIPTION_KEY_KEY;
}

function parseRecord(raw: string): StoredTokenRecord | undefined {
  try {
    const value = JSON.parse(raw) as Partial<StoredTokenRecord>;
    if (value.version === 1 && typeof value.tokenSet?.accessToken === 'string'
      && typeof value.tokenEndpoint === 'string' && typeof value.clientId === 'string'
      && (value.apiOrigin === undefined || typeof value.apiOrigin === 'string')) {
      return value as StoredTokenRecord;
    }
  } catch { /* a damaged record is treated as absent; the next authorization overwrites it */ }
  return undefined;
}
