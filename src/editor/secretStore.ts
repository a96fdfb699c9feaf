// Everything secret lives here, in VS Code's SecretStorage (the OS keychain on desktop), and nowhere else:
// the application secret, the subscription key and the token set (one record, written atomically).
import * as vscode from 'vscode';
import type { AppConfiguration, AppSecrets } from '../core/providers/appConfiguration';
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
  tokenSet: TokenSet;
}

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
    return {
      ...(clientSecret ? { clientSecret } : {}),
      ...(subscriptionKey ? { subscriptionKey } : {}),
    };
  }

  async storeClientSecret(value: string): Promise<void> {
    await secretWrite('The application secret', () => this.secrets.store(CLIENT_SECRET_KEY, value));
  }

  async storeSubscriptionKey(value: string): Promise<void> {
    await secretWrite('The subscription key', () => this.secrets.store(SUBSCRIPTION_KEY_KEY, value));
  }

  async deleteAppSecrets(): Promise<void> {
    await secretWrite('Deleting the application secret and subscription key', async () => {
      await Promise.all([this.secrets.delete(CLIENT_SECRET_KEY), this.secrets.delete(SUBSCRIPTION_KEY_KEY)]);
    });
  }

  /** The stored token set, if it was issued to the application configured now. */
  async tokenSet(config: Pick<AppConfiguration, 'tokenEndpoint' | 'clientId'>): Promise<TokenSet | undefined> {
    const raw = await this.secrets.get(TOKEN_SET_KEY);
    if (!raw) return undefined;
    const record = parseRecord(raw);
    if (!record || record.tokenEndpoint !== config.tokenEndpoint || record.clientId !== config.clientId) return undefined;
    return record.tokenSet;
  }

  async storeTokenSet(config: Pick<AppConfiguration, 'tokenEndpoint' | 'clientId'>, tokenSet: TokenSet): Promise<void> {
    const record: StoredTokenRecord = { version: 1, tokenEndpoint: config.tokenEndpoint, clientId: config.clientId, tokenSet };
    await secretWrite('The tokens', () => this.secrets.store(TOKEN_SET_KEY, JSON.stringify(record)));
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

function parseRecord(raw: string): StoredTokenRecord | undefined {
  try {
    const value = JSON.parse(raw) as Partial<StoredTokenRecord>;
    if (value.version === 1 && typeof value.tokenSet?.accessToken === 'string'
      && typeof value.tokenEndpoint === 'string' && typeof value.clientId === 'string') {
      return value as StoredTokenRecord;
    }
  } catch { /* a damaged record is treated as absent; the next authorization overwrites it */ }
  return undefined;
}
