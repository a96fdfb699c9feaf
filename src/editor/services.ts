// What the commands share, built once at activation. Nothing here does work up front: the HTTP client
// (and with it axios) is created on first use.
import * as vscode from 'vscode';
import { createHttpClient, type HttpClient } from '../core/http/httpClient';
import { PendingAuthorizations } from '../core/protocol/pendingAuthorizations';
import { validateConfiguration } from '../core/providers/presets';
import { loggingHttpClient } from './loggingHttpClient';
import { SecretStore } from './secretStore';
import { authorizationTimeoutMs, readConfiguration, requestTimeoutMs } from './settings';

export const AUTHORIZED_CONTEXT_KEY = 'authCodeFlow.authorized';
export const CONFIGURED_CONTEXT_KEY = 'authCodeFlow.configured';

export class ExtensionServices implements vscode.Disposable {
  readonly pending: PendingAuthorizations;
  readonly secrets: SecretStore;
  private httpClient: HttpClient | undefined;

  constructor(readonly context: vscode.ExtensionContext, readonly log: vscode.LogOutputChannel) {
    this.pending = new PendingAuthorizations({ ttlMs: authorizationTimeoutMs() });
    this.secrets = new SecretStore(context.secrets);
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

  /** Keeps menus and the walkthrough in step with what is configured and stored. */
  async updateContextKeys(): Promise<boolean> {
    const config = readConfiguration();
    const authorized = (await this.secrets.tokenSet(config)) !== undefined;
    await vscode.commands.executeCommand('setContext', CONFIGURED_CONTEXT_KEY, validateConfiguration(config).length === 0);
    await vscode.commands.executeCommand('setContext', AUTHORIZED_CONTEXT_KEY, authorized);
    return authorized;
  }

  dispose(): void {
    this.pending.dispose();
    this.secrets.dispose();
  }
}
