// What the commands share, built once when dist/commands.js loads. Nothing here does work up front: the
// HTTP client (and with it axios) is created on first use.
import type * as vscode from 'vscode';
import { createHttpClient, type HttpClient } from '../core/http/httpClient';
import { PendingAuthorizations } from '../core/protocol/pendingAuthorizations';
import type { ReceivedCallback } from '../core/protocol/wirePreview';
import type { CommandShell } from './commandShell';
import { loggingHttpClient } from './loggingHttpClient';
import type { SecretStore } from './secretStore';
import { authorizationTimeoutMs, requestTimeoutMs } from './settings';
import { createTokenRefresher } from './tokenRefresher';
import { ReadOnlyDocuments } from './views/readOnlyDocuments';

export class ExtensionServices implements vscode.Disposable {
  readonly pending: PendingAuthorizations;
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly secrets: SecretStore;
  /** The one refresh in flight, shared by every caller in this window. */
  readonly refresher: ReturnType<typeof createTokenRefresher>;
  /** The read-only editors: tokens view, API responses, request previews. */
  readonly documents = new ReadOnlyDocuments();
  /** The last accepted callback, redacted before it was kept; for the walkthrough's step 3 preview. */
  lastCallback: ReceivedCallback | undefined;
  /** The path of the last Call the API, offered again next time (a path, never a credential). */
  lastApiPath: string | undefined;
  private httpClient: HttpClient | undefined;

  constructor(private readonly shell: CommandShell) {
    ({ context: this.context, log: this.log, secrets: this.secrets } = shell);
    this.pending = new PendingAuthorizations({ ttlMs: authorizationTimeoutMs() });
    this.refresher = createTokenRefresher(this);
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
    this.pending.dispose();
    this.documents.dispose();
  }
}
