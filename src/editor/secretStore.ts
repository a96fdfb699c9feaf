// Everything secret lives here, in VS Code's SecretStorage (the OS keychain on desktop), and nowhere else:
// the application secret, the subscription key and the token set (one record, written atomically).
// Each remembers where it may be sent (core/providers/secretBinding.ts): settings are not a boundary.
import * as vscode from 'vscode';
import { APP_SECRET_NAMES, appSecretKey, tokenSetOwner, type AppSecretName } from '../core/apps/appKeys';
import type { AppConfiguration, AppSecrets } from '../core/providers/appConfiguration';
import {
  bindingFor, parseStoredSecret, SECRET_NAMES, serializeStoredSecret, type BoundSecret, type SecretBinding, type SecretDestinations, type StoredBinding,
} from '../core/providers/secretBinding';
import type { RefreshLease } from '../core/tokens/refreshLease';
import { secretWrite } from '../core/tokens/secretWrite';
import type { TokenSet } from '../core/tokens/tokenSet';

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

export interface TokenChange {
  readonly appId: string;
}

/** The editor's SecretStorage, per app: forApp(id) reads and writes that app's secrets only. */
export class SecretStore {
  /** Fires when an app's token set changes, in this window or another one. */
  readonly onDidChangeTokens: vscode.Event<TokenChange>;
  private readonly tokenChanges = new vscode.EventEmitter<TokenChange>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChangeTokens = this.tokenChanges.event;
    this.subscription = secrets.onDidChange((event) => {
      const appId = tokenSetOwner(event.key);
      if (appId !== undefined) this.tokenChanges.fire({ appId });
    });
  }

  forApp(appId: string): AppSecretStore {
    return new AppSecretStore(this.secrets, appId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.tokenChanges.dispose();
  }
}

/** One app's application secret, subscription key, token set and refresh lease. */
export class AppSecretStore {
  private readonly keys: Record<AppSecretName, string>;

  constructor(private readonly secrets: vscode.SecretStorage, readonly appId: string) {
    this.keys = Object.fromEntries(APP_SECRET_NAMES.map((name) => [name, appSecretKey(appId, name)])) as Record<AppSecretName, string>;
  }

  async appSecrets(): Promise<AppSecrets> {
    const [clientSecret, subscriptionKey] = await Promise.all([
      this.secrets.get(this.keys.clientSecret), this.secrets.get(this.keys.subscriptionKey)]);
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
    await secretWrite('The application secret', () => this.secrets.store(this.keys.clientSecret, raw));
  }

  /** Stores the key bound to the API's origin in `config`. */
  async storeSubscriptionKey(value: string, config: SecretDestinations): Promise<void> {
    const raw = serializeStoredSecret(value, bindingFor('subscriptionKey', config));
    await secretWrite('The subscription key', () => this.secrets.store(this.keys.subscriptionKey, raw));
  }

  /** Where a stored secret may be sent; the access token is the one stored for `app`. */
  async storedBinding(secret: BoundSecret, app: TokenApp): Promise<StoredBinding> {
    if (secret === 'accessToken') {
      const record = await this.tokenRecord(app);
      if (!record) return 'absent';
      return record.apiOrigin === undefined ? 'unbound' : { origin: record.apiOrigin };
    }
    const stored = parseStoredSecret(await this.secrets.get(this.keys[secret]));
    return stored?.binding ?? 'absent';
  }

  /** Binds a stored secret to a new destination (first use after an upgrade, or "Always"). */
  async bind(secret: BoundSecret, app: TokenApp, binding: SecretBinding): Promise<void> {
    if (secret === 'accessToken') {
      const record = await this.tokenRecord(app);
      if (!record) return;
      const rebound: StoredTokenRecord = { ...record, apiOrigin: binding.origin };
      await secretWrite('The tokens', () => this.secrets.store(this.keys.tokenSet, JSON.stringify(rebound)));
      return;
    }
    const key = this.keys[secret];
    const stored = parseStoredSecret(await this.secrets.get(key));
    if (!stored) return;
    await secretWrite(`The ${SECRET_NAMES[secret]}`, () => this.secrets.store(key, serializeStoredSecret(stored.value, binding)));
  }

  async deleteAppSecrets(): Promise<void> {
    await secretWrite('Deleting the application secret and subscription key', async () => {
      await Promise.all([this.secrets.delete(this.keys.clientSecret), this.secrets.delete(this.keys.subscriptionKey)]);
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
    await secretWrite('The tokens', () => this.secrets.store(this.keys.tokenSet, JSON.stringify(record)));
  }

  private async tokenRecord(config: TokenApp): Promise<StoredTokenRecord | undefined> {
    const raw = await this.secrets.get(this.keys.tokenSet);
    if (!raw) return undefined;
    const record = parseRecord(raw);
    if (!record || record.tokenEndpoint !== config.tokenEndpoint || record.clientId !== config.clientId) return undefined;
    return record;
  }

  async deleteTokenSet(): Promise<void> {
    await secretWrite('Deleting the stored tokens', () => this.secrets.delete(this.keys.tokenSet));
  }

  async refreshLease(): Promise<RefreshLease | undefined> {
    const raw = await this.secrets.get(this.keys.refreshLease);
    try {
      const value = raw ? JSON.parse(raw) as Partial<RefreshLease> : undefined;
      if (typeof value?.owner === 'string' && typeof value.fingerprint === 'string' && typeof value.expiresAt === 'number') {
        return { owner: value.owner, fingerprint: value.fingerprint, expiresAt: value.expiresAt };
      }
    } catch { /* a damaged lease is no lease */ }
    return undefined;
  }

  async storeRefreshLease(lease: RefreshLease): Promise<void> {
    await secretWrite('The refresh lease', () => this.secrets.store(this.keys.refreshLease, JSON.stringify(lease)));
  }

  async deleteRefreshLease(): Promise<void> {
    await secretWrite('Releasing the refresh lease', () => this.secrets.delete(this.keys.refreshLease));
  }

  /** Everything this app keeps in SecretStorage (Remove App): secret, key, tokens and lease. */
  async deleteAll(): Promise<void> {
    await secretWrite('Deleting the app\'s secrets and tokens', async () => {
      await Promise.all(APP_SECRET_NAMES.map((name) => this.secrets.delete(this.keys[name])));
    });
  }
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
