/**
 * What a snippet has to do, as data, so each language module only decides how to say it. The plan
 * mirrors what the extension itself sends (protocol/authorizationRequest.ts, protocol/tokenRequest.ts):
 * the same parameters in the same order and the same client authentication.
 */
import { environmentParameter, scopeParameter } from '../../protocol/authorizationParameters';
import { basicCredentialEncodingOf } from '../../protocol/basicCredentials';
import { offlineAccessParameters } from '../../protocol/offlineAccess';
import type { AppConfiguration, BasicCredentialEncoding } from '../../providers/appConfiguration';
import { presetById } from '../../providers/presets';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind } from '../snippetGenerator';
import { apiRequestUrl } from '../requestTarget';
import { literal, tabStop } from '../snippetText';
import { backslashEscaped } from './stringEscapes';

/** Non-secret values declared at the top of a snippet as tab stops, named in camelCase. */
export type SettingName =
  | 'authorizationEndpoint' | 'tokenEndpoint' | 'apiUrl' | 'clientId' | 'redirectUri' | 'scope' | 'subscriptionKeyHeader' | 'issuer' | 'jwksUri';
export type EnvName = (typeof SNIPPET_ENV)[keyof typeof SNIPPET_ENV];

/**
 * A value the program itself makes or receives: state, nonce and challenge in the authorization request,
 * and in the complete flow the code and the verifier, which then never pass through the environment.
 */
export type GeneratedName = 'state' | 'nonce' | 'codeChallenge' | 'code' | 'codeVerifier';

/** One parameter value: fixed text, a declared setting, an environment variable, or a value made at run time. */
export type PlanValue = { text: string } | { setting: SettingName } | { env: EnvName } | { generated: GeneratedName };

/** The kinds that are one step of the flow; 'completeFlow' is planned from them by {@link planCompleteFlow}. */
export type StepKind = Exclude<SnippetKind, 'completeFlow'>;

export interface SnippetPlan {
  kind: SnippetKind;
  /** Declared in this order; setting i becomes tab stop i + 1. */
  settings: { name: SettingName; value: string }[];
  /** Read at run time; the header comment lists them. */
  env: EnvName[];
  /** The authorization request's query, or the token request's form body, in the order the extension sends it. */
  params: [string, PlanValue][];
  /** Client authentication by HTTP Basic (client_secret_basic); the other methods are in `params`. */
  basicAuth: boolean;
  /** How the Basic credentials are spelled, as the extension spells them for this app (protocol/basicCredentials.ts). */
  basicEncoding: BasicCredentialEncoding;
  pkce: boolean;
  /** OpenID Connect: `openid` is requested, so the authorization request sends a nonce the ID token must carry back. */
  nonce: boolean;
  /** Which app and provider the snippet was generated for, as its first line says it (see {@link generatedFor}). */
  generatedFor: string;
}

/**
 * The complete flow: its steps planned as their own snippets would be, with the settings declared once
 * for the whole program (in the order the steps first use them) and the secrets read once.
 */
export interface CompleteFlowPlan extends SnippetPlan {
  kind: 'completeFlow';
  authorization: SnippetPlan;
  /** Sends the code and the verifier that the authorization step produced. */
  exchange: SnippetPlan;
  /** Sends the access token from the exchange's response; env holds only the subscription key, if any. */
  apiCall: SnippetPlan;
  /**
   * Present when the program checks the ID token itself (languages that ask for it, when `openid` is
   * requested): the `issuer` setting is declared, and `jwksUri` too when the configuration knows it;
   * otherwise the program reads it from the issuer's discovery document at run time.
   */
  idToken?: { discoverJwksUri: boolean };
}

/**
 * What stands in the snippet where the configuration has no issuer: like snippetContext's placeholders,
 * it says what belongs there and fails loudly if it is run unchanged.
 */
const UNCONFIGURED_ISSUER = 'https://authorization-server.example';

/**
 * The complete flow. `checksIdToken`: the language validates the ID token in the program (Python and
 * JavaScript/TypeScript, with PyJWT and jose); the others only say that it must be validated.
 */
export function planCompleteFlow(context: SnippetContext, { checksIdToken = false } = {}): CompleteFlowPlan {
  const authorization = planSnippet('authorizationRequest', context);
  const tokenExchange = planSnippet('tokenExchange', context);
  const apiCall = planSnippet('apiCall', context);
  const handedOn: Partial<Record<EnvName, GeneratedName>> = {
    [SNIPPET_ENV.authorizationCode]: 'code',
    [SNIPPET_ENV.codeVerifier]: 'codeVerifier',
  };
  const exchange: SnippetPlan = {
    ...tokenExchange,
    params: tokenExchange.params.map(([name, value]): [string, PlanValue] => {
      const generated = 'env' in value ? handedOn[value.env] : undefined;
      return [name, generated === undefined ? value : { generated }];
    }),
    env: tokenExchange.env.filter((name) => handedOn[name] === undefined),
  };
  const call: SnippetPlan = { ...apiCall, env: apiCall.env.filter((name) => name !== SNIPPET_ENV.accessToken) };
  const steps = [authorization, exchange, call];
  const settings = steps.flatMap((step) => step.settings).filter((setting, index, all) => all.findIndex(({ name }) => name === setting.name) === index);
  const checked = checksIdToken && authorization.nonce;
  if (checked) {
    // The token's iss must equal the issuer exactly (OpenID Connect Core §3.1.3.7 step 2): no trimming of slashes.
    settings.push({ name: 'issuer', value: context.config.issuer?.trim() || UNCONFIGURED_ISSUER });
    const jwksUri = context.config.jwksUri?.trim();
    if (jwksUri) settings.push({ name: 'jwksUri', value: jwksUri });
  }
  return {
    kind: 'completeFlow',
    settings,
    env: [...new Set(steps.flatMap((step) => step.env))],
    params: [],
    basicAuth: exchange.basicAuth,
    basicEncoding: exchange.basicEncoding,
    pkce: context.config.usePkce,
    nonce: authorization.nonce,
    generatedFor: authorization.generatedFor,
    authorization,
    exchange,
    apiCall: call,
    ...(checked ? { idToken: { discoverJwksUri: !context.config.jwksUri?.trim() } } : {}),
  };
}

/** Whether the configuration asks for OpenID Connect, which brings an ID token and, with it, a nonce. */
export function requestsOpenId(config: AppConfiguration): boolean {
  return config.scopes.includes('openid');
}

/**
 * "the app "Name", Blackbaud SKY API (oauth2.sky.blackbaud.com)": which app and provider a snippet is for,
 * so a file that holds several snippets says which belongs to which. The name is the user's text in a
 * comment: a line break would end the comment (and a Java `\u000a` escape or PHP's `?>` would too), and
 * Java reads sources as ASCII, so only letters, digits, space and harmless punctuation of ASCII are kept.
 */
export function generatedFor({ config, appName }: SnippetContext): string {
  let host = '';
  try {
    host = new URL(config.authorizationEndpoint.trim()).host;
  } catch {
    // A placeholder or an invalid URL: the provider's name says enough.
  }
  const name = (appName ?? '').replace(/[^A-Za-z0-9 .,:;_+&@#'()[\]-]+/g, '_').replace(/\s+/g, ' ').trim().slice(0, 80);
  const provider = `${presetById(config.preset).label}${host === '' ? '' : ` (${host})`}`;
  return name === '' ? provider : `the app "${name}", ${provider}`;
}

export function planSnippet(kind: StepKind, context: SnippetContext): SnippetPlan {
  const { config, redirectUri, apiPath } = context;
  const plan: SnippetPlan = {
    kind, settings: [], env: [], params: [], basicAuth: false, basicEncoding: basicCredentialEncodingOf(config), pkce: config.usePkce,
    nonce: false, generatedFor: generatedFor(context),
  };
  const setting = (name: SettingName, value: string): PlanValue => {
    plan.settings.push({ name, value });
    return { setting: name };
  };
  const param = (name: string, value: PlanValue): void => {
    plan.params.push([name, value]);
  };
  // RFC 6749 §2.3.1 as protocol/tokenRequest.ts does it: a Basic header, or client_id (and secret) in the body.
  const clientAuthentication = (): void => {
    plan.basicAuth = config.clientAuthMethod === 'client_secret_basic';
    if (!plan.basicAuth) {
      param('client_id', { setting: 'clientId' });
    }
    if (config.clientAuthMethod === 'client_secret_post') {
      param('client_secret', { env: SNIPPET_ENV.clientSecret });
    }
  };

  switch (kind) {
    case 'authorizationRequest': {
      setting('authorizationEndpoint', apiRequestUrl(config.authorizationEndpoint, ''));
      param('response_type', { text: 'code' });
      param('client_id', setting('clientId', config.clientId.trim()));
      param('redirect_uri', setting('redirectUri', redirectUri));
      const scope = scopeParameter(config.scopes);
      if (scope !== '') {
        param('scope', setting('scope', scope));
      }
      param('state', { generated: 'state' });
      // OpenID Connect Core §3.1.2.1: with openid, a nonce the ID token must carry back (§3.1.3.7 step 11).
      plan.nonce = requestsOpenId(config);
      if (plan.nonce) {
        param('nonce', { generated: 'nonce' });
      }
      if (config.usePkce) {
        param('code_challenge', { generated: 'codeChallenge' });
        param('code_challenge_method', { text: 'S256' });
      }
      const environment = environmentParameter(config);
      if (environment !== undefined) {
        param(environment[0], { text: environment[1] });
      }
      for (const [name, value] of Object.entries(config.extraAuthorizationParams)) {
        // A fixed nonce from the settings would defeat it: the program's own fresh one is sent instead.
        if (!(plan.nonce && name === 'nonce')) param(name, { text: value });
      }
      // As the extension's own request: OpenID Connect Core §11's prompt=consent for offline_access.
      for (const [name, value] of Object.entries(offlineAccessParameters(config, config.extraAuthorizationParams))) {
        param(name, { text: value });
      }
      break;
    }
    case 'tokenExchange':
      setting('tokenEndpoint', apiRequestUrl(config.tokenEndpoint, ''));
      setting('clientId', config.clientId.trim());
      param('grant_type', { text: 'authorization_code' });
      param('code', { env: SNIPPET_ENV.authorizationCode });
      param('redirect_uri', setting('redirectUri', redirectUri));
      if (config.usePkce) {
        param('code_verifier', { env: SNIPPET_ENV.codeVerifier });
      }
      clientAuthentication();
      break;
    case 'refresh':
      setting('tokenEndpoint', apiRequestUrl(config.tokenEndpoint, ''));
      setting('clientId', config.clientId.trim());
      param('grant_type', { text: 'refresh_token' });
      param('refresh_token', { env: SNIPPET_ENV.refreshToken });
      clientAuthentication();
      break;
    case 'apiCall':
      setting('apiUrl', apiRequestUrl(config.apiBaseUrl, apiPath));
      plan.env.push(SNIPPET_ENV.accessToken);
      if (config.subscriptionKeyHeader) {
        setting('subscriptionKeyHeader', config.subscriptionKeyHeader.trim());
        plan.env.push(SNIPPET_ENV.subscriptionKey);
      }
      break;
  }
  if (plan.basicAuth) {
    plan.env.push(SNIPPET_ENV.clientSecret);
  }
  for (const [, value] of plan.params) {
    if ('env' in value) {
      plan.env.push(value.env);
    }
  }
  return plan;
}

/**
 * The comment above body-authenticated parameters: why client_id (and client_secret) are in the form.
 * `section` spells "§" for languages whose sources must stay ASCII (Java reads them in the platform
 * encoding).
 */
export function bodyAuthentication(plan: SnippetPlan, section = '§'): string {
  return plan.params.some(([name]) => name === 'client_secret')
    ? `client_secret_post: the client authenticates with both values in the body (RFC 6749 ${section}2.3.1).`
    : 'A public client has no secret: client_id names it, and PKCE protects the code.';
}

/**
 * The comment over the Basic credentials (without the comment marker); `section` as in bodyAuthentication.
 * `spell(value)` is the language's expression for one value: wrapped in its form-urlencoding call, or as it is.
 */
export function basicCredentials(plan: SnippetPlan, encode: (value: string) => string, section = '§'): { comment: string; spell: (value: string) => string } {
  return plan.basicEncoding === 'raw'
    ? { comment: `The raw "ID:secret", as this provider expects (RFC 6749 ${section}2.3.1 would form-urlencode each value first).`, spell: (value) => value }
    : { comment: `RFC 6749 ${section}2.3.1: the ID and the secret are each form-urlencoded before they are joined with ":".`, spell: encode };
}

/** The comment where the nonce is made (without the comment marker). */
export const NONCE_COMMENT = 'nonce ties the ID token to this request: the ID token must carry it back (OpenID Connect Core §3.1.2.1).';

/** What the authorization request snippet prints with the nonce, for whoever checks the ID token later. */
export const NONCE_PRINTED = 'The ID token from the token exchange must carry nonce=';

/**
 * The comment (without the comment marker) in a complete flow that does not check the ID token itself:
 * the checks OpenID Connect Core §3.1.3.7 asks for, and a library of the language that does them.
 * `section` as in bodyAuthentication.
 */
export function idTokenReminder(library: string, section = '§'): string {
  return `Validate the id_token before using any of its claims (OpenID Connect Core ${section}3.1.3.7): its signature with the issuer's `
    + `JWKS, iss, aud (this client ID), exp and iat, and that its nonce is this program's nonce. ${library} does these checks.`;
}

/** The comment over the complete flow's token request (without the comment marker). */
export function exchangeStep(plan: SnippetPlan): string {
  return `Steps 4 and 5: the code${plan.pkce ? ' and the PKCE verifier are' : ' is'} exchanged for tokens.`;
}

/** What joins the authorization endpoint and the request's query: `&` when the endpoint already has one. */
export function querySeparator(plan: SnippetPlan): '?' | '&' {
  const endpoint = plan.settings.find(({ name }) => name === 'authorizationEndpoint')?.value ?? '';
  return endpoint.includes('?') ? '&' : '?';
}

/** The snippet's first line (without the comment marker): what it does, with what, and which variables it reads. */
export function headline(plan: SnippetPlan, tool: string): string {
  const does = {
    authorizationRequest: `Builds the authorization URL (state${plan.pkce ? ', PKCE S256' : ''}) and prints the code the redirect brings back`,
    tokenExchange: 'Exchanges an authorization code for tokens and prints the token response',
    refresh: 'Refreshes the access token and prints the token response',
    apiCall: 'Calls the API with the access token and prints the response body',
    completeFlow: `Runs the whole flow: the authorization URL (state${plan.pkce ? ', PKCE S256' : ''}), the redirect, the code exchange, and an API call whose response it prints`,
  }[plan.kind];
  const names = plan.env.length > 1 ? `${plan.env.slice(0, -1).join(', ')} and ${plan.env[plan.env.length - 1]}` : plan.env[0];
  const needs = names === undefined ? 'Needs no environment variables.' : `Needs ${names} in the environment.`;
  return `${does} (${tool}), for ${plan.generatedFor}. ${needs}`;
}

/**
 * Marks where setting `index` goes in generated code. Languages write plain code with these marks;
 * {@link toSnippet} escapes the code and only then turns the marks into tab stops.
 */
export function slot(index: number): string {
  return `\uE000${index}\uE000`;
}

/** The SnippetString: `code` escaped, each slot replaced by a tab stop holding `quote(setting value)`. */
export function toSnippet(code: string, plan: SnippetPlan, quote: (value: string) => string): string {
  return literal(code).replace(/\uE000(\d+)\uE000/g, (_, index: string) => tabStop(Number(index) + 1, quote(plan.settings[Number(index)].value)));
}

/** `name` split into lower-case words, for languages whose naming differs from camelCase. */
export function words(name: string): string[] {
  return name.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
}

/** The contents of a single-quoted string in JavaScript, TypeScript or Python (see stringEscapes.ts). */
export function escapeSingleQuoted(value: string): string {
  return backslashEscaped(value, "'");
}

/** Lines joined with newlines; `false`, `undefined` and `null` entries are left out, so optional lines read inline. */
export function lines(...parts: (string | false | undefined | null)[]): string {
  return parts.filter((part): part is string => typeof part === 'string').join('\n');
}
