// Runs generated snippets for real: a sandbox provider, a code obtained through a headless consent,
// and a way to execute a program with the snippet's environment variables, bounded in time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAuthorizationRequest } from '../../src/core/protocol/authorizationRequest';
import type { AppConfiguration, BasicCredentialEncoding, ClientAuthMethod } from '../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById, sandboxOverrides } from '../../src/core/providers/presets';
import { SNIPPET_ENV, type SnippetContext } from '../../src/core/snippets/snippetGenerator';
import { consentHeadlessly } from './headlessConsent';
import type { Sandbox } from './sandbox';

/** Snippets run outside the editor, so they use a loopback redirect URI (nothing needs to listen). */
export const SNIPPET_REDIRECT_URI = 'http://127.0.0.1:8765/callback';

const CLIENT_FOR_METHOD = { client_secret_basic: 'basic', client_secret_post: 'post', none: 'public' } as const;

/** The snippet context for one of the sandbox's demo clients. */
export function sandboxSnippetContext(sandbox: Sandbox, method: ClientAuthMethod = 'client_secret_basic'): SnippetContext {
  const client = sandbox.info.clients[CLIENT_FOR_METHOD[method]];
  const config = configurationFromPreset(presetById('sandbox'), {
    ...sandboxOverrides(sandbox.info), clientId: client.client_id, clientAuthMethod: method, redirectMode: 'loopback', loopbackPort: 8765,
  });
  return { config, redirectUri: SNIPPET_REDIRECT_URI, apiPath: '/me' };
}

/**
 * The snippet context for an OpenID Connect app at the sandbox: `openid` asked for besides the sandbox's
 * scopes, so the authorization request carries a nonce and the token response an ID token. The issuer is
 * the sandbox's (sandboxOverrides); `overrides` tampers with the configuration. The sandbox publishes its
 * JWKS URL, but it is left out unless `overrides` sets one, so the generated code finds it by discovery
 * (the path of an app configured by hand); a test with the configured URL passes it in.
 */
export function sandboxOpenIdSnippetContext(sandbox: Sandbox, overrides: Partial<AppConfiguration> = {}): SnippetContext {
  const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
  const config: AppConfiguration = { ...context.config, scopes: ['openid', ...context.config.scopes] };
  delete config.jwksUri;
  return { ...context, config: { ...config, ...overrides } };
}

/**
 * The snippet context for the sandbox's SKY-like client (its secret has +, / and =, and it compares Basic
 * credentials raw), generated with the raw encoding the extension uses for SKY API, or with `encoding`.
 */
export function sandboxSkySnippetContext(sandbox: Sandbox, encoding: BasicCredentialEncoding = 'raw'): SnippetContext {
  const context = sandboxSnippetContext(sandbox, 'client_secret_basic');
  return { ...context, config: { ...context.config, clientId: sandbox.info.clients.sky.client_id, basicCredentialEncoding: encoding } };
}

/** The secrets a snippet reads from its environment, for the sandbox client in `context`. */
export function sandboxSecretsEnv(sandbox: Sandbox, context: SnippetContext): Record<string, string> {
  const client = Object.values(sandbox.info.clients).find((candidate) => candidate.client_id === context.config.clientId);
  if (client === undefined) throw new Error(`No sandbox client ${context.config.clientId}.`);
  return {
    ...(client.client_secret ? { [SNIPPET_ENV.clientSecret]: client.client_secret } : {}),
    [SNIPPET_ENV.subscriptionKey]: sandbox.info.subscription_key,
  };
}

/** A fresh authorization code (with its PKCE verifier) for `context`, consented headlessly. */
export async function obtainAuthorizationCode(context: SnippetContext): Promise<{ code: string; codeVerifier: string }> {
  const request = buildAuthorizationRequest(context.config, context.redirectUri);
  const redirect = await consentHeadlessly(request.url);
  const code = redirect.searchParams.get('code');
  if (!code || !request.codeVerifier) throw new Error(`No code in the redirect: ${redirect.origin}${redirect.pathname}`);
  return { code, codeVerifier: request.codeVerifier };
}

export interface ProgramRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with only the given variables added to a minimal environment; fails after timeoutMs. */
export function runProgram(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): ProgramRun {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? options.cwd, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder for one snippet run, removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `acf-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The last line of output that parses as a JSON object: snippets print the response they got. */
export function lastJsonObject(output: string): Record<string, unknown> {
  for (const line of output.trim().split('\n').reverse()) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch { /* not this line */ }
  }
  const start = output.indexOf('{');
  if (start !== -1) {
    try { return JSON.parse(output.slice(start)) as Record<string, unknown>; } catch { /* fall through */ }
  }
  throw new Error(`No JSON object in the output:\n${output.slice(0, 2000)}`);
}

/**
 * Which generated snippets ran for real against the sandbox, for the one line the sandbox run ends with.
 * Each suite plans its runners (`javascript(fetch)`, `go`, …) as it defines them; a runner counts as
 * executed once at least one of its tests passed and none failed. Languages that no suite can execute
 * (no runtime in Debian) are named as content-checked only, so a reader sees exactly what ran.
 */
const CONTENT_CHECKED_ONLY: Record<string, string> = {
  csharp: 'no .NET runtime in Debian; mono-mcs predates top-level statements',
  powershell: 'no PowerShell in Debian',
};

interface RunnerRecord {
  languageId: string;
  passed: number;
  failed: number;
}

const runners = new Map<string, RunnerRecord>();
let reported = false;

/** Declares that `runner` (e.g. `javascript(fetch)`) executes snippets of `languageId` in this run. */
export function planSnippetRunner(runner: string, languageId: string): void {
  if (languageId in CONTENT_CHECKED_ONLY) throw new Error(`${languageId} is listed as content-checked only; remove it there first.`);
  runners.set(runner, { languageId, passed: 0, failed: 0 });
}

/** For `afterEach`: counts the outcome of the test that just ran for `runner`; anything but a pass counts against it. */
export function recordSnippetTest(runner: string, state: 'passed' | 'failed' | 'pending' | undefined): void {
  const record = runners.get(runner);
  if (record === undefined) throw new Error(`No runner ${runner} was planned.`);
  if (state === 'passed') record.passed++;
  else record.failed++;
}

/**
 * The summary line, e.g. `snippets executed against the sandbox: javascript(fetch), …, go;
 * content-checked only: csharp, powershell`, naming also any runner that failed or did not run.
 */
export function snippetRunSummary(allLanguageIds: readonly string[]): string {
  const list = (names: string[]): string => names.join(', ') || 'none';
  const all = [...runners.entries()];
  const executed = all.filter(([, record]) => record.passed > 0 && record.failed === 0).map(([name]) => name);
  const failed = all.filter(([, record]) => record.failed > 0).map(([name]) => name);
  const planned = new Set(all.map(([, record]) => record.languageId));
  const contentOnly = allLanguageIds.filter((id) => id in CONTENT_CHECKED_ONLY);
  const elsewhere = allLanguageIds.filter((id) => !planned.has(id) && !(id in CONTENT_CHECKED_ONLY));
  return [
    `snippets executed against the sandbox: ${list(executed)}`,
    `content-checked only: ${list(contentOnly.map((id) => `${id} (${CONTENT_CHECKED_ONLY[id]})`))}`,
    failed.length > 0 && `FAILED: ${list(failed)}`,
    elsewhere.length > 0 && `not run in this run: ${list(elsewhere)}`,
  ].filter(Boolean).join('; ');
}

/** For a root-level `after` in every snippet suite: prints the summary once, after the last of them. */
export function reportSnippetRuns(allLanguageIds: readonly string[]): void {
  if (reported) return;
  reported = true;
  process.stdout.write(`  ${snippetRunSummary(allLanguageIds)}\n`);
}
