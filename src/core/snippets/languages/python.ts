// Python 3 snippets with requests for the token endpoint and the API, and only the standard library for the redirect.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import {
  basicCredentials,
  escapeSingleQuoted,
  exchangeStep,
  headline,
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
    const plan = planCompleteFlow(context);
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
  );
}

/** state (and the PKCE pair), the authorization URL, and the line that prints it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    plan.pkce
      ? '# state ties the redirect to this request (CSRF); PKCE keeps the verifier here and sends only its hash.'
      : '# state ties the redirect to this request (CSRF).',
    'state = secrets.token_urlsafe(32)',
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
    'import requests',
    '',
    declarations(plan),
    plan.env.length > 0 ? ENV_FUNCTION : '',
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
    '',
    '# Step 6: the API call, with the access token as a bearer token.',
    apiCall(plan.apiCall, "tokens['access_token']"),
  );
}
