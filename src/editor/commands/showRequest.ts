// "Auth Code Flow: Show Request or Response…" — the walkthrough's buttons that show a step's real
// request or response for the current configuration, in a read-only editor, credentials masked.
import * as vscode from 'vscode';
import { isWirePreviewKind, WIRE_PREVIEWS, wirePreview, type WirePreviewKind } from '../../core/protocol/wirePreview';
import { presetById } from '../../core/providers/presets';
import { emptyConfiguration } from '../../core/apps/appList';
import { effectiveConfiguration } from '../basicEncodingMemory';
import { describeRedirectUri } from '../redirect/redirectReceiver';
import { nextApiTarget } from './callApi';
import type { ExtensionServices } from '../services';
import { preserveRefreshTokenEnabled } from '../settings';

/** `kind` comes from a walkthrough link (`command:authCodeFlow.showRequest?["tokenRequest"]`); otherwise the user picks. */
export async function showRequest(services: ExtensionServices, kind?: unknown): Promise<boolean> {
  const chosen = isWirePreviewKind(kind) ? kind : await pickPreview();
  if (!chosen) return false;
  // With the Basic encoding learned for this app, so the preview is the request that will be sent.
  const app = services.pinApp();
  const config = app ? effectiveConfiguration(services, app) : emptyConfiguration();
  const [secrets, tokenSet, redirectUri] = await Promise.all([
    app ? app.secrets.appSecrets() : {}, app?.secrets.tokenSet(config), describeRedirectUri(config)]);
  const text = wirePreview(chosen, {
    config, secrets, redirectUri, apiPath: nextApiTarget(services, app?.id ?? '', config),
    preserveRefreshToken: presetById(config.preset).supportsPreserveRefreshToken && preserveRefreshTokenEnabled(),
    now: Date.now(),
    ...(app ? { appName: app.name } : {}),
    ...(tokenSet ? { tokenSet } : {}),
    ...(services.lastCallback ? { lastCallback: services.lastCallback } : {}),
  });
  const label = WIRE_PREVIEWS.find((preview) => preview.kind === chosen)?.label ?? chosen;
  await services.documents.show(`${label.replace(/ \(.*\)$/, '')}.md`, text, 'markdown');
  services.log.info(`Showed the ${label.toLowerCase()} preview.`);
  return true;
}

async function pickPreview(): Promise<WirePreviewKind | undefined> {
  const picked = await vscode.window.showQuickPick(
    WIRE_PREVIEWS.map((preview) => ({ label: preview.label, description: preview.step, preview: preview.kind })),
    { title: 'Show Request or Response', placeHolder: 'Which step of the flow? Credentials are masked.', ignoreFocusOut: true });
  return picked?.preview;
}
