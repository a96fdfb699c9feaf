// Go snippets on net/http: `package main` programs for Go 1.19+, runnable with `go run snippet.go`.
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

export const goLanguage: SnippetLanguage = {
  id: 'go',
  label: 'Go (net/http)',
  generate: goSnippet,
};

function goSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    return program(plan, [completeFlow(plan), RECEIVE + CALLBACK + SEND + FAIL]);
  }
  const plan = planSnippet(kind, context);
  const main = kind === 'authorizationRequest'
    ? authorizationRequest(plan)
    : lines(kind === 'apiCall' ? apiCall(plan, `mustEnv("${SNIPPET_ENV.accessToken}")`) : tokenRequest(plan), '\tfmt.Println(string(send(request)))');
  return program(plan, [lines('func main() {', main, '}'), kind === 'authorizationRequest' ? RECEIVE + CALLBACK + FAIL : SEND + FAIL]);
}

/** The file: headline, package, imports, the settings as constants, then `parts`. */
function program(plan: SnippetPlan, parts: string[]): string {
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
    ...parts,
  );
  return toSnippet(code, plan, goString);
}

/** Go initialisms stay upper case: clientID, redirectURI, apiURL. */
const identifier = (name: string): string => name.replace(/(Id|Uri|Url)$/, (initialism) => initialism.toUpperCase());

/** The contents of a Go interpreted string literal (see stringEscapes.ts: Go refuses a raw BOM and a \\ud800 escape). */
const goString = (value: string): string => backslashEscaped(value, '"');

function expression(value: PlanValue): string {
  if ('text' in value) return `"${goString(value.text)}"`;
  if ('env' in value) return `mustEnv("${value.env}")`;
  if ('setting' in value) return identifier(value.setting);
  return { state: 'state', nonce: 'nonce', codeChallenge: 'challenge', code: 'code', codeVerifier: 'verifier' }[value.generated];
}

/** `target.Set(name, value)` for each parameter, in the order the extension sends them. */
function sets(plan: SnippetPlan, target: string): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`\t// ${bodyAuthentication(plan)}`] : []),
    `\t${target}.Set("${goString(name)}", ${expression(value)})`,
  ]);
}


function imports(plan: SnippetPlan): string[] {
  const authorization = ['context', 'crypto/rand', ...(plan.pkce ? ['crypto/sha256'] : []), 'encoding/base64', 'errors', 'fmt', 'net/http', 'net/url', 'os'];
  const tokenRequest = ['fmt', 'io', 'net/http', 'net/url', 'os', 'strings', 'time'];
  switch (plan.kind) {
    case 'authorizationRequest':
      return authorization;
    case 'apiCall':
      return ['fmt', 'io', 'net/http', 'os', 'time'];
    case 'completeFlow':
      return [...new Set([...authorization, ...tokenRequest, 'encoding/json'])].sort();
    default:
      return tokenRequest;
  }
}

/** The error check Go repeats after every call that can fail. */
const CHECK = '\tif err != nil {\n\t\tfail(err)\n\t}';

/** Builds the API request in `request`; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  return lines(
    '\trequest, err := http.NewRequest(http.MethodGet, apiURL, nil)',
    CHECK,
    '\trequest.Header.Set("Accept", "application/json")',
    `\trequest.Header.Set("Authorization", "Bearer "+${token})`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '\t// The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `\trequest.Header.Set(subscriptionKeyHeader, mustEnv("${SNIPPET_ENV.subscriptionKey}"))`,
  );
}

/** Builds the token request in `request`. */
function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `url.QueryEscape(${value})`);
  return lines(
    '\tform := url.Values{}',
    ...sets(plan, 'form'),
    '\trequest, err := http.NewRequest(http.MethodPost, tokenEndpoint, strings.NewReader(form.Encode()))',
    CHECK,
    '\trequest.Header.Set("Content-Type", "application/x-www-form-urlencoded")',
    '\trequest.Header.Set("Accept", "application/json")',
    plan.basicAuth && `\t// ${basic.comment}`,
    plan.basicAuth && `\trequest.SetBasicAuth(${basic.spell('clientID')}, ${basic.spell(`mustEnv("${SNIPPET_ENV.clientSecret}")`)})`,
  );
}

/** state (and the PKCE pair), the authorization URL, and the lines that print it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    '\tstate := randomToken()',
    plan.nonce && `\t// ${NONCE_COMMENT}`,
    plan.nonce && '\tnonce := randomToken()',
    plan.pkce && '\t// PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && '\tverifier := randomToken()',
    plan.pkce && '\tdigest := sha256.Sum256([]byte(verifier))',
    plan.pkce && '\tchallenge := base64.RawURLEncoding.EncodeToString(digest[:])',
    '\tquery := url.Values{}',
    ...sets(plan, 'query'),
    '\tfmt.Println("Open this URL in a browser:")',
    `\tfmt.Println(authorizationEndpoint + "${querySeparator(plan)}" + query.Encode())`,
  );
}

/** Steps 1 to 6 in one program: the code, the verifier and the tokens never leave its memory. */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    '// tokenResponse holds the fields of the token response (RFC 6749 §5.1) this program uses.',
    'type tokenResponse struct {',
    '\tAccessToken string `json:"access_token"`',
    '\tExpiresIn   int    `json:"expires_in"`',
    '}',
    '',
    'func main() {',
    '\t// Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '\t// Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    '\tcode := receiveCode(state)',
    '',
    `\t// ${exchangeStep(plan)}`,
    `\ttokens := exchangeCode(code${plan.pkce ? ', verifier' : ''})`,
    plan.nonce && `\t// ${idTokenReminder('github.com/coreos/go-oidc/v3 (provider.Verifier(&oidc.Config{ClientID: clientID}).Verify, then the nonce compared)')}`,
    "\t// The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    '\tfmt.Printf("Tokens received; the access token expires in %d s.\\n", tokens.ExpiresIn)',
    '',
    '\t// Step 6: the API call, with the access token as a bearer token.',
    '\tfmt.Println(string(callAPI(tokens.AccessToken)))',
    '}',
    '',
    '// exchangeCode posts the code to the token endpoint and returns the token response.',
    `func exchangeCode(${plan.pkce ? 'code, verifier' : 'code'} string) tokenResponse {`,
    tokenRequest(plan.exchange),
    '\tvar tokens tokenResponse',
    '\tif err := json.Unmarshal(send(request), &tokens); err != nil {',
    '\t\tfail(err)',
    '\t}',
    '\treturn tokens',
    '}',
    '',
    '// callAPI sends a GET with the access token to the API and returns the response body.',
    'func callAPI(accessToken string) []byte {',
    apiCall(plan.apiCall, 'accessToken'),
    '\treturn send(request)',
    '}',
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    authorizationUrl(plan),
    plan.pkce && `\tfmt.Println("${SNIPPET_ENV.codeVerifier}=" + verifier)`,
    plan.nonce && `\tfmt.Println("${NONCE_PRINTED}" + nonce)`,
    '',
    '\tcode := receiveCode(state)',
    `\tfmt.Println("${SNIPPET_ENV.authorizationCode}=" + code)`,
  );
}

const RECEIVE = `
// receiveCode serves the redirect URI until the response for this request arrives, and returns its code.
func receiveCode(state string) string {
	redirect, err := url.Parse(redirectURI)
${CHECK}
	path := redirect.Path
	if path == "" {
		path = "/"
	}
	received := make(chan url.Values, 1)
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		query := r.URL.Query()
		if err := callbackError(query, state); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		} else {
			fmt.Fprintln(w, "Authorized: you can close this tab.")
		}
		select {
		case received <- query:
		default: // A later request: the first one already decided.
		}
	})
	server := &http.Server{Addr: redirect.Host, Handler: mux}
	go func() {
		if err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			fail(err)
		}
	}()
	query := <-received
	// Shutdown lets the browser receive its page before the program goes on.
	server.Shutdown(context.Background())
	if err := callbackError(query, state); err != nil {
		fail(err)
	}
	return query.Get("code")
}
`;

const SEND = `
// send returns the response body; a status outside 2xx prints the body and exits with status 1.
func send(request *http.Request) []byte {
	client := &http.Client{Timeout: 30 * time.Second}
	response, err := client.Do(request)
${CHECK}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
${CHECK}
	if response.StatusCode < 200 || response.StatusCode > 299 {
		fmt.Println(string(body))
		fail(fmt.Errorf("HTTP %s", response.Status))
	}
	return body
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
