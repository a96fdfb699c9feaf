// "Auth Code Flow: Configure App" — a short series of inputs. Non-secret answers become settings; the
// application secret and the subscription key go to SecretStorage. Escape at any step changes nothing.
import * as vscode from 'vscode';
import { emptyConfiguration } from '../../core/apps/appList';
import { appNameProblem } from '../../core/apps/appName';
import type { NamedApp } from '../../core/apps/namedApp';
import type { AppConfiguration, ClientAuthMethod } from '../../core/providers/appConfiguration';
import { isEntraTenant } from '../../core/providers/presetChecks';
import { PRESETS, configurationFromPreset, sandboxOverrides, validateConfiguration, withTenant, type ProviderPreset } from '../../core/providers/presets';
import { reportError } from '../errorReporting';
import { configureFromIssuer, withoutDiscoveredFields } from './configureDiscovery';
import { pickRedirectModeHere, redirectUriHere } from '../redirect/redirectModeCheck';
import type { ExtensionServices } from '../services';


const TITLE = 'Configure App';
/** Where `npm run sandbox` listens unless told otherwise; `npm start` passes the real one in the environment. */
const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4477';

/** Escape anywhere: stop without saving anything. */
class Abandoned extends Error {}

interface SandboxDemo {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
}

export async function configure(services: ExtensionServices): Promise<boolean> {
  try {
    return await runConfigure(services);
  } catch (error) {
    if (error instanceof Abandoned) {
      services.log.info('Configure App was closed before the end; nothing was changed.');
      return false;
    }
    await reportError(TITLE, error, services.log);
    return false;
  }
}

async function runConfigure(services: ExtensionServices): Promise<boolean> {
  const steps = new StepCounter();
  // The app being edited, or the name of the one being added; pinned here, so switching meanwhile changes nothing.
  const target = await pickAppToConfigure(services, steps);
  const editing = 'app' in target ? target.app : undefined;
  const previous = editing?.configuration ?? emptyConfiguration();
  const storedSecrets = editing ? await services.secrets.forApp(editing.id).appSecrets() : {};

  const preset = await pickPreset(editing?.configuration, steps);
  // A new app starts from the preset's defaults, not from the empty configuration.
  const keepPrevious = editing !== undefined && preset.id === previous.preset;
  let config = configurationFromPreset(preset, keepPrevious ? previous : {});
  let sandboxDemo: SandboxDemo | undefined;

  if (preset.id === 'sandbox') {
    const url = await ask(steps, {
      prompt: 'URL of the local sandbox (npm run sandbox prints it; npm start starts one)',
      value: process.env.AUTH_CODE_FLOW_SANDBOX_URL ?? previous.issuer ?? DEFAULT_SANDBOX_URL,
      validateInput: (value) => (isHttpUrl(value) ? undefined : 'Enter an http:// URL such as http://127.0.0.1:4477'),
    });
    const info = await fetchSandboxInfo(services, url.trim().replace(/\/+$/, ''));
    // A previous sandbox's revocation endpoint and key set would point at a port that may be another one now.
    delete config.revocationEndpoint;
    delete config.jwksUri;
    config = { ...config, ...sandboxOverrides(info) };
    sandboxDemo = sandboxDemoClient(info);
  } else if (preset.id === 'generic' || preset.discovery !== undefined) {
    // From the issuer URL by discovery (configureDiscovery.ts), or the endpoints by hand.
    const discovered = await configureFromIssuer(services, preset, config, steps.next);
    if (discovered.kind === 'abandoned') throw new Abandoned();
    if (discovered.kind === 'discovered') {
      config = { ...withoutDiscoveredFields(config), ...discovered.configuration };
    } else {
      config = withoutDiscoveredFields(config);
      // Okta, Auth0 and Keycloak still need their issuer for the iss checks, also without discovery.
      if (preset.discovery && preset.discovery.issuerOptional !== true) config.issuer = await askUrl(steps, preset.discovery.issuerPrompt, config.issuer ?? '', preset.discovery.issuerPlaceholder);
      config.authorizationEndpoint = await askUrl(steps, 'Authorization endpoint (where the user gives consent)', config.authorizationEndpoint);
      config.tokenEndpoint = await askUrl(steps, 'Token endpoint (where the code is exchanged for tokens)', config.tokenEndpoint);
      config.clientAuthMethod = await pickClientAuthentication(steps, config.clientAuthMethod);
    }
    // The discovery presets' default API path is the userinfo endpoint below the issuer.
    const apiBase = config.apiBaseUrl || (preset.discovery && config.issuer ? config.issuer.replace(/\/+$/, '') : '');
    config.apiBaseUrl = (await ask(steps, { prompt: 'API base URL for Call the API (optional)', value: apiBase })).trim();
  }
  if (preset.id !== 'sandbox') config = await askPresetSpecifics(steps, preset, config);

  config.clientId = (await ask(steps, {
    prompt: `Application (client) ID${preset.id === 'sky' ? ' from My applications at developer.blackbaud.com' : ''}`,
    value: sandboxDemo?.clientId ?? config.clientId,
    validateInput: (value) => (value.trim() ? undefined : 'The application ID is required.'),
  })).trim();

  let clientSecret: string | undefined;
  if (config.clientAuthMethod !== 'none') {
    clientSecret = await askSecret(steps, 'Application secret (kept in secret storage)',
      // The stored secret belongs to the previous app: offer to keep it only for that same app.
      storedSecrets.clientSecret !== undefined && !sandboxDemo && config.clientId === previous.clientId
        && config.tokenEndpoint === previous.tokenEndpoint, sandboxDemo?.clientSecret);
  }
  let subscriptionKey: string | undefined;
  if (config.subscriptionKeyHeader) {
    subscriptionKey = await askSecret(steps, `Subscription key, sent as ${config.subscriptionKeyHeader} on API calls (kept in secret storage)`,
      storedSecrets.subscriptionKey !== undefined && !sandboxDemo, sandboxDemo?.subscriptionKey);
  }

  const redirectMode = await pickRedirectModeHere(steps.next(), services.context.extension, config, preset);
  if (!redirectMode) throw new Abandoned();
  config.redirectMode = redirectMode;
  if (config.redirectMode === 'loopback') {
    const port = await ask(steps, {
      prompt: `Loopback port of the registered redirect URI${preset.requiresExactLoopbackPort ? '' : ' (0: any free port)'}`,
      value: String(config.loopbackPort),
      validateInput: (value) => validatePort(value, preset.requiresExactLoopbackPort),
    });
    config.loopbackPort = Number(port);
  }

  const scopes = await ask(steps, {
    prompt: 'Scopes, space-separated (SKY API needs none)',
    value: config.scopes.join(' '),
  });
  config.scopes = scopes.split(/\s+/).filter(Boolean);

  if (preset.id === 'sky') {
    const environmentId = (await ask(steps, {
      prompt: 'SKY environment ID (optional): the consent page then offers only this environment. Leave empty to choose there.',
      // Kept while another provider was configured, so switching back does not lose it.
      value: config.environmentId ?? '',
    })).trim();
    if (environmentId) config.environmentId = environmentId;
    else delete config.environmentId;
  }

  // The redirect URI this message asks to register: on a remote host whose browser runs elsewhere, the
  // forwarded one, recorded so that Authorize App sends the browser there (and only there).
  const { redirectUri, note, forwarded } = await redirectUriHere(services.context.extension, config, preset);
  if (forwarded) config.registeredRedirectUri = redirectUri;
  else if (config.redirectMode === 'loopback') delete config.registeredRedirectUri;

  const problems = validateConfiguration(config);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`The configuration was not saved: ${problems.join(' ')}`);
    return false;
  }
  const saved = 'app' in target ? target.app : await services.apps.add(target.name, config);
  if (editing) {
    await services.apps.update(editing.id, config);
    // The app edited is the one the next Authorize App acts on.
    if (services.apps.active()?.id !== editing.id) await services.apps.setActive(editing.id);
  }
  const savedSecrets = services.secrets.forApp(saved.id);
  if (clientSecret) await savedSecrets.storeClientSecret(clientSecret, config);
  if (subscriptionKey) await savedSecrets.storeSubscriptionKey(subscriptionKey, config);
  await services.stateChanged();
  services.log.info(`Configured "${saved.name}" (${preset.label}): ${config.redirectMode} redirect, ${config.clientAuthMethod}.`);

  const copy = 'Copy Redirect URI';
  const authorizeNow = 'Authorize App';
  const choice = await vscode.window.showInformationMessage(
    `Saved. Register this redirect URI for the application at the provider: ${redirectUri}${note}`, copy, authorizeNow);
  if (choice === copy) await vscode.env.clipboard.writeText(redirectUri);
  if (choice === authorizeNow) await vscode.commands.executeCommand('authCodeFlow.authorize');
  return true;
}

/**
 * What the provider presets of issue 11 ask for beyond the endpoints: Entra's tenant and its client
 * authentication (a "web" registration sends a secret, a desktop one none), and Auth0's audience. The
 * discovery presets' issuer and client authentication are asked by configureDiscovery.ts.
 */
async function askPresetSpecifics(steps: StepCounter, preset: ProviderPreset, start: AppConfiguration): Promise<AppConfiguration> {
  let config = start;
  if (preset.tenant) {
    const tenant = await ask(steps, {
      prompt: preset.tenant.prompt, placeHolder: preset.tenant.placeholder, value: config.tenant ?? preset.tenant.defaultTenant,
      validateInput: (value) => (isEntraTenant(value.trim()) ? undefined : 'Enter common, organizations, consumers, a tenant ID (GUID) or a domain.'),
    });
    config = withTenant(config, tenant);
  }
  for (const parameter of preset.askedAuthorizationParams ?? []) {
    const value = (await ask(steps, { prompt: parameter.prompt, placeHolder: parameter.placeholder, value: config.extraAuthorizationParams[parameter.name] ?? '' })).trim();
    if (value) config.extraAuthorizationParams[parameter.name] = value;
    else delete config.extraAuthorizationParams[parameter.name];
  }
  if (preset.tenant) {
    config.clientAuthMethod = await pickClientAuthentication(steps, config.clientAuthMethod);
  }
  return config;
}

type ConfigureTarget = { app: NamedApp } | { name: string };

/**
 * With apps: "Edit <active app>" first, then "Add a new app…", then the other apps to edit. Without any,
 * straight to the name of the first. A new app's name is checked as it is typed (non-empty, unique).
 */
async function pickAppToConfigure(services: ExtensionServices, steps: StepCounter): Promise<ConfigureTarget> {
  const apps = services.apps.list();
  const active = services.apps.active();
  if (active) {
    type Item = vscode.QuickPickItem & { app?: NamedApp };
    const label = (app: NamedApp): string => `${app.name}`;
    const items: Item[] = [
      { label: `$(edit) Edit ${label(active)}`, description: 'active app', detail: presetLabel(active), app: active },
      { label: '$(add) Add a new app…', detail: 'Another application, at this provider or another one; it gets its own secret and tokens.' },
      ...apps.filter((app) => app.id !== active.id).map((app): Item => ({ label: `$(edit) Edit ${label(app)}`, detail: presetLabel(app), app })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: steps.next(), placeHolder: 'Edit an app or add one?', ignoreFocusOut: true });
    if (!picked) throw new Abandoned();
    if (picked.app) return { app: picked.app };
  }
  const name = await ask(steps, {
    prompt: apps.length === 0 ? 'A name for your app, shown in the status bar (you can add more apps later)' : 'A name for the new app, shown in the status bar',
    placeHolder: apps.length === 0 ? 'e.g. Sandbox, SKY production' : 'e.g. Staging',
    // The list is read again at each keystroke: another window may add an app meanwhile.
    validateInput: (value) => appNameProblem(value, services.apps.list()),
  });
  return { name: name.trim() };
}

function presetLabel(app: NamedApp): string {
  const preset = PRESETS.find((candidate) => candidate.id === app.configuration.preset);
  return `${preset?.label ?? app.configuration.preset}${app.configuration.clientId ? ` · ${app.configuration.clientId}` : ''}`;
}

/** Titles "Configure App (step n)": the number of steps depends on the answers, so no "of m". */
class StepCounter {
  private step = 0;
  next = (): string => `${TITLE} (step ${++this.step})`;
}

async function pickPreset(previous: AppConfiguration | undefined, steps: StepCounter): Promise<ProviderPreset> {
  const items = PRESETS.map((preset) => ({
    label: preset.label, description: preset.id === previous?.preset ? 'current' : '', detail: preset.description, preset,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: steps.next(), placeHolder: 'Which provider is the application registered with?', ignoreFocusOut: true });
  if (!picked) throw new Abandoned();
  return picked.preset;
}

async function pickClientAuthentication(steps: StepCounter, current: ClientAuthMethod): Promise<ClientAuthMethod> {
  const items: (vscode.QuickPickItem & { method: ClientAuthMethod })[] = [
    { label: 'HTTP Basic (client_secret_basic)', detail: 'The OAuth 2.0 default.', method: 'client_secret_basic' },
    { label: 'In the request body (client_secret_post)', method: 'client_secret_post' },
    { label: 'None: public client with PKCE', method: 'none' },
  ];
  for (const item of items) if (item.method === current) item.description = 'current';
  const picked = await vscode.window.showQuickPick(items, { title: steps.next(), placeHolder: 'How does the app authenticate at the token endpoint?', ignoreFocusOut: true });
  if (!picked) throw new Abandoned();
  return picked.method;
}

async function ask(steps: StepCounter, options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ title: steps.next(), ignoreFocusOut: true, ...options });
  if (value === undefined) throw new Abandoned();
  return value;
}

function askUrl(steps: StepCounter, prompt: string, value: string, placeHolder?: string): Promise<string> {
  return ask(steps, { prompt, value, ...(placeHolder ? { placeHolder } : {}), validateInput: (input) => (isHttpUrl(input) ? undefined : 'Enter an https:// URL.') })
    .then((url) => url.trim());
}

/** Empty keeps what is stored; the value is never shown back. */
async function askSecret(steps: StepCounter, prompt: string, hasStored: boolean, demoValue?: string): Promise<string | undefined> {
  const value = await ask(steps, {
    prompt: hasStored ? `${prompt}. Leave empty to keep the stored one.` : prompt,
    password: true,
    ...(demoValue ? { value: demoValue } : {}),
    validateInput: (input) => (input.trim() || hasStored ? undefined : 'Required.'),
  });
  return value.trim() || undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function validatePort(value: string, exact: boolean): string | undefined {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'Enter a port number from 1 to 65535.';
  if (port === 0 && exact) return 'This provider compares the redirect URI exactly: choose the port you registered.';
  return undefined;
}

async function fetchSandboxInfo(services: ExtensionServices, baseUrl: string): Promise<unknown> {
  const response = await services.http().get(`${baseUrl}/__sandbox/info`, { Accept: 'application/json' }, { label: 'The sandbox' });
  if (response.status !== 200) {
    throw new Error(`The sandbox at ${baseUrl} answered ${response.status}; start it with \`npm run sandbox\` and use the URL it prints.`);
  }
  return JSON.parse(response.body) as unknown;
}

/** The sandbox's own demo application: its values are published by the sandbox itself, not secrets. */
function sandboxDemoClient(info: unknown): SandboxDemo | undefined {
  const value = info as { clients?: { basic?: { client_id?: unknown; client_secret?: unknown } }; subscription_key?: unknown };
  const basic = value.clients?.basic;
  if (typeof basic?.client_id !== 'string' || typeof basic.client_secret !== 'string' || typeof value.subscription_key !== 'string') return undefined;
  return { clientId: basic.client_id, clientSecret: basic.client_secret, subscriptionKey: value.subscription_key };
}

