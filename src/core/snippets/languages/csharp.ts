// C# snippets on HttpClient: .NET 6+ console programs with top-level statements and implicit usings.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import { bodyAuthentication, headline, lines, planSnippet, querySeparator, slot, toSnippet, type PlanValue, type SnippetPlan } from './snippetPlan';

export const csharpLanguage: SnippetLanguage = {
  id: 'csharp',
  label: 'C# (HttpClient)',
  generate: csharpSnippet,
};

function csharpSnippet(kind: SnippetKind, context: SnippetContext): string {
  const plan = planSnippet(kind, context);
  // Only what .NET 6's implicit usings (System, System.Linq, System.Net.Http, ...) leave out.
  const usings = kind === 'authorizationRequest' ? ['System.Net', 'System.Security.Cryptography', 'System.Text']
    : kind === 'apiCall' ? ['System.Net.Http.Headers'] : plan.basicAuth ? ['System.Net', 'System.Net.Http.Headers', 'System.Text'] : [];
  const code = lines(
    `// ${headline(plan, kind === 'authorizationRequest' ? '.NET 6+, HttpListener' : '.NET 6+, HttpClient')}`,
    '// A console app: put this in Program.cs and run `dotnet run`.',
    ...usings.map((name) => `using ${name};`),
    '',
    ...plan.settings.map(({ name }, index) => `const string ${constant(name)} = "${slot(index)}";`),
    '',
    kind === 'authorizationRequest' ? authorizationRequest(plan) : lines(kind === 'apiCall' ? apiCall(plan) : tokenRequest(plan), HELPERS),
  );
  return toSnippet(code, plan, csharpString);
}

const constant = (name: string): string => name[0].toUpperCase() + name.slice(1);

/** The contents of a regular C# string literal; JSON's escapes are a subset of C#'s. */
const csharpString = (value: string): string => JSON.stringify(value).slice(1, -1);

function expression(value: PlanValue): string {
  if ('text' in value) return `"${csharpString(value.text)}"`;
  if ('env' in value) return `Env("${value.env}")`;
  if ('setting' in value) return constant(value.setting);
  return value.generated === 'state' ? 'state' : 'Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))';
}

/** A dictionary initializer's `["name"] = value,` lines, in the order the extension sends the parameters. */
function entries(plan: SnippetPlan): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`    // ${bodyAuthentication(plan)}`] : []),
    `    ["${csharpString(name)}"] = ${expression(value)},`,
  ]);
}


function apiCall(plan: SnippetPlan): string {
  return lines(
    'using var request = new HttpRequestMessage(HttpMethod.Get, ApiUrl);',
    'request.Headers.Accept.ParseAdd("application/json");',
    `request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Env("${SNIPPET_ENV.accessToken}"));`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '// The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `request.Headers.Add(SubscriptionKeyHeader, Env("${SNIPPET_ENV.subscriptionKey}"));`,
    'return await Send(request);',
  );
}

function tokenRequest(plan: SnippetPlan): string {
  return lines(
    'var form = new Dictionary<string, string>',
    '{',
    ...entries(plan),
    '};',
    'using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };',
    'request.Headers.Accept.ParseAdd("application/json");',
    plan.basicAuth && '// RFC 6749 §2.3.1: client_id and secret are form-encoded before Basic joins them.',
    plan.basicAuth && `var credentials = $"{WebUtility.UrlEncode(ClientId)}:{WebUtility.UrlEncode(Env("${SNIPPET_ENV.clientSecret}"))}";`,
    plan.basicAuth && 'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));',
    'return await Send(request);',
  );
}

const HELPERS = `
// Secrets and per-run values come from the environment, never from the code.
static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set the environment variable {name}.");

// Prints the response body; a status outside 2xx becomes exit code 1.
static async Task<int> Send(HttpRequestMessage request)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    using var response = await http.SendAsync(request);
    Console.WriteLine(await response.Content.ReadAsStringAsync());
    return response.IsSuccessStatusCode ? 0 : 1;
}
`;

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    'var state = RandomToken();',
    plan.pkce && '// PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && 'var verifier = RandomToken();',
    'var query = new Dictionary<string, string>',
    '{',
    ...entries(plan),
    '};',
    'Console.WriteLine("Open this URL in a browser:");',
    `Console.WriteLine(AuthorizationEndpoint + "${querySeparator(plan)}" + string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));`,
    plan.pkce && `Console.WriteLine($"${SNIPPET_ENV.codeVerifier}={verifier}");`,
    `
// Listen on the redirect URI's origin and answer requests until the redirect itself arrives.
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
    : null;
var page = Encoding.UTF8.GetBytes(problem ?? "Authorized: you can close this tab.");
context.Response.StatusCode = problem is null ? 200 : 400;
context.Response.ContentType = "text/plain; charset=utf-8";
await context.Response.OutputStream.WriteAsync(page);
context.Response.Close();
if (problem is not null)
{
    Console.Error.WriteLine(problem);
    return 1;
}
Console.WriteLine($"${SNIPPET_ENV.authorizationCode}={parameters["code"]}");
return 0;

// 32 bytes from the CSPRNG, base64url: a state, or a 43-character PKCE verifier (RFC 7636 §4.1).
static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
`,
  );
}
