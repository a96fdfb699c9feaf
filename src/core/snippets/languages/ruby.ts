// Ruby snippets on net/http and the standard library: scripts runnable with `ruby snippet.rb`.
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../snippetGenerator';
import {
  basicCredentials,
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

export const rubyLanguage: SnippetLanguage = {
  id: 'ruby',
  label: 'Ruby (net/http)',
  generate: rubySnippet,
};

function rubySnippet(kind: SnippetKind, context: SnippetContext): string {
  if (kind === 'completeFlow') {
    const plan = planCompleteFlow(context);
    return script(plan, 'Ruby, socket, net/http', [...authorizationRequires(plan), 'json', 'net/http'], completeFlow(plan));
  }
  const plan = planSnippet(kind, context);
  if (kind === 'authorizationRequest') {
    return script(plan, 'Ruby, socket', authorizationRequires(plan), authorizationRequest(plan));
  }
  const request = kind === 'apiCall' ? apiCall(plan, `ENV.fetch('${SNIPPET_ENV.accessToken}')`) : tokenRequest(plan);
  return script(plan, 'Ruby, net/http', ['net/http'], lines(request, SEND));
}

function authorizationRequires(plan: SnippetPlan): string[] {
  return [...(plan.pkce ? ['base64', 'digest'] : []), 'securerandom', 'socket', 'uri'];
}

/** The headline, the requires (sorted), the settings as constants, then `body`. */
function script(plan: SnippetPlan, tool: string, requires: string[], body: string): string {
  const code = lines(
    `# ${headline(plan, tool)}`,
    ...[...requires].sort().map((name) => `require '${name}'`),
    '',
    ...plan.settings.map(({ name }, index) => `${constant(name)} = '${slot(index)}'`),
    '',
    body,
  );
  return toSnippet(code, plan, rubyString);
}

const constant = (name: string): string => words(name).join('_').toUpperCase();

/**
 * The contents of a single-quoted Ruby string: only \ and ' are special, and #{} is not interpolated.
 * The characters of stringEscapes.ts are joined in as an adjacent "\u{XXXX}" literal, which Ruby concatenates.
 */
const rubyString = (value: string): string =>
  splicedLiteral(value, (text) => text.replace(/[\\']/g, '\\$&'), (run) => `' "${[...run].map((char) => `\\u{${hex4(char)}}`).join('')}" '`);

function expression(value: PlanValue): string {
  if ('text' in value) return `'${rubyString(value.text)}'`;
  if ('env' in value) return `ENV.fetch('${value.env}')`;
  if ('setting' in value) return constant(value.setting);
  return {
    state: 'state',
    nonce: 'nonce',
    codeChallenge: 'Base64.urlsafe_encode64(Digest::SHA256.digest(verifier), padding: false)',
    code: 'code',
    codeVerifier: 'verifier',
  }[value.generated];
}

/** A hash argument's `'name' => value` lines, in the order the extension sends the parameters. */
function pairs(plan: SnippetPlan): string {
  return plan.params.map(([name, value]) => `  '${rubyString(name)}' => ${expression(value)}`).join(',\n');
}

/** Builds the API request in `uri` and `request`; `token` is the expression that holds the access token. */
function apiCall(plan: SnippetPlan, token: string): string {
  return lines(
    'uri = URI(API_URL)',
    "request = Net::HTTP::Get.new(uri, 'Accept' => 'application/json')",
    `request['Authorization'] = "Bearer #{${token}}"`,
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && '# The API gateway refuses calls that lack the subscription key.',
    plan.env.includes(SNIPPET_ENV.subscriptionKey) && `request[SUBSCRIPTION_KEY_HEADER] = ENV.fetch('${SNIPPET_ENV.subscriptionKey}')`,
  );
}

function tokenRequest(plan: SnippetPlan): string {
  const basic = basicCredentials(plan, (value) => `URI.encode_www_form_component(${value})`);
  const secretInBody = plan.params.some(([name]) => name === 'client_secret');
  return lines(
    'uri = URI(TOKEN_ENDPOINT)',
    "request = Net::HTTP::Post.new(uri, 'Accept' => 'application/json')",
    !plan.basicAuth && (secretInBody
      ? '# client_secret_post: the client authenticates with client_id and client_secret in the body (RFC 6749 §2.3.1).'
      : '# A public client has no secret: client_id names it, and PKCE protects the code.'),
    `request.set_form_data(\n${pairs(plan)}\n)`,
    plan.basicAuth && `# ${basic.comment}`,
    plan.basicAuth && `request.basic_auth(${basic.spell('CLIENT_ID')}, ${basic.spell(`ENV.fetch('${SNIPPET_ENV.clientSecret}')`)})`,
  );
}

const SEND = `
response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == 'https') { |http| http.request(request) }
puts response.body
# A status outside 2xx ends the script with exit status 1.
exit 1 unless response.is_a?(Net::HTTPSuccess)
`;

/** Sends `request` to `uri`; a status outside 2xx ends the script with the body as the message. */
function sendOrAbort(what: string): string {
  return lines(
    "response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == 'https') { |http| http.request(request) }",
    `abort "${what} failed (HTTP #{response.code}): #{response.body}" unless response.is_a?(Net::HTTPSuccess)`,
  );
}

/** state (and the PKCE pair), the authorization URL, and the line that prints it. */
function authorizationUrl(plan: SnippetPlan): string {
  return lines(
    '# Show the URL at once, even when the output goes to a pipe.',
    '$stdout.sync = true',
    'state = SecureRandom.urlsafe_base64(32)',
    plan.nonce && `# ${NONCE_COMMENT}`,
    plan.nonce && 'nonce = SecureRandom.urlsafe_base64(32)',
    plan.pkce && '# PKCE (RFC 7636): the token request must prove it comes from whoever started this one.',
    plan.pkce && 'verifier = SecureRandom.urlsafe_base64(32)',
    `query = URI.encode_www_form(\n${pairs(plan)}\n)`,
    `puts 'Open this URL in a browser:', "#{AUTHORIZATION_ENDPOINT}${querySeparator(plan)}#{query}"`,
  );
}

function authorizationRequest(plan: SnippetPlan): string {
  return lines(
    authorizationUrl(plan),
    plan.pkce && `puts "${SNIPPET_ENV.codeVerifier}=#{verifier}"`,
    plan.nonce && `puts "${NONCE_PRINTED}#{nonce}"`,
    RECEIVE,
    `puts "${SNIPPET_ENV.authorizationCode}=#{params['code']}"`,
    '',
  );
}

/** Steps 1 to 6 in one script: the code, the verifier and the tokens never leave its memory. */
function completeFlow(plan: CompleteFlowPlan): string {
  return lines(
    '# Step 1: the authorization request, which the user opens in a browser.',
    authorizationUrl(plan.authorization),
    '',
    '# Steps 2 and 3: the user consents, and the browser brings the code back to the redirect URI.',
    RECEIVE.trim(),
    "code = params['code']",
    '',
    `# ${exchangeStep(plan)}`,
    tokenRequest(plan.exchange),
    sendOrAbort('Token request'),
    'tokens = JSON.parse(response.body)',
    plan.nonce && `# ${idTokenReminder("The jwt gem (JWT.decode with the issuer's jwks, algorithms, iss and aud set), then the nonce compared,")}`,
    "# The tokens stay in memory: printed, they would stay in the terminal's scrollback.",
    `puts "Tokens received; the access token expires in #{tokens.fetch('expires_in', '?')} s."`,
    '',
    '# Step 6: the API call, with the access token as a bearer token.',
    apiCall(plan.apiCall, "tokens['access_token']"),
    sendOrAbort('API call'),
    'puts response.body',
    '',
  );
}

/**
 * Ruby 3 has no WEBrick in its standard library: a TCPServer reading the request line is all the
 * redirect needs. Leaves the redirect's parameters in `params`, or ends the script.
 */
const RECEIVE = `
def respond(client, status, text)
  client.write("HTTP/1.1 #{status}\\r\\nContent-Type: text/plain\\r\\nContent-Length: #{text.bytesize}\\r\\nConnection: close\\r\\n\\r\\n#{text}")
  client.close
end

# Answer requests on the redirect URI's port until the redirect itself arrives.
redirect = URI(REDIRECT_URI)
callback_path = redirect.path.empty? ? '/' : redirect.path
server = TCPServer.new(redirect.host, redirect.port)
params = nil
until params
  client = server.accept
  # The request line is all this needs: "GET /callback?code=...&state=... HTTP/1.1".
  path, query_string = client.gets.to_s.split[1].to_s.split('?', 2)
  if path == callback_path
    params = URI.decode_www_form(query_string.to_s).to_h
    # RFC 6749 §10.12: a response without our state may be forged (CSRF), so it is never used.
    problem = if params['state'] != state
                'The state does not match: ignoring this response.'
              elsif params['error']
                "Authorization failed: #{params['error']} #{params['error_description']}"
              end
    respond(client, problem ? '400 Bad Request' : '200 OK', problem || 'Authorized: you can close this tab.')
  else
    respond(client, '404 Not Found', 'Not found')
  end
end
server.close

abort problem if problem`;
