// What the commands share, built once when dist/commands.js loads. Nothing here does work up front: the
// HTTP client (and with it axios) is created on first use.
import type * as vscode from 'vscode';
import type { NamedApp } from '../core/apps/namedApp';
import { createHttpClient, type HttpClient } from '../core/http/httpClient';
import { PendingAuthorizations } from '../core/protocol/pendingAuthorizations';
import type { ReceivedCallback } from '../core/protocol/wirePreview';
import type { CommandShell } from './commandShell';
import { loggingHttpClient } from './loggingHttpClient';
import type { AppRegistry } from './apps/appRegistry';
import type { AppSecretStore, SecretStore } from './secretStore';
import { authorizationTimeoutMs, requestTimeoutMs } from './settings';
import { createTokenRefresher } from './tokenRefresher';
import { ReadOnlyDocuments } from './views/readOnlyDocuments';

export class ExtensionServices implements vscode.Disposable {
  readonly pending: PendingAuthorizations;
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly secrets: SecretStore;
  readonly apps: AppRegistry;
  /** The read-only editors: tokens view, API responses, request previews. */
  readonly documents = new ReadOnlyDocuments();
  /** The last accepted callback, redacted before it was kept; for the walkthrough's step 3 preview. */
  lastCallback: ReceivedCallback | undefined;
  /** Per app id, the path of the last Call the API, offered again next time (a path, never a credential). */
  readonly lastApiPaths = new Map<string, string>();
  private httpClient: HttpClient | undefined;
  /** Per app id, the one refresh in flight, shared by every caller in this window. */
  private readonly refreshers = new Map<string, ReturnType<typeof createTokenRefresher>>();

  constructor(private readonly shell: CommandShell) {
    ({ context: this.context, log: this.log, secrets: this.secrets, apps: this.apps } = shell);
    this.pending = new PendingAuthorizations({ ttlMs: authorizationTimeoutMs() });
  }

  /**
   * The app a command acts on, fixed when it starts: the active one, or `appId`'s (a status bar refresh,
   * an Apps view item). A switch while the command runs (Authorize App waiting for the browser) does not
   * change which app its tokens are stored for. Undefined when there is no such app.
   */
  pinApp(appId?: string): PinnedApp | undefined {
    const app = appId === undefined ? this.apps.active() : this.apps.byId(appId);
    return app && { ...app, secrets: this.secrets.forApp(app.id) };
  }

  /** The app's single-flight refresh (core/tokens/refreshCoordinator), made on first use. */
  refresherFor(appId: string): ReturnType<typeof createTokenRefresher> {
    let refresher = this.refreshers.get(appId);
    if (!refresher) {
      refresher = createTokenRefresher(this, appId);
      this.refreshers.set(appId, refresher);
    }
    return refresher;
  }

  /** The HTTP client, with the request timeout the user configured. */
  http(): HttpClient {
    this.httpClient ??= loggingHttpClient(createHttpClient({ timeoutMs: requestTimeoutMs() }), this.log);
    return this.httpClient;
  }

  /** Re-reads the settings that shape the HTTP client next time it is needed. */
  onSettingsChanged(): void {
    this.httpClient = undefined;
  }

  /** Keeps menus, the walkthrough and the status bar in step with what is configured and stored. */
  stateChanged(note?: { refreshFailed?: boolean }): Promise<void> {
    return this.shell.stateChanged(note);
  }

  dispose(): void {
    this.refreshers.clear();
    this.pending.dispose();
    this.documents.dispose();
  }
}

/** A NamedApp with its own secrets, as a command pinned it (ExtensionServices.pinApp). */
export interface PinnedApp extends NamedApp {
  readonly secrets: AppSecretStore;
}
