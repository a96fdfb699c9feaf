// C# snippets on HttpClient: .NET 6+ console programs with top-level statements and implicit usings.
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
  type CompleteFlowPlan,
  type PlanValue,
  type SnippetPlan,
} from './snippetPlan';
import { backslashEscaped } from './stringEscapes';

export const csharpLanguage: SnippetLanguage = {
  id: 'csharp',
  label: 'C# (HttpClient)',
  generate: csharpSnippet,
};

function csharpSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    const usings = ['System.Net', 'System.Net.Http.Headers', 'System.Security.Cryptography', 'System.Text', 'System.Text.Json'];
    return program(plan, '.NET 6+, HttpListener, HttpClient', usings, completeFlow(plan));
  }
  const plan = planSnippet(kind, context);
  if (kind === 'authorizationRequest') {
    return program(plan, '.NET 6+, HttpListener', ['System.Net', 'System.Security.Cryptography', 'System.Text'], authorizationRequest(plan));
  }
  // System.Net for WebUtility, which only the form-urlencoded Basic credentials need.
  const basicUsings = [...(plan.basicEncoding === 'form-urlencoded' ? ['System.Net'] : []), 'System.Net.Http.Headers', 'System.Text'];
  const usings = kind === 'apiCall' ? ['System.Net.Http.Headers'] : plan.basicAuth ? basicUsings : [];
  const request = kind === 'apiCall' ? apiCall(plan, `Env("${SNIPPET_ENV.accessToken}")`) : tokenRequest(plan);
  return program(plan, '.NET 6+, HttpClient', usings, lines(request, 'return await Send(request);', ENV, HELPERS));
}

/**
 * The console program: headline, the `usings` that .NET 6's implicit ones (System, System.Linq,
 * System.Net.Http, ...) leave out, the settings as constants, then `body`.
 */
function program(plan: SnippetPlan, tool: string, usings: string[], body: string): string {
  const code = lines(
    `// ${headline(plan, tool)}`,
    '// A console app: put this in Program.cs and run `dotnet run`.',
    ...usings.map((name) => `using ${name};`),
    '',
    ...plan.settings.map(({ name }, index) => `const string ${constant(name)} = "${slot(index)}";`),
    '',
    body,
  );
  return toSnippet(code, plan, csharpString);
}

const constant = (name: string): string => name[0].toUpperCase() + name.slice(1);

/**
 * The contents of a regular C# string literal (see stringEscapes.ts). U+0085, U+2028 and U+2029 are
 * among the escaped characters: C# counts them as new-line characters, which a regular literal may not hold.
 */
const csharpString = (value: string): string => backslashEscaped(value, '"');

function expression(value: PlanValue): string {
  if ('text' in value) return `"${csharpString(value.text)}"`;
  if ('env' in value) return `Env("${value.env}")`;
  if ('setting' in value) return constant(value.setting);
  return {
    state: 'state',
    nonce: 'nonce',
    codeChallenge: 'Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))',
    code: 'code',
    codeVerifier: 'verifier',
  }[value.generated];
}

/** A dictionary initializer's `["name"] = value,` lines, in the order the extension sends the parameters. */
function entries(plan: SnippetPlan): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`    // ${bodyAuthentication(plan)}`] : []),
    `    ["${csharpString(name)}"] = ${expression(value)},`,
  ]);
}


/** Builds the API request in `request`; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  return lines(
    'using var request = new HttpRequestMessage(HttpMethod.Get, ApiUrl);',
    'request.Headers.Accept.ParseAdd("application/json");',
    `request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ${token});`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '// The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `request.Headers.Add(SubscriptionKeyHeader, Env("${SNIPPET_ENV.subscriptionKey}"));`,
  );
}

function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `WebUtility.UrlEncode(${value})`);
  return lines(
    'var form = new Dictionary<string, string>',
    '{',
    ...entries(plan),
    '};',
    'using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };',
    'request.Headers.Accept.ParseAdd("application/json");',
    plan.basicAuth && `// ${basic.comment}`,
    plan.basicAuth && `var credentials = $"{${basic.spell('ClientId')}}:{${basic.spell(`Env("${SNIPPET_ENV.clientSecret}")`)}}";`,
    plan.basicAuth && 'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));',
  );
}

const ENV = `
// Secrets and per-run values come from the environment, never from the code.
static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set the environment variable {name}.");`;

const HELPERS = `
// Prints the response body; a status outside 2xx becomes exit code 1.
static async Task<int> Send(HttpRequestMessage request)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    using var response = await http.SendAsync(request);
    Console.WriteLine(await response.Content.ReadAsStringAsync());
    return response.IsSuccessStatusCode ? 0 : 1;
}
`;

/** state (and the PKCE verifier), the authorization URL, and the lines that print it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    'var state = RandomToken();',
    plan.nonce && `// ${NONCE_COMMENT}`,
    plan.nonce && 'var nonce = RandomToken();',
    plan.pkce && '// PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && 'var verifier = RandomToken();',
    'var query = new Dictionary<string, string>',
    '{',
    ...entries(plan),
    '};',
    'Console.WriteLine("Open this URL in a browser:");',
    `Console.WriteLine(AuthorizationEndpoint + "${querySeparator(plan)}" + string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));`,
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    authorizationUrl(plan),
    plan.pkce && `Console.WriteLine($"${SNIPPET_ENV.codeVerifier}={verifier}");`,
    plan.nonce && `Console.WriteLine($"${NONCE_PRINTED}{nonce}");`,
    '',
    'var code = await ReceiveCode(state);',
    'if (code is null)',
    '{',
    '    return 1;',
    '}',
    `Console.WriteLine($"${SNIPPET_ENV.authorizationCode}={code}");`,
    'return 0;',
    RECEIVE,
  );
}

/** Steps 1 to 6 in one program: the code, the verifier and the tokens never leave its memory. */
function completeFlow(plan: CompleteFlowPlan): string {
  const verifier = plan.pkce ? ', verifier' : '';
  return lines(
    '// Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '// Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    'var code = await ReceiveCode(state);',
    'if (code is null)',
    '{',
    '    return 1;',
    '}',
    '',
    'try',
    '{',
    `    // ${exchangeStep(plan)}`,
    `    using var tokens = JsonDocument.Parse(await ExchangeCode(code${verifier}));`,
    '    var accessToken = tokens.RootElement.GetProperty("access_token").GetString() ?? "";',
    '    var expiresIn = tokens.RootElement.TryGetProperty("expires_in", out var seconds) ? seconds.ToString() : "?";',
    plan.nonce && `    // ${idTokenReminder("Microsoft.IdentityModel.JsonWebTokens (JsonWebTokenHandler.ValidateTokenAsync with the issuer's keys from Microsoft.IdentityModel.Protocols.OpenIdConnect), then the nonce compared,")}`,
    "    // The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    '    Console.WriteLine($"Tokens received; the access token expires in {expiresIn} s.");',
    '',
    '    // Step 6: the API call, with the access token as a bearer token.',
    '    Console.WriteLine(await CallApi(accessToken));',
    '    return 0;',
    '}',
    'catch (HttpRequestException failure)',
    '{',
    '    Console.Error.WriteLine(failure.Message);',
    '    return 1;',
    '}',
    '',
    '// Posts the code to the token endpoint and returns the token response.',
    `static async Task<string> ExchangeCode(string code${plan.pkce ? ', string verifier' : ''})`,
    '{',
    indentBlock(lines(tokenRequest(plan.exchange), 'return await Send(request);')),
    '}',
    '',
    '// Sends a GET with the access token to the API and returns the response body.',
    'static async Task<string> CallApi(string accessToken)',
    '{',
    indentBlock(lines(apiCall(plan.apiCall, 'accessToken'), 'return await Send(request);')),
    '}',
    plan.env.length > 0 && ENV,
    `
// Returns the response body; a status outside 2xx is an HttpRequestException that carries it.
static async Task<string> Send(HttpRequestMessage request)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"HTTP {(int)response.StatusCode}: {body}");
}`,
    RECEIVE,
  );
}

function indentBlock(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}

/** ReceiveCode() and the random-token helpers it and the authorization URL use. */
const RECEIVE = `
// Listens on the redirect URI's origin until the redirect arrives; returns its code, or null after saying why there is none.
static async Task<string?> ReceiveCode(string state)
{
    var redirect = new Uri(RedirectUri);
    using var listener = new HttpListener();
    listener.Prefixes.Add(redirect.GetLeftPart(UriPartial.Authority) + "/");
    listener.Start();
    HttpListenerContext context;
    while ((context = await listener.GetContextAsync()).Request.Url?.AbsolutePath != redirect.AbsolutePath)
    {
        context.Response.StatusCode = 404;
        context.Response.Close();
    }

    var parameters = context.Request.QueryString;
    // RFC 6749 §10.12: a response without our state may be forged (CSRF), so it is never used.
    var problem = parameters["state"] != state ? "The state does not match: ignoring this response."
        : parameters["error"] is { } error ? $"Authorization failed: {error} {parameters["error_description"]}"
        : parameters["code"] is null ? "The redirect brings no code."
        : null;
    var page = Encoding.UTF8.GetBytes(problem ?? "Authorized: you can close this tab.");
    context.Response.StatusCode = problem is null ? 200 : 400;
    context.Response.ContentType = "text/plain; charset=utf-8";
    await context.Response.OutputStream.WriteAsync(page);
    context.Response.Close();
    if (problem is not null)
    {
        Console.Error.WriteLine(problem);
        return null;
    }
    return parameters["code"];
}

// 32 bytes from the CSPRNG, base64url: a state, or a 43-character PKCE verifier (RFC 7636 §4.1).
static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
`;
