// Java 17 snippets on java.net.http: single-file programs, runnable as `java Snippet.java`.
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
import { backslashEscaped, hex4 } from './stringEscapes';

export const javaLanguage: SnippetLanguage = {
  id: 'java',
  label: 'Java (java.net.http)',
  generate: javaSnippet,
};

/** Not public: the single-file launcher and javac then accept any file name. */
const CLASS_NAME: Record<SnippetKind, string> = {
  authorizationRequest: 'AuthorizationRequest',
  tokenExchange: 'TokenExchange',
  refresh: 'RefreshToken',
  apiCall: 'ApiCall',
  completeFlow: 'AuthorizationCodeFlow',
};

function javaSnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    return program(plan, 'Java 17, com.sun.net.httpserver, java.net.http', completeFlow(plan), [completeFlowMethods(plan), SEND, FORM, RECEIVE, CALLBACK]);
  }
  const plan = planSnippet(kind, context);
  if (kind === 'authorizationRequest') {
    return program(plan, 'Java 17, com.sun.net.httpserver', authorizationRequest(plan), [FORM, RECEIVE, CALLBACK]);
  }
  return kind === 'apiCall'
    ? program(plan, 'Java 17, java.net.http', lines(apiCall(plan, `env("${SNIPPET_ENV.accessToken}")`), '        System.out.println(send(request));'), [SEND])
    : program(plan, 'Java 17, java.net.http', lines(tokenRequest(plan), '        System.out.println(send(request.build()));'), [SEND, FORM]);
}

/** The class: headline, imports, the settings as constants, `main` with `body`, then the `members`. */
function program(plan: SnippetPlan, tool: string, body: string, members: string[]): string {
  const code = lines(
    `// ${headline(plan, tool)}`,
    ...imports(plan).map((name) => `import ${name};`),
    '',
    `class ${CLASS_NAME[plan.kind]} {`,
    ...plan.settings.map(({ name }, index) => `    static final String ${constant(name)} = "${slot(index)}";`),
    '',
    '    public static void main(String[] args) throws Exception {',
    body,
    '    }',
    members.join('').trimEnd(),
    '}',
  );
  return toSnippet(`${code}\n`, plan, javaString);
}

const constant = (name: string): string => words(name).join('_').toUpperCase();

/**
 * The contents of a Java string literal. Non-ASCII becomes \uXXXX: Java 17 reads sources in the
 * platform encoding, which is ASCII under a C locale.
 */
function javaString(value: string): string {
  return backslashEscaped(value, '"').replace(/[^\x20-\x7e]/g, (char) => `\\u${hex4(char)}`);
}

function expression(value: PlanValue): string {
  if ('text' in value) return `"${javaString(value.text)}"`;
  if ('env' in value) return `env("${value.env}")`;
  if ('setting' in value) return constant(value.setting);
  return { state: 'state', nonce: 'nonce', codeChallenge: 'challenge', code: 'code', codeVerifier: 'verifier' }[value.generated];
}

/** `target.put(name, value);` for each parameter, in the order the extension sends them. */
function puts(plan: SnippetPlan, target: string): string[] {
  return plan.params.flatMap(([name, value]) => [
    ...(name === 'client_id' && plan.kind !== 'authorizationRequest' ? [`        // ${bodyAuthentication(plan, 'section ')}`] : []),
    `        ${target}.put("${javaString(name)}", ${expression(value)});`,
  ]);
}


function imports(plan: SnippetPlan): string[] {
  const form = ['java.net.URLEncoder', 'java.nio.charset.StandardCharsets', 'java.util.LinkedHashMap', 'java.util.Map', 'java.util.stream.Collectors'];
  const http = ['java.net.URI', 'java.net.http.HttpClient', 'java.net.http.HttpRequest', 'java.net.http.HttpResponse', 'java.time.Duration'];
  const authorization = [...form, 'com.sun.net.httpserver.HttpServer', 'java.net.InetSocketAddress', 'java.net.URI', 'java.net.URLDecoder',
    'java.security.SecureRandom', 'java.util.Base64', 'java.util.HashMap', 'java.util.concurrent.CompletableFuture',
    ...(plan.pkce ? ['java.security.MessageDigest'] : [])];
  const tokenRequest = [...http, ...form, ...(plan.basicAuth ? ['java.util.Base64'] : [])];
  const names = plan.kind === 'apiCall' ? http
    : plan.kind === 'authorizationRequest' ? authorization
      : plan.kind === 'completeFlow' ? [...authorization, ...tokenRequest, 'java.util.regex.Matcher', 'java.util.regex.Pattern']
        : tokenRequest;
  return [...new Set(names)].sort();
}

/** Builds the API request in `request`; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  return lines(
    '        HttpRequest request = HttpRequest.newBuilder(URI.create(API_URL))',
    '                .header("Accept", "application/json")',
    `                .header("Authorization", "Bearer " + ${token})`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '                // The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `                .header(SUBSCRIPTION_KEY_HEADER, env("${SNIPPET_ENV.subscriptionKey}"))`,
    '                .build();',
  );
}

/** Builds the token request in the builder `request`. */
function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `encode(${value})`, 'section ');
  return lines(
    '        Map<String, String> form = new LinkedHashMap<>();',
    ...puts(plan, 'form'),
    '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TOKEN_ENDPOINT))',
    '                .header("Content-Type", "application/x-www-form-urlencoded")',
    '                .header("Accept", "application/json")',
    '                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));',
    plan.basicAuth && `        // ${basic.comment}`,
    plan.basicAuth && `        String credentials = ${basic.spell('CLIENT_ID')} + ":" + ${basic.spell(`env("${SNIPPET_ENV.clientSecret}")`)};`,
    plan.basicAuth && '        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));',
  );
}

/** state (and the PKCE pair), the authorization URL, and the lines that print it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    '        String state = randomToken();',
    plan.nonce && `        // ${NONCE_COMMENT.replace('§', 'section ')}`,
    plan.nonce && '        String nonce = randomToken();',
    plan.pkce && '        // PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && '        String verifier = randomToken();',
    plan.pkce && '        String challenge = Base64.getUrlEncoder().withoutPadding()',
    plan.pkce && '                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));',
    '        Map<String, String> query = new LinkedHashMap<>();',
    ...puts(plan, 'query'),
    '        System.out.println("Open this URL in a browser:");',
    `        System.out.println(AUTHORIZATION_ENDPOINT + "${querySeparator(plan)}" + formEncode(query));`,
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    authorizationUrl(plan),
    plan.pkce && `        System.out.println("${SNIPPET_ENV.codeVerifier}=" + verifier);`,
    plan.nonce && `        System.out.println("${NONCE_PRINTED}" + nonce);`,
    '',
    '        String code = receiveCode(state);',
    `        System.out.println("${SNIPPET_ENV.authorizationCode}=" + code);`,
  );
}

/** main() of the complete flow: steps 1 to 6, with the code, the verifier and the tokens kept in memory. */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    '        // Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '        // Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    '        String code = receiveCode(state);',
    '',
    `        // ${exchangeStep(plan)}`,
    `        String tokens = exchangeCode(code${plan.pkce ? ', verifier' : ''});`,
    '        String accessToken = jsonField(tokens, "access_token");',
    '        if (accessToken == null) {',
    '            throw new IllegalStateException("No access_token in the token response: " + tokens);',
    '        }',
    plan.nonce && `        // ${idTokenReminder('Nimbus OAuth 2.0 SDK with OpenID Connect extensions (IDTokenValidator, given the issuer, client ID, JWKS URL and nonce)', 'section ')}`,
    "        // The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    '        System.out.println("Tokens received; the access token expires in " + jsonField(tokens, "expires_in") + " s.");',
    '',
    '        // Step 6: the API call, with the access token as a bearer token.',
    '        System.out.println(callApi(accessToken));',
  );
}

function completeFlowMethods(plan: CompleteFlowPlan): string {
  return lines(
    '',
    '    /** Posts the code to the token endpoint and returns the token response. */',
    `    static String exchangeCode(String code${plan.pkce ? ', String verifier' : ''}) throws Exception {`,
    tokenRequest(plan.exchange),
    '        return send(request.build());',
    '    }',
    '',
    '    /** Sends a GET with the access token to the API and returns the response body. */',
    '    static String callApi(String accessToken) throws Exception {',
    apiCall(plan.apiCall, 'accessToken'),
    '        return send(request);',
    '    }',
    JSON_FIELD,
  );
}

/**
 * The JDK has no JSON parser. A pattern is enough for the token response's access_token, whose
 * characters RFC 6750 §2.1 (b64token) limits to letters, digits and -._~+/=, and expires_in, a number.
 */
const JSON_FIELD = String.raw`
    /** A string field of the JSON response made of b64token characters, or a number field; null without it. */
    static String jsonField(String json, String name) {
        Matcher field = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"?([\\w.~+/=-]*)").matcher(json);
        return field.find() ? field.group(1) : null;
    }
`;

const SEND = `
    /** Returns the response body; a status outside 2xx prints the body and ends the program with exit code 1. */
    static String send(HttpRequest request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            System.out.println(response.body());
            System.err.println("HTTP " + response.statusCode());
            System.exit(1);
        }
        return response.body();
    }

    /** Secrets and per-run values come from the environment, never from the source. */
    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("Set the environment variable " + name);
        }
        return value;
    }
`;

const FORM = `
    /** application/x-www-form-urlencoded, the encoding OAuth uses for bodies and Basic credentials. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String formEncode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }
`;

const RECEIVE = `
    /** Serves the redirect URI until the response for this request arrives, and returns its code. */
    static String receiveCode(String state) throws Exception {
        URI redirect = URI.create(REDIRECT_URI);
        CompletableFuture<Map<String, String>> received = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(redirect.getHost(), redirect.getPort()), 0);
        server.createContext(redirect.getPath().isEmpty() ? "/" : redirect.getPath(), exchange -> {
            Map<String, String> params = parseQuery(exchange.getRequestURI().getRawQuery());
            String problem = problemWith(params, state);
            byte[] page = (problem == null ? "Authorized: you can close this tab." : problem).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(problem == null ? 200 : 400, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
            received.complete(params);
        });
        server.start();
        Map<String, String> params = received.join();
        server.stop(0);
        String problem = problemWith(params, state);
        if (problem != null) {
            System.err.println(problem);
            System.exit(1);
        }
        return params.get("code");
    }
`;

const CALLBACK = `
    /** Why a redirect is refused, or null when it carries a code for this request. */
    static String problemWith(Map<String, String> params, String state) {
        // RFC 6749 section 10.12: a response without our state may be forged (CSRF), so it is never used.
        if (!state.equals(params.get("state"))) {
            return "The state does not match: ignoring this response.";
        }
        if (params.containsKey("error")) {
            return "Authorization failed: " + params.get("error") + " " + params.getOrDefault("error_description", "");
        }
        return null;
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            String[] nameValue = pair.split("=", 2);
            params.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    /** 32 bytes from the CSPRNG, base64url: a state, or a PKCE verifier of 43 characters (RFC 7636 section 4.1). */
    static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
`;
