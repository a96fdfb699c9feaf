// PowerShell snippets (Windows PowerShell 5.1 and PowerShell 7): Invoke-RestMethod, and HttpListener for the redirect.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import { idTokenReminder, NONCE_COMMENT, NONCE_PRINTED, basicCredentials, exchangeStep, headline, lines, planCompleteFlow, planSnippet, slot, toSnippet, words, type CompleteFlowPlan, type PlanValue, type SnippetPlan } from './snippetPlan';
import { hex4, splicedLiteral } from './stringEscapes';

export const powershellLanguage: SnippetLanguage = {
  id: 'powershell',
  label: 'PowerShell',
  generate: powershellSnippet,
};

function powershellSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    return script(plan, 'PowerShell 5.1+, HttpListener, Invoke-RestMethod', completeFlow(plan));
  }
  const plan = planSnippet(kind, context);
  switch (kind) {
    case 'authorizationRequest':
      return script(plan, 'PowerShell 5.1+, HttpListener', lines(authorizationRequest(plan), PRINT_CODE(plan)));
    case 'apiCall':
      return script(plan, 'PowerShell 5.1+, Invoke-RestMethod', apiCall(plan, `$env:${SNIPPET_ENV.accessToken}`));
    default:
      return script(plan, 'PowerShell 5.1+, Invoke-RestMethod', lines(tokenRequest(plan), '$tokens | ConvertTo-Json -Compress'));
  }
}

/** The headline, the settings, the check that every variable read from the environment is set, then `body`. */
function script(plan: SnippetPlan, tool: string, body: string): string {
  const code = lines(
    `# ${headline(plan, tool)}`,
    plan.settings.map(({ name }, index) => `${variable(name)} = '${slot(index)}'`).join('\n'),
    '',
    plan.env.length > 0 &&
      lines(
        '# Secrets and per-run values come from the environment, never from the script.',
        `foreach ($name in ${plan.env.map((name) => `'${name}'`).join(', ')}) {`,
        '    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "Set the environment variable $name." }',
        '}',
        '',
      ),
    body,
  );
  return toSnippet(`${code}\n`, plan, quoteInner);
}

/**
 * In a single-quoted PowerShell string only the quote characters need care, and each is doubled. The
 * tokenizer takes U+2018-U+201B for ' as well (PowerShell/PowerShell, CharTraits.cs IsSingleQuote), so
 * a pasted ID with a curly quote would otherwise end the string and run what follows.
 */
function quoteInner(value: string): string {
  // The characters of stringEscapes.ts are joined in as [char] values: a single-quoted string has no escapes.
  return splicedLiteral(value, (text) => text.replace(/['\u2018-\u201B]/g, '$&$&'), (run) => `'${[...run].map((char) => ` + [char]0x${hex4(char)}`).join('')} + '`);
}

function variable(name: string): string {
  return `$${words(name).map((word) => word[0].toUpperCase() + word.slice(1)).join('')}`;
}

function expression(value: PlanValue): string {
  if ('text' in value) return `'${quoteInner(value.text)}'`;
  if ('env' in value) return `$env:${value.env}`;
  return variable('setting' in value ? value.setting : value.generated);
}

/** A hashtable literal with aligned `=`, as PowerShell code usually writes them. */
function hashtable(name: string, entries: [string, string][], ordered = false): string {
  const keys = entries.map(([key]) => (/^[A-Za-z_]\w*$/.test(key) ? key : `'${quoteInner(key)}'`));
  const width = Math.max(...keys.map((key) => key.length));
  const body = entries.map(([, value], index) => `    ${keys[index].padEnd(width)} = ${value}`);
  return lines(`$${name} = ${ordered ? '[ordered]' : ''}@{`, ...body, '}');
}

/** try/catch around one request: Invoke-RestMethod throws on a non-2xx status, with the body in ErrorDetails. */
function invoke(result: string, command: string, failure: string, why?: string): string {
  return lines(
    'try {',
    `    $${result} = ${command} -TimeoutSec 30`,
    '} catch {',
    why && `    # ${why}`,
    '    $detail = if ($_.ErrorDetails) { $_.ErrorDetails.Message } else { $_.Exception.Message }',
    `    Write-Error "${failure} (HTTP $([int]$_.Exception.Response.StatusCode)): $detail"`,
    '    exit 1',
    '}',
  );
}

function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `[Net.WebUtility]::UrlEncode(${value})`);
  const headers: [string, string][] = [['Accept', "'application/json'"]];
  if (plan.basicAuth) {
    headers.push(['Authorization', "'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($credentials))"]);
  }
  return lines(
    plan.basicAuth && `# ${basic.comment}`,
    plan.basicAuth && `$credentials = '{0}:{1}' -f ${basic.spell('$ClientId')}, ${basic.spell(`$env:${SNIPPET_ENV.clientSecret}`)}`,
    hashtable('headers', headers),
    '# A dictionary body is sent form-urlencoded; [ordered] keeps the parameters in this order.',
    hashtable('form', plan.params.map(([name, value]) => [name, expression(value)]), true),
    '',
    invoke(
      'tokens',
      'Invoke-RestMethod -Method Post -Uri $TokenEndpoint -Headers $headers -Body $form',
      'Token request failed',
      'RFC 6749 §5.2: a refused request answers with JSON naming the error and error_description.',
    ),
  );
}

/** The API call, printed as JSON; `token` is what expands to the access token inside a double-quoted string. */
function apiCall(plan: SnippetPlan, token: string): string {
  return lines(
    hashtable('headers', [
      ['Accept', "'application/json'"],
      ['Authorization', `"Bearer ${token}"`],
    ]),
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `$headers[$SubscriptionKeyHeader] = $env:${SNIPPET_ENV.subscriptionKey}`,
    '',
    invoke('result', 'Invoke-RestMethod -Uri $ApiUrl -Headers $headers', 'API call failed'),
    '# Invoke-RestMethod parsed the JSON body; print it back as JSON.',
    '$result | ConvertTo-Json -Depth 20 -Compress',
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    '# base64url without padding (RFC 7636 Appendix A).',
    'function ConvertTo-Base64Url([byte[]] $Bytes) {',
    "    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')",
    '}',
    '',
    'function New-RandomToken {',
    '    $bytes = [byte[]]::new(32)',
    '    [Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)',
    '    ConvertTo-Base64Url $bytes',
    '}',
    '',
    plan.pkce
      ? '# state ties the redirect to this request (CSRF); PKCE keeps the verifier here and sends only its hash.'
      : '# state ties the redirect to this request (CSRF).',
    '$State = New-RandomToken',
    plan.nonce && `# ${NONCE_COMMENT}`,
    plan.nonce && '$Nonce = New-RandomToken',
    plan.pkce && '$CodeVerifier = New-RandomToken',
    plan.pkce && '$CodeChallenge = ConvertTo-Base64Url ([Security.Cryptography.SHA256]::Create().ComputeHash([Text.Encoding]::ASCII.GetBytes($CodeVerifier)))',
    '',
    hashtable('query', plan.params.map(([name, value]) => [name, expression(value)]), true),
    "$pairs = foreach ($entry in $query.GetEnumerator()) { [Uri]::EscapeDataString($entry.Key) + '=' + [Uri]::EscapeDataString($entry.Value) }",
    '# Appended as written: the endpoint may carry a query of its own.',
    "$separator = if ($AuthorizationEndpoint.Contains('?')) { '&' } else { '?' }",
    "Write-Output \"Open this URL in a browser:`n$AuthorizationEndpoint$separator$($pairs -join '&')\"",
    '',
    "# A one-shot listener on the redirect URI's port receives the browser's redirect (RFC 8252 §7.3).",
    '$redirect = [Uri]$RedirectUri',
    '$listener = [Net.HttpListener]::new()',
    "$listener.Prefixes.Add($redirect.GetLeftPart([UriPartial]::Authority) + '/')",
    '$listener.Start()',
    'try {',
    '    do {',
    '        $context = $listener.GetContext()',
    '        $found = $context.Request.Url.AbsolutePath -ceq $redirect.AbsolutePath',
    '        if (-not $found) { $context.Response.StatusCode = 404; $context.Response.Close() }',
    '    } until ($found)',
    '    $params = $context.Request.QueryString',
    '    # RFC 6749 §4.1.2: the state must be the one sent, then either an error or a code.',
    "    $problem = if ($params['state'] -cne $State) {",
    "        'The state does not match this request; ignoring the redirect.'",
    "    } elseif ($params['error']) {",
    "        \"Authorization failed: $($params['error']) $($params['error_description'])\".Trim()",
    "    } elseif (-not $params['code']) {",
    "        'The redirect brings no code.'",
    '    }',
    '    $context.Response.StatusCode = if ($problem) { 400 } else { 200 }',
    "    $context.Response.ContentType = 'text/plain; charset=utf-8'",
    "    $page = [Text.Encoding]::UTF8.GetBytes($(if ($problem) { $problem } else { 'Done: return to the terminal. You can close this tab.' }))",
    '    $context.Response.OutputStream.Write($page, 0, $page.Length)',
    '    $context.Response.Close()',
    '} finally {',
    '    $listener.Stop()',
    '}',
    '',
    'if ($problem) {',
    '    Write-Error $problem',
    '    exit 1',
    '}',
  );
}

const PRINT_CODE = (plan: SnippetPlan): string =>
  lines(
    '# The token request snippet reads these from the environment.',
    `"\`$env:${SNIPPET_ENV.authorizationCode} = '{0}'" -f ($params['code'] -replace "['\\u2018-\\u201B]", '$0$0')`,
    plan.pkce && `"\`$env:${SNIPPET_ENV.codeVerifier} = '$CodeVerifier'"`,
    plan.nonce && `"# ${NONCE_PRINTED}$Nonce"`,
  );

/** Steps 1 to 6 in one script: the code, the verifier and the tokens never leave its variables. */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    '# Step 1: the authorization request, which the user opens in a browser; steps 2 and 3 happen there.',
    authorizationRequest(plan.authorization),
    "$Code = $params['code']",
    '',
    `# ${exchangeStep(plan)}`,
    tokenRequest(plan.exchange),
    plan.nonce && `# ${idTokenReminder("PowerShell has no JWT validation of its own: .NET's Microsoft.IdentityModel.JsonWebTokens (JsonWebTokenHandler)")}`,
    "# The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    '"Tokens received; the access token expires in $($tokens.expires_in) s."',
    '',
    '# Step 6: the API call, with the access token as a bearer token.',
    apiCall(plan.apiCall, '$($tokens.access_token)'),
  );
}
