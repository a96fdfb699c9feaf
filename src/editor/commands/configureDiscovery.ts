// Configure App's discovery path: for "Any OAuth 2.0 / OpenID provider" and every preset that declares
// `discovery`, ask the issuer URL, read the provider's metadata (RFC 8414 / OpenID Connect Discovery) with
// progress and cancellation, and show what was found and chosen before Configure App goes on to the
// client ID and secret. Leaving the issuer empty, or choosing so after a failure, keeps the manual path.
import * as vscode from 'vscode';
import { isOAuthError } from '../../core/errors/oauthError';
import type { DiscoveryResult } from '../../core/protocol/discovery';
import type { AppConfiguration } from '../../core/providers/appConfiguration';
import type { DiscoveredConfiguration } from '../../core/providers/discoveredConfiguration';
import type { ProviderPreset } from '../../core/providers/presets';
import { sanitizeForDisplay } from '../../core/text/displayText';
import type { ExtensionServices } from '../services';
import { requestTimeoutMs } from '../settings';

export type DiscoveryStep =
  | { kind: 'discovered'; configuration: DiscoveredConfiguration['configuration'] }
  | { kind: 'manual' }
  | { kind: 'abandoned' };

const MANUAL = 'Enter Endpoints Manually';
const TRY_AGAIN = 'Try Again';
const CONTINUE = 'Continue';

/** `title` gives the next step's title ("Configure App (step n)"). */
export async function configureFromIssuer(
  services: ExtensionServices, preset: ProviderPreset, config: AppConfiguration, title: () => string,
): Promise<DiscoveryStep> {
  const prompts = preset.discovery ?? {
    issuerPrompt: 'Issuer URL of the provider; leave empty to enter the endpoints yourself',
    issuerPlaceholder: 'https://login.example.com',
  };
  // dist/discovery.js, loaded on this path only (see esbuild.mjs).
  const { discover, issuerProblem, configurationFromMetadata } = await import('../../discovery');
  let issuer = config.issuer ?? prompts.issuerTemplate ?? '';
  for (;;) {
    const entered = await vscode.window.showInputBox({
      title: title(), prompt: prompts.issuerPrompt, placeHolder: prompts.issuerPlaceholder, value: issuer, ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? undefined : issuerProblem(value.trim()) && `The issuer ${issuerProblem(value.trim())}.`),
    });
    if (entered === undefined) return { kind: 'abandoned' };
    issuer = entered.trim();
    if (issuer === '') return { kind: 'manual' };

    let discovery: DiscoveryResult;
    try {
      discovery = await discoverWithProgress(services, issuer, discover);
    } catch (error) {
      if (isOAuthError(error) && error.code === 'cancelled') return { kind: 'abandoned' };
      const message = error instanceof Error ? error.message : String(error);
      services.log.warn(`Configure App: discovery for ${issuer} failed: ${message}`);
      const choice = await vscode.window.showWarningMessage(
        'The provider\'s metadata could not be used.', { modal: true, detail: message }, TRY_AGAIN, MANUAL);
      if (choice === TRY_AGAIN) continue;
      return choice === MANUAL ? { kind: 'manual' } : { kind: 'abandoned' };
    }

    const hasClientSecret = await askHasSecret(discovery, config, title);
    if (hasClientSecret === undefined) return { kind: 'abandoned' };
    const result = configurationFromMetadata(discovery, { hasClientSecret, scopes: config.scopes });
    for (const finding of result.findings) services.log.info(`Configure App: ${finding}`);
    const choice = await vscode.window.showInformationMessage(
      `Discovered ${sanitizeForDisplay(discovery.metadata.issuer, 200)}`,
      { modal: true, detail: `${result.findings.join('\n')}\n\nContinue to the application ID${hasClientSecret ? ' and secret' : ''}; the scopes can still be changed.` },
      CONTINUE, MANUAL);
    if (choice === CONTINUE) return { kind: 'discovered', configuration: result.configuration };
    return choice === MANUAL ? { kind: 'manual' } : { kind: 'abandoned' };
  }
}

/**
 * Fields discovery fills; the manual path drops them so that no metadata outlives the endpoints it came
 * with. The issuer too: one that discovery refused, or a previous provider's, would make every response's
 * `iss` fail the RFC 9207 check (the app's "issuer" in authCodeFlow.apps can still be set by hand).
 */
export function withoutDiscoveredFields(config: AppConfiguration): AppConfiguration {
  const rest = { ...config };
  for (const field of ['issuer', 'jwksUri', 'revocationEndpoint', 'requireIssuerParameter', 'discoveredFrom', 'openIdProvider'] as const) delete rest[field];
  return rest;
}

function discoverWithProgress(
  services: ExtensionServices, issuer: string, discover: typeof import('../../discovery').discover,
): Promise<DiscoveryResult> {
  return Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Configure App', cancellable: true },
    async (progress, cancellation) => {
      progress.report({ message: `Reading the metadata of ${sanitizeForDisplay(issuer, 120)}…` });
      const abort = new AbortController();
      const onCancel = cancellation.onCancellationRequested(() => abort.abort());
      try {
        return await discover(issuer, { http: services.http(), timeoutMs: requestTimeoutMs(), signal: abort.signal });
      } finally {
        onCancel.dispose();
      }
    }));
}

/** Public or confidential client: decides the token endpoint authentication among what the provider lists. */
async function askHasSecret(discovery: DiscoveryResult, config: AppConfiguration, title: () => string): Promise<boolean | undefined> {
  const listed = discovery.metadata.token_endpoint_auth_methods_supported;
  const said = listed === undefined ? 'The provider lists no methods (RFC 8414 default: client_secret_basic).'
    : `The provider lists: ${listed.map((method) => sanitizeForDisplay(method, 40)).join(', ')}.`;
  const items: (vscode.QuickPickItem & { secret: boolean })[] = [
    { label: 'Yes, it has a client secret', detail: 'A confidential client: the secret goes to the token endpoint (kept in secret storage).', secret: true },
    { label: 'No, it is a public client', detail: 'No secret; PKCE protects the code (client authentication "none").', secret: false },
  ];
  for (const item of items) if ((config.clientAuthMethod !== 'none') === item.secret) item.description = 'current';
  const picked = await vscode.window.showQuickPick(items, { title: title(), placeHolder: `Does the application have a client secret? ${said}`, ignoreFocusOut: true });
  return picked?.secret;
}
