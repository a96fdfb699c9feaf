// Python 3 snippets with requests for the token endpoint and the API, and only the standard library for the redirect.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
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
  words,
  type CompleteFlowPlan,
  type PlanValue,
  type SnippetPlan,
} from './snippetPlan';

export const pythonLanguage: SnippetLanguage = {
  id: 'python',
  label: 'Python (requests)',
  generate: pythonSnippet,
};

function pythonSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context, { checksIdToken: true });
    return toSnippet(`${completeFlow(plan)}\n`, plan, escapeSingleQuoted);
  }
  const plan = planSnippet(kind, context);
  const code =
    kind === 'authorizationRequest'
      ? authorizationRequest(plan)
      : lines(
          `# ${headline(plan, 'Python 3, requests')}`,
          kind !== 'apiCall' && 'import json',
          'import os',
          'import sys',
          plan.basicAuth && plan.basicEncoding === 'form-urlencoded' && 'from urllib.parse import quote_plus',
          '',
          'import requests',
          '',
          declarations(plan),
          ENV_FUNCTION,
          kind === 'apiCall' ? apiCall(plan, `env('${SNIPPET_ENV.accessToken}')`) : lines(tokenRequest(plan), 'print(json.dumps(response.json()))'),
        );
  return toSnippet(`${code}\n`, plan, escapeSingleQuoted);
}

const ENV_FUNCTION = lines(
  '',
  '',
  'def env(name):',
  '    """Secrets and per-run values come from the environment, never from the code."""',
  '    value = os.environ.get(name)',
  '    if not value:',
  "        sys.exit(f'Set the environment variable {name}.')",
  '    return value',
  '',
  '',
);

function constant(name: string): string {
  return words(name).join('_').toUpperCase();
}

function declarations(plan: SnippetPlan): string {
  return plan.settings.map(({ name }, index) => `${constant(name)} = '${slot(index)}'`).join('\n');
}

function expression(value: PlanValue): string {
  if ('text' in value) return `'${escapeSingleQuoted(value.text)}'`;
  if ('env' in value) return `env('${value.env}')`;
  return 'setting' in value ? constant(value.setting) : words(value.generated).join('_');
}

/** A dict literal, one item a line, indented by `indent`. */
function dict(entries: [string, string][], indent: string): string {
  return `{\n${entries.map(([key, value]) => `${indent}    ${key}: ${value},`).join('\n')}\n${indent}}`;
}

function params(plan: SnippetPlan, indent: string): string {
  return dict(plan.params.map(([name, value]) => [`'${escapeSingleQuoted(name)}'`, expression(value)]), indent);
}

/** The token request; an `error` body is refused whatever the status, as GitHub sends one with HTTP 200 (see ecmascript.ts). */
function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `quote_plus(${value})`);
  return lines(
    'response = requests.post(',
    '    TOKEN_ENDPOINT,',
    `    data=${params(plan, '    ')},`,
    plan.basicAuth && `    # ${basic.comment}`,
    plan.basicAuth && `    auth=(${basic.spell('CLIENT_ID')}, ${basic.spell(`env('${SNIPPET_ENV.clientSecret}')`)}),`,
    "    headers={'Accept': 'application/json'},",
    '    timeout=30,',
    ')',
    '# RFC 6749 §5.2: a refused request answers with JSON naming the error and error_description.',
    'if not response.ok:',
    "    sys.exit(f'Token request failed (HTTP {response.status_code}): {response.text}')",
    "# Some providers (GitHub) answer a refused request with HTTP 200 and RFC 6749 §5.2's error field.",
    "if 'error' in response.json():",
    "    sys.exit(f'Token request failed: {response.text}')",
  );
}

/** The API call; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  const headers: [string, string][] = [
    ["'Accept'", "'application/json'"],
    ["'Authorization'", `'Bearer ' + ${token}`],
  ];
  if (plan.settings.some((setting) => setting.name === 'subscriptionKeyHeader')) {
    headers.push(['SUBSCRIPTION_KEY_HEADER', `env('${SNIPPET_ENV.subscriptionKey}')`]);
  }
  return lines(
    `headers = ${dict(headers, '')}`,
    'response = requests.get(API_URL, headers=headers, timeout=30)',
    'if not response.ok:',
    "    sys.exit(f'API call failed (HTTP {response.status_code}): {response.text}')",
    'print(response.text)',
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    `# ${headline(plan, 'Python 3')}`,
    plan.pkce && 'import base64',
    plan.pkce && 'import hashlib',
    'import secrets',
    'import sys',
    'from http.server import BaseHTTPRequestHandler, HTTPServer',
    'from urllib.parse import parse_qs, urlencode, urlsplit',
    '',
    declarations(plan),
    '',
    authorizationUrl(plan),
    '',
    REDIRECT_RECEIVER,
    '# The token request snippet reads these from the environment.',
    `print(f"${SNIPPET_ENV.authorizationCode}={outcome['code']}")`,
    plan.pkce && `print(f'${SNIPPET_ENV.codeVerifier}={code_verifier}')`,
    plan.nonce && `print(f'${NONCE_PRINTED}{nonce}')`,
  );
}

/** state (and the PKCE pair), the authorization URL, and the line that prints it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    plan.pkce
      ? '# state ties the redirect to this request (CSRF); PKCE keeps the verifier here and sends only its hash.'
      : '# state ties the redirect to this request (CSRF).',
    'state = secrets.token_urlsafe(32)',
    plan.nonce && `# ${NONCE_COMMENT}`,
    plan.nonce && 'nonce = secrets.token_urlsafe(32)',
    plan.pkce && 'code_verifier = secrets.token_urlsafe(32)',
    plan.pkce && "code_challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b'=').decode()",
    '',
    `query = urlencode(${params(plan, '')})`,
    '# Appended as written: the endpoint may carry a query of its own.',
    "separator = '&' if '?' in AUTHORIZATION_ENDPOINT else '?'",
    "print(f'Open this URL in a browser:\\n{AUTHORIZATION_ENDPOINT}{separator}{query}')",
  );
}

/** Serves the redirect URI until the redirect arrives; leaves its code in outcome['code'], or exits. */
const REDIRECT_RECEIVER = lines(
  'redirect = urlsplit(REDIRECT_URI)',
  'outcome = {}',
  '',
  '',
  'def problem_with(params):',
  '    """Why a redirect is unusable, or None when it brings a code for this request (RFC 6749 §4.1.2)."""',
  "    if params.get('state') != state:",
  "        return 'The state does not match this request; ignoring the redirect.'",
  "    if 'error' in params:",
  `        return f"Authorization failed: {params['error']} {params.get('error_description', '')}".strip()`,
  "    return None if params.get('code') else 'The redirect brings no code.'",
  '',
  '',
  'class RedirectHandler(BaseHTTPRequestHandler):',
  '    """Receives the browser\'s redirect on the loopback redirect URI (RFC 8252 §7.3)."""',
  '',
  '    def do_GET(self):',
  '        url = urlsplit(self.path)',
  '        if url.path != redirect.path:',
  '            self.send_error(404)',
  '            return',
  '        params = {name: values[0] for name, values in parse_qs(url.query).items()}',
  '        problem = problem_with(params)',
  '        self.send_response(400 if problem else 200)',
  "        self.send_header('Content-Type', 'text/plain; charset=utf-8')",
  '        self.end_headers()',
  "        self.wfile.write((problem or 'Done: return to the terminal. You can close this tab.').encode())",
  "        outcome.update(problem=problem, code=params.get('code'))",
  '',
  '    def log_message(self, *_args):',
  '        pass  # the terminal is for the result, not for request logs',
  '',
  '',
  'with HTTPServer((redirect.hostname, redirect.port or 80), RedirectHandler) as server:',
  '    while not outcome:',
  '        server.handle_request()',
  '',
  "if outcome['problem']:",
  "    sys.exit(outcome['problem'])",
);

/** Steps 1 to 6 in one script: the code, the verifier and the tokens never leave its memory. */
function completeFlow(plan: CompleteFlowPlan): string {
  const encoding = ['parse_qs', ...(plan.basicAuth && plan.basicEncoding === 'form-urlencoded' ? ['quote_plus'] : []), 'urlencode', 'urlsplit'];
  return lines(
    `# ${headline(plan, 'Python 3, requests')}`,
    plan.pkce && 'import base64',
    plan.pkce && 'import hashlib',
    plan.env.length > 0 && 'import os',
    'import secrets',
    'import sys',
    'from http.server import BaseHTTPRequestHandler, HTTPServer',
    `from urllib.parse import ${encoding.join(', ')}`,
    '',
    plan.idToken && '# PyJWT checks the ID token (pip install "pyjwt[crypto]"; Debian: python3-jwt).',
    plan.idToken && 'import jwt',
    'import requests',
    '',
    declarations(plan),
    plan.env.length > 0 ? ENV_FUNCTION : '',
    plan.idToken && ID_TOKEN_CHECK(plan.idToken.discoverJwksUri),
    '# Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '# Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    REDIRECT_RECEIVER,
    "code = outcome['code']",
    '',
    `# ${exchangeStep(plan)}`,
    tokenRequest(plan.exchange),
    'tokens = response.json()',
    "# The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    "print(f\"Tokens received; the access token expires in {tokens.get('expires_in', '?')} s.\")",
    plan.idToken && "id_token = verified_id_token(tokens.get('id_token'))",
    plan.idToken && "print(f\"ID token verified: issued by {id_token['iss']} for {id_token['sub']}.\")",
    '',
    '# Step 6: the API call, with the access token as a bearer token.',
    apiCall(plan.apiCall, "tokens['access_token']"),
  );
}

/**
 * verified_id_token(): OpenID Connect Core §3.1.3.7's checks with PyJWT, which fetches the key the token's
 * `kid` names. `discover`: the JWKS URL comes from the issuer's discovery document, not from a setting.
 */
function ID_TOKEN_CHECK(discover: boolean): string {
  return lines(
    'def verified_id_token(id_token):',
    '    """The ID token\'s claims, once OpenID Connect Core §3.1.3.7 has been checked; exits otherwise."""',
    '    if not id_token:',
    "        sys.exit('The token response has no id_token, though openid was requested (OpenID Connect Core §3.1.3.3).')",
    ...(discover
      ? [
          "    # The issuer's discovery document names its signing keys' URL (OpenID Connect Discovery §4).",
          "    metadata = requests.get(ISSUER.rstrip('/') + '/.well-known/openid-configuration', timeout=30)",
          '    if not metadata.ok:',
          "        sys.exit(f'Discovery failed (HTTP {metadata.status_code}): {metadata.text}')",
          "    jwks_uri = metadata.json()['jwks_uri']",
        ]
      : ['    jwks_uri = JWKS_URI']),
    '    try:',
    "        # §3.1.3.7 item 6: signed by the issuer's key that the token's kid names. Only asymmetric algorithms are",
    '        # allowed: "none" or an HMAC "signed" with the public key would prove nothing.',
    '        key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(id_token).key',
    '        claims = jwt.decode(',
    '            id_token,',
    '            key,',
    "            algorithms=['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],",
    '            # Item 2: iss is exactly the issuer. Item 3: aud contains this client ID.',
    '            issuer=ISSUER,',
    '            audience=CLIENT_ID,',
    '            # Items 9 and 10: exp not passed and iat present, allowing 30 s of clock difference.',
    '            leeway=30,',
    "            options={'require': ['iss', 'sub', 'aud', 'exp', 'iat']},",
    '        )',
    '    except jwt.PyJWTError as error:',
    "        sys.exit(f'The ID token was refused: {error} (OpenID Connect Core §3.1.3.7).')",
    '    # Items 4 and 5: with several audiences, azp must name this client.',
    "    audiences = claims['aud'] if isinstance(claims['aud'], list) else [claims['aud']]",
    "    if len(audiences) > 1 and claims.get('azp') != CLIENT_ID:",
    "        sys.exit('The ID token was refused: its azp is not this client ID (OpenID Connect Core §3.1.3.7).')",
    '    # Item 11: the nonce this program sent, so an ID token from another request cannot be slipped in.',
    "    if claims.get('nonce') != nonce:",
    "        sys.exit('The ID token was refused: its nonce is not the one this request sent (OpenID Connect Core §3.1.3.7).')",
    '    return claims',
    '',
    '',
  );
}
