// Java 17 snippets on java.net.http: single-file programs, runnable as `java Snippet.java`.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import { bodyAuthentication, headline, lines, planSnippet, querySeparator, slot, toSnippet, words, type PlanValue, type SnippetPlan } from './snippetPlan';

export const javaLanguage: SnippetLanguage = {
  id: 'java',
  label: 'Java (java.net.http)',
  generate: javaSnippet,
};

/** Not public: the single-file launcher and javac then accept any file name. */
const CLASS_NAME: Record<SnippetKind, string> = {
  authorizationRequest: 'AuthorizationRequest', tokenExchange: 'TokenExchange', refresh: 'RefreshToken', apiCall: 'ApiCall',
};

function javaSnippet(kind: SnippetKind, context: SnippetContext): string {
  const plan = planSnippet(kind, context);
  const code = lines(
    `// ${headline(plan, kind === 'authorizationRequest' ? 'Java 17, com.sun.net.httpserver' : 'Java 17, java.net.http')}`,
    ...imports(plan).map((name) => `import ${name};`),
    '',
    `class ${CLASS_NAME[kind]} {`,
    ...plan.settings.map(({ name }, index) => `    static final String ${constant(name)} = "${slot(index)}";`),
    '',
    '    public static void main(String[] args) throws Exception {',
    kind === 'authorizationRequest' ? authorizationRequest(plan) : kind === 'apiCall' ? apiCall(plan) : tokenRequest(plan),
    '    }',
    (kind === 'authorizationRequest' ? FORM + CALLBACK : kind === 'apiCall' ? SEND : SEND + FORM).trimEnd(),
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
  return JSON.stringify(value).slice(1, -1).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function expression(value: PlanValue): string {
  if ('text' in value) return `"${javaString(value.text)}"`;
  if ('env' in value) return `env("${value.env}")`;
  return 'setting' in value ? constant(value.setting) : value.generated === 'state' ? 'state' : 'challenge';
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
  const names = plan.kind === 'apiCall' ? http
    : plan.kind !== 'authorizationRequest' ? [...http, ...form, ...(plan.basicAuth ? ['java.util.Base64'] : [])]
      : [...form, 'com.sun.net.httpserver.HttpServer', 'java.net.InetSocketAddress', 'java.net.URI', 'java.net.URLDecoder',
        'java.security.SecureRandom', 'java.util.Base64', 'java.util.HashMap', 'java.util.concurrent.CompletableFuture',
        ...(plan.pkce ? ['java.security.MessageDigest'] : [])];
  return [...new Set(names)].sort();
}

function apiCall(plan: SnippetPlan): string {
  return lines(
    '        HttpRequest request = HttpRequest.newBuilder(URI.create(API_URL))',
    '                .header("Accept", "application/json")',
    `                .header("Authorization", "Bearer " + env("${SNIPPET_ENV.accessToken}"))`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '                // The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `                .header(SUBSCRIPTION_KEY_HEADER, env("${SNIPPET_ENV.subscriptionKey}"))`,
    '                .build();',
    '        send(request);',
  );
}

function tokenRequest(plan: SnippetPlan): string {
  return lines(
    '        Map<String, String> form = new LinkedHashMap<>();',
    ...puts(plan, 'form'),
    '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TOKEN_ENDPOINT))',
    '                .header("Content-Type", "application/x-www-form-urlencoded")',
    '                .header("Accept", "application/json")',
    '                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));',
    plan.basicAuth && '        // RFC 6749 section 2.3.1: client_id and secret are form-encoded before Basic joins them.',
    plan.basicAuth && `        String credentials = encode(CLIENT_ID) + ":" + encode(env("${SNIPPET_ENV.clientSecret}"));`,
    plan.basicAuth && '        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));',
    '        send(request.build());',
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    '        String state = randomToken();',
    plan.pkce && '        // PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && '        String verifier = randomToken();',
    plan.pkce && '        String challenge = Base64.getUrlEncoder().withoutPadding()',
    plan.pkce && '                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));',
    '        Map<String, String> query = new LinkedHashMap<>();',
    ...puts(plan, 'query'),
    '        System.out.println("Open this URL in a browser:");',
    `        System.out.println(AUTHORIZATION_ENDPOINT + "${querySeparator(plan)}" + formEncode(query));`,
    plan.pkce && `        System.out.println("${SNIPPET_ENV.codeVerifier}=" + verifier);`,
    '',
    '        // Serve the redirect URI until the response for this request arrives.',
    '        URI redirect = URI.create(REDIRECT_URI);',
    '        CompletableFuture<Boolean> done = new CompletableFuture<>();',
    '        HttpServer server = HttpServer.create(new InetSocketAddress(redirect.getHost(), redirect.getPort()), 0);',
    '        server.createContext(redirect.getPath().isEmpty() ? "/" : redirect.getPath(), exchange -> {',
    '            Map<String, String> params = parseQuery(exchange.getRequestURI().getRawQuery());',
    '            String problem = problemWith(params, state);',
    '            if (problem == null) {',
    `                System.out.println("${SNIPPET_ENV.authorizationCode}=" + params.get("code"));`,
    '            } else {',
    '                System.err.println(problem);',
    '            }',
    '            byte[] page = (problem == null ? "Authorized: you can close this tab." : problem).getBytes(StandardCharsets.UTF_8);',
    '            exchange.sendResponseHeaders(problem == null ? 200 : 400, page.length);',
    '            exchange.getResponseBody().write(page);',
    '            exchange.close();',
    '            done.complete(problem == null);',
    '        });',
    '        server.start();',
    '        boolean authorized = done.join();',
    '        server.stop(0);',
    '        System.exit(authorized ? 0 : 1);',
  );
}

const SEND = `
    /** Prints the response body; a status outside 2xx ends the program with exit code 1. */
    static void send(HttpRequest request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(response.body());
        if (response.statusCode() / 100 != 2) {
            System.err.println("HTTP " + response.statusCode());
            System.exit(1);
        }
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
