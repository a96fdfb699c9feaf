// Go snippets on net/http: `package main` programs for Go 1.19+, runnable with `go run snippet.go`.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import { bodyAuthentication, headline, lines, planSnippet, querySeparator, slot, toSnippet, type PlanValue, type SnippetPlan } from './snippetPlan';

export const goLanguage: SnippetLanguage = {
  id: 'go',
  label: 'Go (net/http)',
  generate: goSnippet,
};

function goSnippet(kind: SnippetKind, context: SnippetContext): string {
  const plan = planSnippet(kind, context);
  // gofmt aligns the = of a const block: padded names keep the output gofmt-clean.
  const width = Math.max(...plan.settings.map(({ name }) => identifier(name).length));
  const code = lines(
    `// ${headline(plan, 'Go 1.19+, net/http')}`,
    '',
    'package main',
    '',
    'import (',
    ...imports(plan).map((name) => `\t"${name}"`),
    ')',
    '',
    'const (',
    ...plan.settings.map(({ name }, index) => `\t${identifier(name).padEnd(width)} = "${slot(index)}"`),
    ')',
    '',
    'func main() {',
    kind === 'authorizationRequest' ? authorizationRequest(plan) : kind === 'apiCall' ? apiCall(plan) : tokenRequest(plan),
    '}',
    kind === 'authorizationRequest' ? CALLBACK + FAIL : SEND + FAIL,
  );
  return toSnippet(code, plan, goString);
}

/** Go initialisms stay upper case: clientID, redirectURI, apiURL. */
const identifier = (name: string): string => name.replace(/(Id|Uri|Url)$/, (initialism) => initialism.toUpperCase());

/** The contents of a Go interpreted string literal; JSON's escapes are a subset of Go's. */
const goString = (value: string): string => JSON.stringify(value).slice(1, -1);

function expression(value: PlanValue): string {
  if ('text' in value) return `"${goString(value.text)}"`;
  if ('env' in value) return `mustEnv("${value.env}")`;
  return 'setting' in value ? identifier(value.setting) : value.generated === 'state' ? 'state' : 'challenge';
}

/** `target.Set(name, value)` for each parameter, in the order the extension sends them. */
function sets(plan: SnippetPlan, target: string): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`\t// ${bodyAuthentication(plan)}`] : []),
    `\t${target}.Set("${goString(name)}", ${expression(value)})`,
  ]);
}


function imports(plan: SnippetPlan): string[] {
  if (plan.kind === 'apiCall') return ['fmt', 'io', 'net/http', 'os', 'time'];
  if (plan.kind !== 'authorizationRequest') return ['fmt', 'io', 'net/http', 'net/url', 'os', 'strings', 'time'];
  return ['context', 'crypto/rand', ...(plan.pkce ? ['crypto/sha256'] : []), 'encoding/base64', 'errors', 'fmt', 'net/http', 'net/url', 'os'];
}

/** The error check Go repeats after every call that can fail. */
const CHECK = '\tif err != nil {\n\t\tfail(err)\n\t}';

function apiCall(plan: SnippetPlan): string {
  return lines(
    '\trequest, err := http.NewRequest(http.MethodGet, apiURL, nil)',
    CHECK,
    '\trequest.Header.Set("Accept", "application/json")',
    `\trequest.Header.Set("Authorization", "Bearer "+mustEnv("${SNIPPET_ENV.accessToken}"))`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '\t// The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `\trequest.Header.Set(subscriptionKeyHeader, mustEnv("${SNIPPET_ENV.subscriptionKey}"))`,
    '\tsend(request)',
  );
}

function tokenRequest(plan: SnippetPlan): string {
  return lines(
    '\tform := url.Values{}',
    ...sets(plan, 'form'),
    '\trequest, err := http.NewRequest(http.MethodPost, tokenEndpoint, strings.NewReader(form.Encode()))',
    CHECK,
    '\trequest.Header.Set("Content-Type", "application/x-www-form-urlencoded")',
    '\trequest.Header.Set("Accept", "application/json")',
    plan.basicAuth && '\t// RFC 6749 §2.3.1: client_id and secret are form-encoded before Basic joins them.',
    plan.basicAuth && `\trequest.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(mustEnv("${SNIPPET_ENV.clientSecret}")))`,
    '\tsend(request)',
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    '\tstate := randomToken()',
    plan.pkce && '\t// PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && '\tverifier := randomToken()',
    plan.pkce && '\tdigest := sha256.Sum256([]byte(verifier))',
    plan.pkce && '\tchallenge := base64.RawURLEncoding.EncodeToString(digest[:])',
    '\tquery := url.Values{}',
    ...sets(plan, 'query'),
    '\tfmt.Println("Open this URL in a browser:")',
    `\tfmt.Println(authorizationEndpoint + "${querySeparator(plan)}" + query.Encode())`,
    plan.pkce && `\tfmt.Println("${SNIPPET_ENV.codeVerifier}=" + verifier)`,
    '',
    '\t// Serve the redirect URI until the response for this request arrives.',
    '\tredirect, err := url.Parse(redirectURI)',
    CHECK,
    '\tpath := redirect.Path',
    '\tif path == "" {',
    '\t\tpath = "/"',
    '\t}',
    '\tresult := make(chan error, 1)',
    '\tmux := http.NewServeMux()',
    '\tmux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {',
    '\t\terr := callbackError(r.URL.Query(), state)',
    '\t\tif err != nil {',
    '\t\t\thttp.Error(w, err.Error(), http.StatusBadRequest)',
    '\t\t} else {',
    `\t\t\tfmt.Println("${SNIPPET_ENV.authorizationCode}=" + r.URL.Query().Get("code"))`,
    '\t\t\tfmt.Fprintln(w, "Authorized: you can close this tab.")',
    '\t\t}',
    '\t\tselect {',
    '\t\tcase result <- err:',
    '\t\tdefault: // A later request: the first one already decided.',
    '\t\t}',
    '\t})',
    '\tserver := &http.Server{Addr: redirect.Host, Handler: mux}',
    '\tgo func() {',
    '\t\tif err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {',
    '\t\t\tfail(err)',
    '\t\t}',
    '\t}()',
    '\terr = <-result',
    '\t// Shutdown lets the browser receive its page before the program ends.',
    '\tserver.Shutdown(context.Background())',
    CHECK,
  );
}

const SEND = `
// send prints the response body and exits with status 1 unless the response is 2xx.
func send(request *http.Request) {
	client := &http.Client{Timeout: 30 * time.Second}
	response, err := client.Do(request)
${CHECK}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
${CHECK}
	fmt.Println(string(body))
	if response.StatusCode < 200 || response.StatusCode > 299 {
		fail(fmt.Errorf("HTTP %s", response.Status))
	}
}

// mustEnv reads a secret or per-run value from the environment, so none is ever written into the code.
func mustEnv(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fail(fmt.Errorf("set the environment variable %s", name))
	}
	return value
}
`;

const CALLBACK = `
// callbackError says why a redirect is refused, or nil when it carries a code for this request.
func callbackError(query url.Values, state string) error {
	// RFC 6749 §10.12: a response without our state may be forged (CSRF), so it is never used.
	if query.Get("state") != state {
		return errors.New("the state does not match: ignoring this response")
	}
	if query.Has("error") {
		return fmt.Errorf("authorization failed: %s %s", query.Get("error"), query.Get("error_description"))
	}
	return nil
}

// randomToken returns 32 bytes from the CSPRNG, base64url: a state, or a 43-character PKCE verifier (RFC 7636 §4.1).
func randomToken() string {
	bytes := make([]byte, 32)
	if _, err := rand.Read(bytes); err != nil {
		fail(err)
	}
	return base64.RawURLEncoding.EncodeToString(bytes)
}
`;

const FAIL = `
func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
`;
