// PHP snippets on the curl extension: scripts runnable with `php snippet.php`.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import {
  basicCredentials,
  bodyAuthentication,
  exchangeStep,
  idTokenReminder,
  NONCE_COMMENT,
  NONCE_PRINTED,
  headline,
  lines,
  planCompleteFlow,
  planSnippet,
  querySeparator,
  slot,
  toSnippet,
  words,
  type CompleteFlowPlan,
  type PlanValue,
  type SnippetPlan,
} from './snippetPlan';
import { hex4, splicedLiteral } from './stringEscapes';

export const phpLanguage: SnippetLanguage = {
  id: 'php',
  label: 'PHP (curl)',
  generate: phpSnippet,
};

function phpSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    return script(plan, 'PHP, built-in web server, curl', completeFlow(plan), true);
  }
  const plan = planSnippet(kind, context);
  if (kind === 'authorizationRequest') {
    return script(plan, 'PHP, built-in web server', authorizationRequest(plan), true);
  }
  return script(plan, 'PHP, curl', `\n${kind === 'apiCall' ? apiCall(plan) : tokenRequest(plan)}\n\n${HELPERS}`);
}

/** `<?php`, the headline, the settings as constants, then `body`. */
function script(plan: SnippetPlan, tool: string, body: string, servesItself = false): string {
  const code = lines(
    '<?php',
    `// ${headline(plan, tool)}`,
    servesItself && "// `php snippet.php` serves this file with PHP's built-in web server on the redirect URI's host and port.",
    '',
    ...plan.settings.map(({ name }, index) => `const ${constant(name)} = '${slot(index)}';`),
    body,
  );
  return toSnippet(code, plan, phpString);
}

const constant = (name: string): string => words(name).join('_').toUpperCase();

/**
 * The contents of a single-quoted PHP string: only \ and ' are special, and $ is not interpolated. The
 * characters of stringEscapes.ts are joined in as "\u{XXXX}", which only double quotes read.
 */
const phpString = (value: string): string =>
  splicedLiteral(value, (text) => text.replace(/[\\']/g, '\\$&'), (run) => `' . "${[...run].map((char) => `\\u{${hex4(char)}}`).join('')}" . '`);

function expression(value: PlanValue): string {
  if ('text' in value) return `'${phpString(value.text)}'`;
  if ('env' in value) return `env('${value.env}')`;
  if ('setting' in value) return constant(value.setting);
  return {
    state: "$_SESSION['state']",
    nonce: "$_SESSION['nonce']",
    codeChallenge: "base64url(hash('sha256', $_SESSION['verifier'], true))",
    code: '$code',
    codeVerifier: "$_SESSION['verifier']",
  }[value.generated];
}

/** An array literal's `'name' => value,` lines, in the order the extension sends the parameters. */
function entries(plan: SnippetPlan, indent: string): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`${indent}// ${bodyAuthentication(plan)}`] : []),
    `${indent}'${phpString(name)}' => ${expression(value)},`,
  ]);
}


/** `send(API_URL, [...]);` with the headers; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token = `env('${SNIPPET_ENV.accessToken}')`): string {
  return lines(
    'send(API_URL, [',
    '    CURLOPT_HTTPHEADER => [',
    "        'Accept: application/json',",
    `        'Authorization: Bearer ' . ${token},`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '        // The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `        SUBSCRIPTION_KEY_HEADER . ': ' . env('${SNIPPET_ENV.subscriptionKey}'),`,
    '    ],',
    ']);',
  );
}

function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `urlencode(${value})`);
  return lines(
    'send(TOKEN_ENDPOINT, [',
    '    CURLOPT_POST => true,',
    '    // An encoded string (not an array) makes curl send application/x-www-form-urlencoded.',
    '    CURLOPT_POSTFIELDS => http_build_query([',
    ...entries(plan, '        '),
    '    ]),',
    '    CURLOPT_HTTPHEADER => [',
    "        'Accept: application/json',",
    plan.basicAuth && `        // ${basic.comment}`,
    plan.basicAuth && `        'Authorization: Basic ' . base64_encode(${basic.spell('CLIENT_ID')} . ':' . ${basic.spell(`env('${SNIPPET_ENV.clientSecret}')`)}),`,
    '    ],',
    ']);',
  );
}

const HELPERS = `/** Secrets and per-run values come from the environment, never from the code. */
function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fwrite(STDERR, "Set the environment variable $name\\n");
        exit(2);
    }
    return $value;
}

/** Sends the request, prints the response body and exits with status 1 unless the response is 2xx. */
function send(string $url, array $options): void
{
    $curl = curl_init($url);
    curl_setopt_array($curl, $options + [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 30]);
    $body = curl_exec($curl);
    if ($body === false) {
        fwrite(STDERR, curl_error($curl) . "\\n");
        exit(1);
    }
    echo $body, "\\n";
    $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    if ($status < 200 || $status > 299) {
        fwrite(STDERR, "HTTP $status\\n");
        exit(1);
    }
}
`;

/**
 * A PHP script runs once per request, so the script doubles as the router of PHP's built-in server and
 * keeps state and verifier in the session between the start page and the redirect.
 */
function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    receiveRedirect(plan),
    `$result = '${SNIPPET_ENV.authorizationCode}=' . ($_GET['code'] ?? '')${plan.pkce ? ` . "\\n${SNIPPET_ENV.codeVerifier}=" . $_SESSION['verifier']` : ''}`
      + `${plan.nonce ? ` . "\\n${NONCE_PRINTED}" . $_SESSION['nonce']` : ''};`,
    'error_log($result);',
    'echo "Authorized. For the token exchange:\\n$result\\n";',
    '',
  );
}

/**
 * Everything up to a checked redirect: serving itself from the command line, the start page that sends
 * the browser to the authorization URL, and the state and error checks on the redirect.
 */
function receiveRedirect(plan: SnippetPlan, helpers = ''): string {
  return lines(
    '',
    "if (PHP_SAPI === 'cli') {",
    '    // From the command line: serve this same file with the built-in web server.',
    "    $address = parse_url(REDIRECT_URI, PHP_URL_HOST) . ':' . parse_url(REDIRECT_URI, PHP_URL_PORT);",
    '    echo "Open http://$address/ in a browser to sign in; Ctrl+C stops the server.\\n";',
    "    passthru(escapeshellarg(PHP_BINARY) . ' -S ' . escapeshellarg($address) . ' ' . escapeshellarg(__FILE__), $status);",
    '    exit($status);',
    '}',
    '',
    '/** Base64url without padding (RFC 7636 Appendix A): 32 random bytes make a 43-character verifier. */',
    'function base64url(string $bytes): string',
    '{',
    "    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');",
    '}',
    helpers,
    'session_start();',
    "header('Content-Type: text/plain; charset=utf-8');",
    "$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);",
    '',
    "if ($path === '/') {",
    "    $_SESSION['state'] = base64url(random_bytes(32));",
    plan.nonce && `    // ${NONCE_COMMENT}`,
    plan.nonce && "    $_SESSION['nonce'] = base64url(random_bytes(32));",
    plan.pkce && '    // PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && "    $_SESSION['verifier'] = base64url(random_bytes(32));",
    `    $url = AUTHORIZATION_ENDPOINT . '${querySeparator(plan)}' . http_build_query([`,
    ...entries(plan, '        '),
    "    ], '', '&', PHP_QUERY_RFC3986);",
    '    error_log("Authorization URL: $url");',
    '    header("Location: $url", true, 302);',
    '    exit;',
    '}',
    "if ($path !== parse_url(REDIRECT_URI, PHP_URL_PATH)) {",
    '    http_response_code(404);',
    '    exit;',
    '}',
    '',
    '// RFC 6749 §10.12: a response without our state may be forged (CSRF), so it is never used.',
    "$expected = $_SESSION['state'] ?? null;",
    "unset($_SESSION['state']);",
    "if ($expected === null || !hash_equals($expected, (string) ($_GET['state'] ?? ''))) {",
    '    http_response_code(400);',
    '    exit("The state does not match: ignoring this response.\\n");',
    '}',
    "if (isset($_GET['error'])) {",
    '    http_response_code(400);',
    `    exit("Authorization failed: {$_GET['error']} " . ($_GET['error_description'] ?? '') . "\\n");`,
    '}',
  );
}

/** Helpers that throw instead of exiting: in the web server a failure becomes the page the browser shows. */
const WEB_HELPERS = `
/** Secrets come from the environment of \`php snippet.php\`, never from the code. */
function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        throw new RuntimeException("Set the environment variable $name.");
    }
    return $value;
}

/** Sends the request and returns the response body; a status outside 2xx is an error that carries the body. */
function send(string $url, array $options): string
{
    $curl = curl_init($url);
    curl_setopt_array($curl, $options + [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 30]);
    $body = curl_exec($curl);
    if ($body === false) {
        throw new RuntimeException(curl_error($curl));
    }
    $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    if ($status < 200 || $status > 299) {
        throw new RuntimeException("HTTP $status from $url: $body");
    }
    return $body;
}
`;

/**
 * Steps 1 to 6 as one web app: the start page sends the browser to the authorization URL, and the
 * redirect's page exchanges the code and shows the API's answer. The tokens never leave the request.
 */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    receiveRedirect(plan.authorization, WEB_HELPERS),
    "$code = (string) ($_GET['code'] ?? '');",
    '',
    'try {',
    `    // ${exchangeStep(plan)}`,
    `    $tokens = json_decode(${indentBlock(tokenRequest(plan.exchange)).trimStart().replace(/;$/, '')}, true);`,
    "    $expiresIn = $tokens['expires_in'] ?? '?';",
    plan.nonce && `    // ${idTokenReminder("firebase/php-jwt (JWT::decode with JWK::parseKeySet of the issuer's jwks_uri), then iss, aud and the nonce compared,")}`,
    "    // The tokens stay in this request: printed, they would stay in the terminal's scrollback.",
    '    error_log("Tokens received; the access token expires in $expiresIn s.");',
    '',
    '    // Step 6: the API call, with the access token as a bearer token.',
    `    $body = ${indentBlock(apiCall(plan.apiCall, "$tokens['access_token']")).trimStart()}`,
    '    echo "Authorized. The API answered:\\n$body\\n";',
    '} catch (RuntimeException $failure) {',
    '    http_response_code(502);',
    '    error_log($failure->getMessage());',
    '    echo $failure->getMessage(), "\\n";',
    '}',
    '',
  );
}

function indentBlock(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}
