/**
 * What a snippet has to do, as data, so each language module only decides how to say it. The plan
 * mirrors what the extension itself sends (protocol/authorizationRequest.ts, protocol/tokenRequest.ts):
 * the same parameters in the same order and the same client authentication.
 */
import { environmentParameter, scopeParameter } from '../../protocol/authorizationRequest';
import { basicCredentialEncodingOf } from '../../protocol/basicCredentials';
import { offlineAccessParameters } from '../../protocol/offlineAccess';
import type { BasicCredentialEncoding } from '../../providers/appConfiguration';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind } from '../snippetGenerator';
import { apiRequestUrl } from '../requestTarget';
import { literal, tabStop } from '../snippetText';
import { backslashEscaped } from './stringEscapes';

/** Non-secret values declared at the top of a snippet as tab stops, named in camelCase. */
export type SettingName = 'authorizationEndpoint' | 'tokenEndpoint' | 'apiUrl' | 'clientId' | 'redirectUri' | 'scope' | 'subscriptionKeyHeader';
export type EnvName = (typeof SNIPPET_ENV)[keyof typeof SNIPPET_ENV];

/**
 * A value the program itself makes or receives: state and challenge in the authorization request, and in
 * the complete flow the code and the verifier, which then never pass through the environment.
 */
export type GeneratedName = 'state' | 'codeChallenge' | 'code' | 'codeVerifier';

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
}

export function planCompleteFlow(context: SnippetContext): CompleteFlowPlan {
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
  return {
    kind: 'completeFlow',
    settings,
    env: [...new Set(steps.flatMap((step) => step.env))],
    params: [],
    basicAuth: exchange.basicAuth,
    basicEncoding: exchange.basicEncoding,
    pkce: context.config.usePkce,
    authorization,
    exchange,
    apiCall: call,
  };
}

export function planSnippet(kind: StepKind, { config, redirectUri, apiPath }: SnippetContext): SnippetPlan {
  const plan: SnippetPlan = {
    kind, settings: [], env: [], params: [], basicAuth: false, basicEncoding: basicCredentialEncodingOf(config), pkce: config.usePkce,
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
      if (config.usePkce) {
        param('code_challenge', { generated: 'codeChallenge' });
        param('code_challenge_method', { text: 'S256' });
      }
      const environment = environmentParameter(config);
      if (environment !== undefined) {
        param(environment[0], { text: environment[1] });
      }
      for (const [name, value] of Object.entries(config.extraAuthorizationParams)) {
        param(name, { text: value });
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
  return `${does} (${tool}). ${names === undefined ? 'Needs no environment variables.' : `Needs ${names} in the environment.`}`;
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
