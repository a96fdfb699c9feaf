// A browser that cannot reach the extension host's loopback, as on a real remote host: Chromium runs in a
// network namespace joined to the host by one veth pair with a /30 on it, `lo` up inside, no default
// route. The host end is the only address the browser can reach; code-server listens there. Needs root
// (CAP_NET_ADMIN), as `ip netns add` does. Everything is deleted again by `remove()`, also after a failure.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { CHROMIUM_PATH } from './editorPaths';

export interface IsolatedBrowserNetwork {
  /** The namespace's name, e.g. `acf-1234`. */
  name: string;
  /** The host's end of the pair (code-server listens here). */
  hostAddress: string;
  /** The namespace's end (the browser's only address besides its own 127.0.0.1). */
  browserAddress: string;
  /** Starts Chromium inside the namespace (through a wrapper, so Playwright's pipe to it is kept), with `extraArgs`. */
  launchBrowser(extraArgs?: readonly string[]): Promise<Browser>;
  /** Runs a command inside the namespace; for checks such as "can the browser side reach X". */
  exec(command: string[]): { status: number | null; output: string };
  /** Deletes the namespace and with it the veth pair. Safe to call more than once. */
  remove(): void;
}

/** Runs `ip …`, throwing with its output on failure; bounded so a stuck command cannot hang the suite. */
function ip(args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
}

/**
 * Creates the namespace. The /30 and the names are picked from the process id, so that suites running
 * at the same time on one machine do not collide.
 */
export function createIsolatedBrowserNetwork(): IsolatedBrowserNetwork {
  if (process.getuid?.() !== 0) throw new Error('The remote-browser suite needs root to create a network namespace (ip netns add).');
  const id = process.pid % 16_000;
  const name = `acf-${process.pid}`;
  // 10.200.0.0/16 in /30s: 4k+1 is the host's end, 4k+2 the browser's.
  const base = 4 * id;
  const address = (offset: number): string => `10.${200 + Math.floor((base + offset) / 65_536)}.${Math.floor((base + offset) / 256) % 256}.${(base + offset) % 256}`;
  const hostAddress = address(1);
  const browserAddress = address(2);
  const hostLink = `acfh${process.pid}`.slice(0, 15);
  const browserLink = `acfb${process.pid}`.slice(0, 15);

  const scratch = mkdtempSync(join(tmpdir(), 'acf-netns-'));
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    // Deleting the namespace deletes the peer inside it, and a veth pair dies with either end.
    spawnSync('ip', ['netns', 'delete', name], { timeout: 10_000 });
    spawnSync('ip', ['link', 'delete', hostLink], { timeout: 10_000 });
    rmSync(scratch, { recursive: true, force: true });
  };
  // A suite that dies before its `after` must not leave the namespace behind.
  process.once('exit', remove);
  try {
    ip(['netns', 'add', name]);
    ip(['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', browserLink]);
    ip(['link', 'set', browserLink, 'netns', name]);
    ip(['addr', 'add', `${hostAddress}/30`, 'dev', hostLink]);
    ip(['link', 'set', hostLink, 'up']);
    ip(['netns', 'exec', name, 'ip', 'addr', 'add', `${browserAddress}/30`, 'dev', browserLink]);
    ip(['netns', 'exec', name, 'ip', 'link', 'set', browserLink, 'up']);
    ip(['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (error) {
    remove();
    throw error;
  }
  // The wrapper exec()s, so Chromium inherits Playwright's --remote-debugging-pipe file descriptors.
  const wrapper = join(scratch, 'chromium-in-netns.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${name} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return {
    name, hostAddress, browserAddress, remove,
    launchBrowser: (extraArgs = []) => launchChromium(wrapper, extraArgs),
    exec: (command) => {
      const result = spawnSync('ip', ['netns', 'exec', name, ...command], { encoding: 'utf8', timeout: 10_000 });
      return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
    },
  };
}
