// What the editor really holds in SecretStorage for this extension, read the way the workbench reads it.
// code-server keeps every extension's secrets in the browser's localStorage under `secrets.provider`,
// sealed with AES-GCM: the value is clientKey (32 bytes) + IV (12) + ciphertext, and the AES key is the
// clientKey XOR a server key part that the workbench fetches from `<page path>/mint-key` (VS Code's
// src/vs/code/browser/workbench/workbench.ts, ServerKeyedAESCrypto and LocalStorageSecretStorageProvider).
// The e2e suites use it to prove what is stored and what is gone (Remove App, the upgrade migration),
// which no command of the extension could be trusted to report about itself.
import type { Page } from 'playwright-core';
import { EXTENSION_ID } from '../../src/editor/extensionIdentity';

/** Every SecretStorage entry of this extension in the workbench of `page`, key -> value. */
export async function storedSecrets(page: Page): Promise<Map<string, string>> {
  const all = await page.evaluate(async (): Promise<Record<string, string>> => {
    // The test's TypeScript has no DOM library; these are the browser's globals.
    const browser = globalThis as unknown as { localStorage: { getItem(key: string): string | null }; location: { pathname: string } };
    const sealed = browser.localStorage.getItem('secrets.provider');
    if (!sealed) return {};
    const bytes = Uint8Array.from(atob(sealed), (char) => char.charCodeAt(0));
    const clientKey = bytes.slice(0, 32);
    const iv = bytes.slice(32, 44);
    const response = await fetch(`${browser.location.pathname}/mint-key`.replace(/\/\/+/g, '/'), { method: 'POST', credentials: 'include' });
    if (!response.ok) throw new Error(`mint-key answered ${response.status}`);
    const serverKey = new Uint8Array(await response.arrayBuffer());
    const raw = clientKey.map((byte, index) => byte ^ serverKey[index]);
    const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, bytes.slice(44));
    return JSON.parse(new TextDecoder().decode(plain)) as Record<string, string>;
  });
  const ours = new Map<string, string>();
  for (const [compound, value] of Object.entries(all)) {
    // Keys are JSON: {"extensionId": "...", "key": "..."}.
    let parsed: { extensionId?: unknown; key?: unknown } = {};
    try { parsed = JSON.parse(compound) as typeof parsed; } catch { continue; }
    if (typeof parsed.extensionId === 'string' && parsed.extensionId.toLowerCase() === EXTENSION_ID.toLowerCase() && typeof parsed.key === 'string') {
      ours.set(parsed.key, value);
    }
  }
  return ours;
}
