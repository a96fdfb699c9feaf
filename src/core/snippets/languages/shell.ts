// bash + curl snippets. No jq: responses are printed as the server sent them.
import { formUrlEncodeComponent } from '../../http/formUrlEncoding';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import { idTokenReminder, NONCE_COMMENT, NONCE_PRINTED, basicCredentials, exchangeStep, headline, lines, planCompleteFlow, planSnippet, slot, toSnippet, words, type CompleteFlowPlan, type PlanValue, type SnippetPlan } from './snippetPlan';
import { splicedLiteral, utf8Escapes } from './stringEscapes';

export const shellLanguage: SnippetLanguage = {
  id: 'shellscript',
  label: 'Shell (bash + curl)',
  generate: shellSnippet,
};

function shellSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    return script(planCompleteFlow(context), 'bash, openssl, curl', completeFlow);
  }
  const body = (plan: SnippetPlan): string =>
    kind === 'authorizationRequest'
      ? lines(authorizationRequest(plan), PRINT_CODE(plan))
      : kind === 'apiCall'
        ? apiCall(plan, `$${SNIPPET_ENV.accessToken}`)
        : lines(tokenRequest(plan), "printf '%s\\n' \"$response\"");
  return script(planSnippet(kind, context), kind === 'authorizationRequest' ? 'bash, openssl' : 'bash, curl', body);
}

/** The script around `body`: shebang, headline, strict mode, settings, the environment check, form encoding. */
function script<Plan extends SnippetPlan>(plan: Plan, tool: string, body: (plan: Plan) => string): string {
  const code = lines(
    '#!/usr/bin/env bash',
    `# ${headline(plan, tool)}`,
    'set -euo pipefail',
    '',
    plan.settings.map(({ name }, index) => `${variable(name)}='${slot(index)}'`).join('\n'),
    '',
    plan.env.length > 0 && requireEnv(plan),
    plan.kind !== 'apiCall' && FORM_ENCODE,
    body(plan),
  );
  return toSnippet(`${code}\n`, plan, shellString);
}

/**
 * The contents of a single-quoted shell string. Only ' itself needs care there: close, escaped quote,
 * reopen. The characters of stringEscapes.ts are joined in as $'\xNN' bytes, which need no UTF-8 locale
 * (a NUL among them is dropped: a shell variable cannot hold one).
 */
function shellString(value: string): string {
  return splicedLiteral(value, (text) => text.replace(/'/g, "'\\''"), (run) => `'$'${utf8Escapes(run)}''`);
}

function variable(name: string): string {
  return words(name).join('_');
}

function requireEnv(plan: SnippetPlan): string {
  return lines(
    '# Secrets and per-run values come from the environment, never from the script.',
    `for name in ${plan.env.join(' ')}; do`,
    '  if [[ -z ${!name:-} ]]; then',
    '    echo "Set the environment variable $name." >&2',
    '    exit 1',
    '  fi',
    'done',
    '',
  );
}

const FORM_ENCODE = lines(
  '# application/x-www-form-urlencoded, byte by byte (RFC 6749 Appendix B).',
  'form_encode() {',
  "  local LC_ALL=C text=$1 out='' char i",
  '  for ((i = 0; i < ${#text}; i++)); do',
  '    char=${text:i:1}',
  '    case $char in',
  '      [a-zA-Z0-9*._-]) out+=$char ;;',
  "      ' ') out+='+' ;;",
  "      *) printf -v char '%%%02X' \"'$char\"; out+=$char ;;",
  '    esac',
  '  done',
  "  printf '%s' \"$out\"",
  '}',
  '',
);

/** One `name=value` item of a form or query array, encoded at run time unless it is fixed text that needs no encoding. */
function formItem([name, value]: [string, PlanValue]): string {
  const encodedName = formUrlEncodeComponent(name);
  if ('text' in value) {
    return formUrlEncodeComponent(value.text) === value.text
      ? `'${encodedName}=${value.text}'`
      : `"${encodedName}=$(form_encode '${shellString(value.text)}')"`;
  }
  const source = 'env' in value ? value.env : variable('setting' in value ? value.setting : value.generated);
  return `"${encodedName}=$(form_encode "$${source}")"`;
}

function formArray(name: string, plan: SnippetPlan): string {
  return lines(`${name}=(`, ...plan.params.map((param) => `  ${formItem(param)}`), ')');
}

/**
 * curl with everything secret on stdin: a command line is visible to other local users (ps). --globoff:
 * the URL is sent as written, where curl would otherwise expand {a,b} and [1-2] into several requests.
 */
function curl(url: string, config: string[]): string {
  return lines(
    '# curl reads the secrets from stdin (--config -), not from its command line, which other local users can see.',
    `response=$(curl --silent --show-error --max-time 30 --globoff --write-out '\\n%{http_code}' --config - "$${url}" <<EOF`,
    ...config,
    'EOF',
    ')',
    "status=${response##*$'\\n'}",
    "response=${response%$'\\n'*}",
  );
}

function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `$(form_encode "${value}")`);
  return lines(
    formArray('form', plan),
    plan.basicAuth && `# ${basic.comment}`,
    plan.basicAuth && `basic=$(printf '%s:%s' "${basic.spell('$client_id')}" "${basic.spell(`$${SNIPPET_ENV.clientSecret}`)}" | base64 | tr -d '\\n')`,
    '',
    curl('token_endpoint', [
      'header = "Accept: application/json"',
      plan.basicAuth && 'header = "Authorization: Basic $basic"',
      `data-raw = "$(IFS='&'; printf '%s' "\${form[*]}")"`,
    ].filter((line): line is string => line !== false)),
    '# RFC 6749 §5.2: a refused request answers with JSON naming the error and error_description.',
    'if [[ $status != 2* ]]; then',
    '  echo "Token request failed (HTTP $status): $response" >&2',
    '  exit 1',
    'fi',
  );
}

/**
 * A header for curl's config, whose values come from settings and the environment: inside double quotes
 * curl reads \\ and \" as escapes and drops any other backslash, and a line break would end the line
 * and start an option of its own (curl docs/cmdline-opts/config.md). HTTP forbids line breaks in a
 * field anyway (RFC 9110 §5.5), so one is refused, and \ and " are escaped.
 */
const CONFIG_STRING = lines(
  '# One header for curl\'s config, quoted as curl reads it; a line break would start a config line of its own.',
  'config_string() {',
  "  if [[ $1 == *[$'\\r\\n']* ]]; then",
  "    echo 'A header holds a line break, which HTTP does not allow (RFC 9110 §5.5); check the setting and the environment.' >&2",
  '    return 1',
  '  fi',
  "  printf '%s' \"$1\" | sed 's/[\\\\\"]/\\\\&/g'",
  '}',
);

/** The API call; `token` is the shell expansion that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  const key = plan.env.includes(SNIPPET_ENV.subscriptionKey);
  return lines(
    CONFIG_STRING,
    `authorization=$(config_string "Authorization: Bearer ${token}")`,
    key && `subscription_key=$(config_string "$subscription_key_header: $${SNIPPET_ENV.subscriptionKey}")`,
    curl('api_url', [
      'header = "Accept: application/json"',
      'header = "$authorization"',
      ...(key ? ['header = "$subscription_key"'] : []),
    ]),
    'if [[ $status != 2* ]]; then',
    '  echo "API call failed (HTTP $status): $response" >&2',
    '  exit 1',
    'fi',
    "printf '%s\\n' \"$response\"",
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  const fail = (message: string): string[] => [`  echo ${message} >&2`, '  exit 1', 'fi'];
  return lines(
    '# base64url without padding (RFC 7636 Appendix A).',
    "base64url() { base64 | tr '+/' '-_' | tr -d '=\\n'; }",
    '',
    plan.pkce
      ? '# state ties the redirect to this request (CSRF); PKCE keeps the verifier here and sends only its hash.'
      : '# state ties the redirect to this request (CSRF).',
    'state=$(openssl rand 32 | base64url)',
    plan.nonce && `# ${NONCE_COMMENT}`,
    plan.nonce && 'nonce=$(openssl rand 32 | base64url)',
    plan.pkce && 'code_verifier=$(openssl rand 32 | base64url)',
    plan.pkce && "code_challenge=$(printf '%s' \"$code_verifier\" | openssl dgst -sha256 -binary | base64url)",
    '',
    formArray('query', plan),
    '# Appended as written: the endpoint may carry a query of its own.',
    "separator='?'",
    "if [[ $authorization_endpoint == *\\?* ]]; then separator='&'; fi",
    "printf 'Open this URL in a browser:\\n%s%s%s\\n\\n' \"$authorization_endpoint\" \"$separator\" \"$(IFS='&'; printf '%s' \"${query[*]}\")\"",
    '',
    '# Nothing listens on the redirect URI: once you consent, the browser fails to load it,',
    '# and its address bar holds the redirect with the code.',
    "read -r -p 'Paste the URL the browser was redirected to: ' redirected",
    '',
    '# The form-decoded value of one parameter of the pasted URL (empty when absent).',
    'redirect_param() {',
    '  local rest=${redirected#*\\?} pair value',
    '  local -a pairs',
    "  IFS='&' read -r -a pairs <<<\"${rest%%#*}\"",
    '  for pair in "${pairs[@]}"; do',
    '    if [[ ${pair%%=*} == "$1" ]]; then',
    '      value=${pair#*=}',
    '      value=${value//+/ }',
    "      printf '%b' \"${value//%/\\\\x}\"",
    '      return',
    '    fi',
    '  done',
    '}',
    '',
    '# RFC 6749 §4.1.2: the state must be the one sent, then either an error or a code.',
    'if [[ $(redirect_param state) != "$state" ]]; then',
    ...fail("'The state does not match this request; ignoring the redirect.'"),
    'error=$(redirect_param error)',
    'if [[ -n $error ]]; then',
    ...fail('"Authorization failed: $error $(redirect_param error_description)"'),
    'code=$(redirect_param code)',
    'if [[ -z $code ]]; then',
    ...fail("'The redirect brings no code.'"),
  );
}

const PRINT_CODE = (plan: SnippetPlan): string =>
  lines(
    '# The token request snippet reads these from the environment.',
    `printf 'export ${SNIPPET_ENV.authorizationCode}=%q\\n' "$code"`,
    plan.pkce && `printf 'export ${SNIPPET_ENV.codeVerifier}=%q\\n' "$code_verifier"`,
    plan.nonce && `printf '# ${NONCE_PRINTED}%s\\n' "$nonce"`,
  );

/**
 * Without jq, sed is enough for the token response's access_token, whose characters RFC 6750 §2.1
 * (b64token) limits to letters, digits and -._~+/=, and for expires_in, a number.
 */
const JSON_FIELD = String.raw`# A b64token string field (RFC 6750 §2.1) or a number field of the JSON response.
json_field() {
  printf '%s' "$response" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([A-Za-z0-9._~+\/=-]*\).*/\1/p"
}
`;

/** Steps 1 to 6 in one script: the code, the verifier and the tokens stay in its variables. */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    JSON_FIELD,
    '# Step 1: the authorization request, which the user opens in a browser; steps 2 and 3 happen there.',
    authorizationRequest(plan.authorization),
    '',
    `# ${exchangeStep(plan)}`,
    tokenRequest(plan.exchange),
    'access_token=$(json_field access_token)',
    'if [[ -z $access_token ]]; then',
    '  echo "No access_token in the token response: $response" >&2',
    '  exit 1',
    'fi',
    plan.nonce && `# ${idTokenReminder('bash cannot check a signature on its own: the Python (PyJWT) or JavaScript (jose) complete-flow snippet')}`,
    "# The tokens stay in variables: printed, they would stay in the terminal's scrollback.",
    'echo "Tokens received; the access token expires in $(json_field expires_in) s."',
    '',
    '# Step 6: the API call, with the access token as a bearer token.',
    apiCall(plan.apiCall, '$access_token'),
  );
}
