// Debian's Chromium driven by playwright-core (Playwright cannot download its own browsers here).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from './editorPaths';

/** Flags that keep Chromium off the network it cannot reach and out of the user's profile. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * `executablePath`: a wrapper that starts Debian's Chromium somewhere else (the remote-browser suite's network
 * namespace). `extraArgs`: more flags, e.g. the SPKI hash of a test server's key the browser is to trust.
 */
export async function launchChromium(executablePath = CHROMIUM_PATH, extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's chromium (apt-get install -y chromium, or \`npm run install-editor\` as root), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}
