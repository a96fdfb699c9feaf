// The one place that asks before a stored secret goes somewhere it was not saved for (issue 10, finding 6):
// Authorize App and Refresh Access Token (the app secret to the token endpoint) and Call the API (the access
// token and the subscription key to the API). The decision is core/providers/secretBinding.ts.
import * as vscode from 'vscode';
import type { AppConfiguration } from '../core/providers/appConfiguration';
import { consentToSend, SECRET_NAMES, secretsSentBy, type Consent } from '../core/providers/secretBinding';
import type { ExtensionServices, PinnedApp } from './services';

const ALLOW_ONCE = 'Allow Once';
const ALWAYS = 'Always';

export interface ConsentOptions {
  /** False where nobody is there to answer (the auto-refresh timer): a mismatch then declines. */
  mayAsk: boolean;
}

/**
 * Whether the request may go out with the secrets it carries. A modal names the old and the new origin;
 * "Always" rebinds the secret to the new one, Cancel (or closing the dialog) sends nothing.
 */
export async function secretsMayBeSent(
  services: ExtensionServices, app: Pick<PinnedApp, 'secrets'>, config: AppConfiguration, request: 'token' | 'api', options: ConsentOptions,
): Promise<boolean> {
  const { log } = services;
  const { secrets } = app;
  return consentToSend({
    stored: (secret) => secrets.storedBinding(secret, config),
    bind: async (secret, binding) => {
      await secrets.bind(secret, config, binding);
      log.info(`The stored ${SECRET_NAMES[secret]} is now bound to ${binding.origin}.`);
    },
    ask: async (question): Promise<Consent> => {
      if (!options.mayAsk) {
        log.warn(`Not sent, nobody asked: ${question}`);
        return 'cancel';
      }
      const choice = await vscode.window.showWarningMessage(question, {
        modal: true,
        detail: 'The settings now point somewhere other than where this secret was entered. Settings can come from a '
          + 'workspace or a dev container, so check the address. Allow Once sends it this time; Always also remembers '
          + 'the new address; Cancel sends nothing.',
      }, ALLOW_ONCE, ALWAYS);
      const consent: Consent = choice === ALWAYS ? 'always' : choice === ALLOW_ONCE ? 'once' : 'cancel';
      log.info(`${question} ${consent === 'cancel' ? 'Cancelled; nothing was sent.' : consent === 'always' ? 'Always.' : 'Allowed once.'}`);
      return consent;
    },
  }, secretsSentBy(request, config), config);
}
