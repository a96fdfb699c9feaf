/**
 * JavaScript and TypeScript snippets come from one generator: both are the same Node 18+ program, and
 * TypeScript adds annotations and ES imports. The variant picks the HTTP client (built-in fetch or axios).
 * JavaScript is CommonJS so the file runs with plain `node file.js`, without a package.json.
 */
import { SNIPPET_ENV, type SnippetContext, type SnippetKind } from '../snippetGenerator';
import {
  basicCredentials,
  escapeSingleQuoted,
  exchangeStep,
  headline,
  NONCE_COMMENT,
  NONCE_PRINTED,
  lines,
  planCompleteFlow,
  planSnippet,
  slot,
  toSnippet,
  type CompleteFlowPlan,
  type PlanValue,
  type SnippetPlan,
} from './snippetPlan';

export const ECMASCRIPT_VARIANTS = [
  { id: 'fetch', label: 'fetch (built into Node 18+)' },
  { id: 'axios', label: 'axios' },
] as const;

interface Style {
  typed: boolean;
  axios: boolean;
  /** `annotation` in TypeScript, nothing in JavaScript. */
  t(annotation: string): string;
}

export function ecmascriptSnippet(kind: SnippetKind, context: SnippetContext, typed: boolean, variant = 'fetch'): string {
  if (!ECMASCRIPT_VARIANTS.some((known) => known.id === variant)) {
    throw new RangeError(`Unknown ${typed ? 'TypeScript' : 'JavaScript'} snippet variant "${variant}".`);
  }
  const style: Style = { typed, axios: variant === 'axios', t: (annotation) => (typed ? annotation : '') };
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context, { checksIdToken: true });
    return toSnippet(`${completeFlow(plan, style, variant)}\n`, plan, escapeSingleQuoted);
  }
  const plan = planSnippet(kind, context);
  const code =
    kind === 'authorizationRequest'
      ? authorizationRequest(plan, style)
      : lines(
          `// ${headline(plan, `Node 18+, ${variant}`)}`,
          style.axios && `${axiosImport(style)}\n`,
          declarations(plan),
          envFunction(style),
          plan.basicAuth && basicAuthorization(plan, style),
          '',
          `async function main()${style.t(': Promise<void>')} {`,
          kind === 'apiCall' ? apiCall(plan, style, `env('${SNIPPET_ENV.accessToken}')`) : tokenRequest(plan, style),
          '}',
          '',
          mainCall(style),
          // Without an import or export, TypeScript would treat the file as a global script.
          style.typed && !style.axios && '\nexport {};',
        );
  return toSnippet(`${code}\n`, plan, escapeSingleQuoted);
}

function declarations(plan: SnippetPlan): string {
  return plan.settings.map(({ name }, index) => `const ${name} = '${slot(index)}';`).join('\n');
}

function axiosImport(style: Style): string {
  return style.typed ? "import axios from 'axios';" : "const axios = require('axios');";
}

function nodeImports(plan: SnippetPlan, style: Style): string {
  const crypto = `${plan.pkce ? 'createHash, ' : ''}randomBytes`;
  return lines(
    style.typed ? `import { ${crypto} } from 'node:crypto';` : `const { ${crypto} } = require('node:crypto');`,
    style.typed ? "import { createServer } from 'node:http';" : "const { createServer } = require('node:http');",
  );
}

function expression(value: PlanValue): string {
  if ('text' in value) return `'${escapeSingleQuoted(value.text)}'`;
  if ('env' in value) return `env('${value.env}')`;
  return 'setting' in value ? value.setting : value.generated;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${escapeSingleQuoted(name)}'`;
}

/** `const name = {...};` with one property a line (shorthand where key and value agree). */
function objectConstant(name: string, entries: [string, string][], wrap = (object: string) => object): string {
  const body = entries.map(([key, value]) => `  ${key === value ? key : `${key}: ${value}`},`);
  return `const ${name} = ${wrap(`{\n${body.join('\n')}\n}`)};`;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

function envFunction(style: Style): string {
  return lines(
    '',
    '// Secrets and per-run values come from the environment, never from the code.',
    `function env(name${style.t(': string')})${style.t(': string')} {`,
    '  const value = process.env[name];',
    '  if (!value) throw new Error(`Set the environment variable ${name}.`);',
    '  return value;',
    '}',
  );
}

function basicAuthorization(plan: SnippetPlan, style: Style): string {
  const { comment, spell } = basicCredentials(plan, (value) => `encode(${value})`);
  return lines(
    '',
    `// ${comment}`,
    `function basicAuthorization(id${style.t(': string')}, secret${style.t(': string')})${style.t(': string')} {`,
    plan.basicEncoding === 'form-urlencoded'
      && `  const encode = (value${style.t(': string')})${style.t(': string')} => new URLSearchParams({ '': value }).toString().slice(1);`,
    `  return \`Basic \${Buffer.from(\`\${${spell('id')}}:\${${spell('secret')}}\`).toString('base64')}\`;`,
    '}',
  );
}

/** The token request's `form` and `headers` constants. */
function tokenForm(plan: SnippetPlan): string {
  const headers: [string, string][] = [['Accept', "'application/json'"]];
  if (plan.basicAuth) {
    headers.push(['Authorization', `basicAuthorization(clientId, env('${SNIPPET_ENV.clientSecret}'))`]);
  }
  return lines(
    objectConstant('form', plan.params.map(([name, value]) => [propertyName(name), expression(value)]), (object) => `new URLSearchParams(${object})`),
    headers.length === 1 ? "const headers = { Accept: 'application/json' };" : objectConstant('headers', headers),
  );
}

/**
 * Why a successful status is checked for an error too: GitHub answers a refused code exchange with an
 * `error` body whose format follows the Accept header (docs.github.com, "Troubleshooting OAuth app access
 * token request errors"), and with HTTP 200.
 */
const HTTP_200_ERROR = "// Some providers (GitHub) answer a refused request with HTTP 200 and RFC 6749 §5.2's error field.";

/** Sends the token request and leaves the parsed response in `tokens` (fetch) or `response.data` (axios). */
function postTokenRequest(style: Style): string[] {
  return style.axios
    ? [
        // axios rejects a non-2xx answer; mainCall prints the body, where an OAuth error explains itself.
        `const response = await axios.post${style.t('<TokenResponse>')}(tokenEndpoint, form, { headers, timeout: 30_000 });`,
        HTTP_200_ERROR,
        "if ('error' in response.data) throw new Error(`Token request failed: ${JSON.stringify(response.data)}`);",
      ]
    : [
        "const response = await fetch(tokenEndpoint, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(30_000) });",
        'const text = await response.text();',
        '// RFC 6749 §5.2: a refused request answers with JSON naming the error and error_description.',
        'if (!response.ok) throw new Error(`Token request failed (HTTP ${response.status}): ${text}`);',
        HTTP_200_ERROR,
        "if ('error' in JSON.parse(text)) throw new Error(`Token request failed: ${text}`);",
      ];
}

function tokenRequest(plan: SnippetPlan, style: Style): string {
  const printed = style.axios ? 'response.data' : 'JSON.parse(text)';
  // Only the typed axios call names the response type, and this program does not declare it.
  const untyped = { ...style, t: () => '' };
  return indent(lines(tokenForm(plan), ...postTokenRequest(untyped), `console.log(JSON.stringify(${printed}));`));
}

/** The API call's statements; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, style: Style, token: string): string {
  const headers: [string, string][] = [
    ['Accept', "'application/json'"],
    ['Authorization', `\`Bearer \${${token}}\``],
  ];
  if (plan.settings.some((setting) => setting.name === 'subscriptionKeyHeader')) {
    headers.push(['[subscriptionKeyHeader]', `env('${SNIPPET_ENV.subscriptionKey}')`]);
  }
  return indent(
    lines(
      objectConstant('headers', headers),
      ...(style.axios
        ? [
            "// responseType 'text' prints the body exactly as the API sent it.",
            `const response = await axios.get${style.t('<string>')}(apiUrl, { headers, responseType: 'text', timeout: 30_000 });`,
            'console.log(response.data);',
          ]
        : [
            'const response = await fetch(apiUrl, { headers, signal: AbortSignal.timeout(30_000) });',
            'const text = await response.text();',
            'if (!response.ok) throw new Error(`API call failed (HTTP ${response.status}): ${text}`);',
            'console.log(text);',
          ]),
    ),
  );
}

function mainCall(style: Style): string {
  const message = style.typed ? 'error instanceof Error ? error.message : String(error)' : 'error.message';
  return lines(
    `main().catch((error${style.t(': unknown')}) => {`,
    ...(style.axios
      ? [
          '  // axios rejects on a non-2xx status; the response body says why.',
          `  const body${style.t(': unknown')} = axios.isAxiosError(error) ? error.response?.data : undefined;`,
          `  const message = ${message};`,
          "  console.error(body === undefined ? message : `${message}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);",
        ]
      : [`  console.error(${message});`]),
    '  process.exitCode = 1;',
    '});',
  );
}

/** state (and the PKCE pair), the authorization URL, and the line that prints it. */
function authorizationUrl(plan: SnippetPlan): string {
  const query = plan.params.map(([name, value]): [string, string] => [propertyName(name), expression(value)]);
  return lines(
    plan.pkce
      ? '// state ties the redirect to this request (CSRF); PKCE keeps the verifier here and sends only its hash.'
      : '// state ties the redirect to this request (CSRF).',
    "const state = randomBytes(32).toString('base64url');",
    plan.nonce && `// ${NONCE_COMMENT}`,
    plan.nonce && "const nonce = randomBytes(32).toString('base64url');",
    plan.pkce && "const codeVerifier = randomBytes(32).toString('base64url');",
    plan.pkce && "const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');",
    '',
    objectConstant('query', query, (object) => `new URLSearchParams(${object})`),
    '// Appended as written: the endpoint may carry a query of its own.',
    "const authorizationUrl = `${authorizationEndpoint}${authorizationEndpoint.includes('?') ? '&' : '?'}${query}`;",
    'console.log(`Open this URL in a browser:\\n${authorizationUrl}`);',
  );
}

/** problemWith() and receiveCode(): the one-shot server on the redirect URI that resolves with the code. */
function redirectReceiver(style: Style): string {
  return lines(
    '// Why a redirect is unusable, or undefined when it brings a code for this request (RFC 6749 §4.1.2).',
    `function problemWith(params${style.t(': URLSearchParams')})${style.t(': string | undefined')} {`,
    "  if (params.get('state') !== state) return 'The state does not match this request; ignoring the redirect.';",
    "  const error = params.get('error');",
    "  if (error) return `Authorization failed: ${error} ${params.get('error_description') ?? ''}`.trim();",
    "  return params.get('code') ? undefined : 'The redirect brings no code.';",
    '}',
    '',
    "// A one-shot server on the redirect URI's port receives the browser's redirect (RFC 8252 §7.3).",
    `function receiveCode()${style.t(': Promise<string>')} {`,
    '  const redirect = new URL(redirectUri);',
    `  return new Promise${style.t('<string>')}((resolve, reject) => {`,
    '    const server = createServer((request, response) => {',
    '      // A kept-alive browser connection would hold the process open after the server closes.',
    "      response.setHeader('Connection', 'close');",
    "      const callback = new URL(request.url ?? '/', redirectUri);",
    '      if (callback.pathname !== redirect.pathname) {',
    '        response.writeHead(404).end();',
    '        return;',
    '      }',
    '      const problem = problemWith(callback.searchParams);',
    "      response.writeHead(problem ? 400 : 200, { 'Content-Type': 'text/plain; charset=utf-8' });",
    "      response.end(problem ?? 'Done: return to the terminal. You can close this tab.');",
    '      server.close();',
    '      if (problem) {',
    '        reject(new Error(problem));',
    '      } else {',
    "        resolve(callback.searchParams.get('code') ?? '');",
    '      }',
    '    });',
    "    server.on('error', reject);",
    '    server.listen(Number(redirect.port || 80), redirect.hostname);',
    '  });',
    '}',
  );
}

function authorizationRequest(plan: SnippetPlan, style: Style): string {
  // The receiver's errors are plain Errors: no axios here, whatever the variant.
  const plain: Style = { ...style, axios: false };
  return lines(
    `// ${headline(plan, 'Node 18+')}`,
    `${nodeImports(plan, style)}\n`,
    declarations(plan),
    '',
    authorizationUrl(plan),
    '',
    redirectReceiver(style),
    '',
    `async function main()${style.t(': Promise<void>')} {`,
    '  const code = await receiveCode();',
    '  // The token request snippet reads these from the environment.',
    `  console.log(\`${SNIPPET_ENV.authorizationCode}=\${code}\`);`,
    plan.pkce && `  console.log(\`${SNIPPET_ENV.codeVerifier}=\${codeVerifier}\`);`,
    plan.nonce && `  console.log(\`${NONCE_PRINTED}\${nonce}\`);`,
    '}',
    '',
    mainCall(plain),
  );
}

/** Steps 1 to 6 in one program: the code, the verifier and the tokens never leave its memory. */
function completeFlow(plan: CompleteFlowPlan, style: Style, variant: string): string {
  const tokens = style.axios ? 'return response.data;' : `return JSON.parse(text)${style.t(' as TokenResponse')};`;
  return lines(
    `// ${headline(plan, `Node 18+, ${variant}`)}`,
    nodeImports(plan, style),
    style.axios && axiosImport(style),
    '',
    declarations(plan),
    plan.env.length > 0 && envFunction(style),
    plan.basicAuth && basicAuthorization(plan, style),
    style.typed && '\n/** The fields of the token response (RFC 6749 §5.1) this program uses. */',
    style.typed && `interface TokenResponse {\n  access_token: string;\n  expires_in?: number;${plan.idToken ? '\n  id_token?: string;' : ''}\n}`,
    '',
    '// Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '// Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    redirectReceiver(style),
    '',
    `// ${exchangeStep(plan)}`,
    `async function exchangeCode(code${style.t(': string')})${style.t(': Promise<TokenResponse>')} {`,
    indent(lines(tokenForm(plan.exchange), ...postTokenRequest(style), tokens)),
    '}',
    '',
    plan.idToken && idTokenCheck(plan.idToken.discoverJwksUri, style),
    '// Step 6: the API call, with the access token as a bearer token.',
    `async function callApi(accessToken${style.t(': string')})${style.t(': Promise<void>')} {`,
    apiCall(plan.apiCall, style, 'accessToken'),
    '}',
    '',
    `async function main()${style.t(': Promise<void>')} {`,
    '  const code = await receiveCode();',
    '  const tokens = await exchangeCode(code);',
    "  // The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    '  console.log(`Tokens received; the access token expires in ${tokens.expires_in ?? \'?\'} s.`);',
    plan.idToken && '  const idToken = await verifiedIdToken(tokens.id_token);',
    plan.idToken && '  console.log(`ID token verified: issued by ${idToken.iss} for ${idToken.sub}.`);',
    '  await callApi(tokens.access_token);',
    '}',
    '',
    mainCall(style),
  );
}

/**
 * verifiedIdToken(): OpenID Connect Core §3.1.3.7's checks with jose, which fetches the key the token's
 * `kid` names. jose is an ES module: import() loads it from CommonJS too. `discover`: the JWKS URL comes
 * from the issuer's discovery document, not from a setting.
 */
function idTokenCheck(discover: boolean, style: Style): string {
  return lines(
    "// The ID token's claims, once OpenID Connect Core §3.1.3.7 has been checked (with jose); throws otherwise.",
    `async function verifiedIdToken(idToken${style.t(': string | undefined')}) {`,
    "  if (!idToken) throw new Error('The token response has no id_token, though openid was requested (OpenID Connect Core §3.1.3.3).');",
    "  const { createRemoteJWKSet, jwtVerify } = await import('jose');",
    ...(discover
      ? [
          "  // The issuer's discovery document names its signing keys' URL (OpenID Connect Discovery §4).",
          "  const metadata = await fetch(`${issuer.replace(/\\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(30_000) });",
          '  if (!metadata.ok) throw new Error(`Discovery failed (HTTP ${metadata.status}): ${await metadata.text()}`);',
          `  const { jwks_uri: jwksUri } = (await metadata.json())${style.t(' as { jwks_uri: string }')};`,
        ]
      : []),
    "  // §3.1.3.7 item 6: signed by the issuer's key that the token's kid names. Only asymmetric algorithms are",
    '  // allowed: "none" or an HMAC "signed" with the public key would prove nothing.',
    '  const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(jwksUri)), {',
    "    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],",
    '    // Item 2: iss is exactly the issuer. Item 3: aud contains this client ID.',
    '    issuer,',
    '    audience: clientId,',
    '    // Items 9 and 10: exp not passed and iat present, allowing 30 s of clock difference.',
    "    requiredClaims: ['sub', 'exp', 'iat'],",
    '    clockTolerance: 30,',
    '  }).catch((error) => {',
    '    throw new Error(`The ID token was refused: ${error.message} (OpenID Connect Core §3.1.3.7).`);',
    '  });',
    '  // Items 4 and 5: with several audiences, azp must name this client.',
    '  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== clientId) {',
    "    throw new Error('The ID token was refused: its azp is not this client ID (OpenID Connect Core §3.1.3.7).');",
    '  }',
    '  // Item 11: the nonce this program sent, so an ID token from another request cannot be slipped in.',
    '  if (payload.nonce !== nonce) {',
    "    throw new Error('The ID token was refused: its nonce is not the one this request sent (OpenID Connect Core §3.1.3.7).');",
    '  }',
    '  return payload;',
    '}',
    '',
  );
}
