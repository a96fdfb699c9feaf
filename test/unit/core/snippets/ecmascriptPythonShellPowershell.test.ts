import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { javascriptLanguage } from '../../../../src/core/snippets/languages/javascript';
import { powershellLanguage } from '../../../../src/core/snippets/languages/powershell';
import { pythonLanguage } from '../../../../src/core/snippets/languages/python';
import { shellLanguage } from '../../../../src/core/snippets/languages/shell';
import { typescriptLanguage } from '../../../../src/core/snippets/languages/typescript';
import { SNIPPET_ENV, type SnippetContext, type SnippetKind, type SnippetLanguage } from '../../../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../../../src/core/snippets/snippetText';

// Golden-style checks of the JavaScript, TypeScript, Python, shell and PowerShell generators: what each
// snippet must contain for a configuration, that it is a well-formed SnippetString, and that it parses
// (node --check, the TypeScript compiler, py_compile, bash -n; PowerShell has no runtime here).

const KINDS: readonly SnippetKind[] = ['authorizationRequest', 'tokenExchange', 'refresh', 'apiCall', 'completeFlow'];
const SECRET_ENV = [SNIPPET_ENV.clientSecret, SNIPPET_ENV.subscriptionKey, SNIPPET_ENV.accessToken, SNIPPET_ENV.refreshToken];

const SKY: SnippetContext = {
  config: configurationFromPreset(presetById('sky'), { clientId: 'my-app-id' }),
  redirectUri: 'http://localhost:5000/callback',
  apiPath: '/constituent/v1/constituents?limit=1',
};

function generic(overrides: Partial<AppConfiguration>): SnippetContext {
  const config = configurationFromPreset(presetById('generic'), {
    clientId: 'generic-app',
    authorizationEndpoint: 'https://login.example.com/oauth2/authorize?tenant=acme',
    tokenEndpoint: 'https://login.example.com/oauth2/token',
    apiBaseUrl: 'https://api.example.com/v2/',
    scopes: ['read', 'write'],
    extraAuthorizationParams: { audience: 'https://api.example.com', 'ui-locales': 'de fr' },
    ...overrides,
  });
  return { config, redirectUri: 'http://127.0.0.1:8400/callback', apiPath: 'me' };
}

const POST = generic({ clientAuthMethod: 'client_secret_post', usePkce: false });
const PUBLIC = generic({ clientAuthMethod: 'none', usePkce: true });
/** Values that need quoting in every language and escaping in SnippetString syntax. */
const AWKWARD_ID = `o'neil "$HOME" \${x} \`y\` \\n }`;
const AWKWARD = generic({ clientId: AWKWARD_ID, subscriptionKeyHeader: 'X-Api-Key', extraAuthorizationParams: { prompt: "it's $1" } });
/** OpenID Connect: a nonce, and in the complete flow the ID token check, with the JWKS URL discovered or configured. */
const OIDC = generic({ scopes: ['openid', 'read'], issuer: 'https://login.example.com' });
const OIDC_JWKS = generic({ scopes: ['openid'], issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/keys', clientAuthMethod: 'none' });
const CONTEXTS = { sky: SKY, post: POST, public: PUBLIC, awkward: AWKWARD, oidc: OIDC, oidcJwks: OIDC_JWKS };

interface Flavour {
  name: string;
  language: SnippetLanguage;
  variant?: string;
  /** The text that proves HTTP Basic client authentication with the form-encoded ID and secret. */
  basic: string;
  /** The same with the raw ID and secret, as SKY API expects them. */
  rawBasic: string;
  /** Whether the form or query carries the parameter `name`. */
  sends(plain: string, name: string): boolean;
}

const lineMatches = (pattern: string) => (plain: string) => new RegExp(pattern, 'm').test(plain);
const ecmaSends = (plain: string, name: string) => lineMatches(`^\\s+'?${name}'?(: |,$)`)(plain);
const FLAVOURS: Flavour[] = [
  ...(['fetch', 'axios'] as const).flatMap((variant) =>
    [javascriptLanguage, typescriptLanguage].map((language) => ({
      name: `${language.id}(${variant})`,
      language,
      variant,
      basic: "return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;",
      rawBasic: "return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;",
      sends: ecmaSends,
    })),
  ),
  {
    name: 'python',
    language: pythonLanguage,
    basic: "auth=(quote_plus(CLIENT_ID), quote_plus(env('OAUTH_CLIENT_SECRET')))",
    rawBasic: "auth=(CLIENT_ID, env('OAUTH_CLIENT_SECRET'))",
    sends: (plain, name) => plain.includes(`    '${name}': `),
  },
  {
    name: 'shellscript',
    language: shellLanguage,
    basic: 'basic=$(printf \'%s:%s\' "$(form_encode "$client_id")" "$(form_encode "$OAUTH_CLIENT_SECRET")" | base64',
    rawBasic: 'basic=$(printf \'%s:%s\' "$client_id" "$OAUTH_CLIENT_SECRET" | base64',
    sends: (plain, name) => lineMatches(`^  ['"]${name}=`)(plain),
  },
  {
    name: 'powershell',
    language: powershellLanguage,
    basic: "'{0}:{1}' -f [Net.WebUtility]::UrlEncode($ClientId), [Net.WebUtility]::UrlEncode($env:OAUTH_CLIENT_SECRET)",
    rawBasic: "'{0}:{1}' -f $ClientId, $env:OAUTH_CLIENT_SECRET",
    sends: (plain, name) => lineMatches(`^    '?${name}'?\\s+= `)(plain),
  },
];

function generate(flavour: Flavour, kind: SnippetKind, context: SnippetContext): { raw: string; plain: string } {
  const raw = flavour.language.generate(kind, context, flavour.variant);
  return { raw, plain: toPlainText(raw) };
}

/**
 * Walks a SnippetString as VS Code parses it: outside a tab stop every `$`, `}` and `\` must be escaped,
 * and each `${n:value}` closes before the next opens. Returns the tab-stop numbers in order.
 */
function tabStopsOf(snippet: string): number[] {
  const stops: number[] = [];
  let open = false;
  for (let i = 0; i < snippet.length; i++) {
    const char = snippet[i];
    if (char === '\\') {
      assert.ok('\\$}'.includes(snippet[i + 1] ?? ''), `unescaped backslash at ${i}: ${snippet.slice(i - 20, i + 20)}`);
      i++;
    } else if (char === '$') {
      const stop = /^\$\{(\d+):/.exec(snippet.slice(i));
      assert.ok(stop && !open, `unescaped $ at ${i}: ${snippet.slice(i - 20, i + 20)}`);
      stops.push(Number(stop[1]));
      open = true;
      i += stop[0].length - 1;
    } else if (char === '}') {
      assert.ok(open, `unescaped } at ${i}: ${snippet.slice(i - 20, i + 20)}`);
      open = false;
    }
  }
  assert.ok(!open, 'a tab stop is never closed');
  return stops;
}

/** The first line that says what the snippet does (a shebang comes before it in shell scripts). */
function headerOf(plain: string): string {
  return plain.split('\n').find((line) => !line.startsWith('#!')) ?? '';
}

function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules', 'typescript'))) return dir;
  }
  throw new Error(`No repository root with node_modules above ${__dirname}`);
}

describe('snippets: JavaScript, TypeScript, Python, shell, PowerShell', () => {
  it('registers each language under its VS Code language id, JavaScript and TypeScript with fetch first', () => {
    assert.deepEqual(
      [javascriptLanguage, typescriptLanguage, pythonLanguage, shellLanguage, powershellLanguage].map((language) => language.id),
      ['javascript', 'typescript', 'python', 'shellscript', 'powershell'],
    );
    assert.deepEqual(javascriptLanguage.variants?.map((variant) => variant.id), ['fetch', 'axios']);
    assert.deepEqual(typescriptLanguage.variants?.map((variant) => variant.id), ['fetch', 'axios']);
    assert.equal(javascriptLanguage.generate('refresh', SKY), javascriptLanguage.generate('refresh', SKY, 'fetch'));
    assert.throws(() => typescriptLanguage.generate('refresh', SKY, 'got'), /Unknown TypeScript snippet variant "got"/);
  });

  it('emits well-formed SnippetStrings: numbered tab stops, everything else escaped, no residue', () => {
    for (const flavour of FLAVOURS) {
      for (const [contextName, context] of Object.entries(CONTEXTS)) {
        for (const kind of KINDS) {
          const { raw, plain } = generate(flavour, kind, context);
          const where = `${flavour.name} ${kind} (${contextName})`;
          const stops = tabStopsOf(raw);
          assert.deepEqual(stops, stops.map((_, index) => index + 1), `${where}: tab stops ${stops.join(',')}`);
          assert.ok(stops.length >= 1, where);
          assert.doesNotMatch(plain, /\$\{\d+:/, where);
          assert.doesNotMatch(plain, /\uE000/, where);
          assert.ok(plain.endsWith('\n') && !plain.endsWith('\n\n'), `${where}: ends with one newline`);
        }
      }
    }
  });

  it('starts every snippet with a one-line comment naming what it does and every variable it reads', () => {
    const expected: Record<SnippetKind, string[]> = {
      authorizationRequest: [],
      tokenExchange: [SNIPPET_ENV.clientSecret, SNIPPET_ENV.authorizationCode, SNIPPET_ENV.codeVerifier],
      refresh: [SNIPPET_ENV.clientSecret, SNIPPET_ENV.refreshToken],
      apiCall: [SNIPPET_ENV.accessToken, SNIPPET_ENV.subscriptionKey],
      // The code, the verifier and the access token stay in the program; only the secrets come from outside.
      completeFlow: [SNIPPET_ENV.clientSecret, SNIPPET_ENV.subscriptionKey],
    };
    for (const flavour of FLAVOURS) {
      for (const kind of KINDS) {
        const { plain } = generate(flavour, kind, SKY);
        const header = headerOf(plain);
        assert.match(header, flavour.language.id === 'javascript' || flavour.language.id === 'typescript' ? /^\/\/ / : /^# /);
        const named = Object.values(SNIPPET_ENV).filter((name) => header.includes(name));
        assert.deepEqual(named.sort(), [...expected[kind]].sort(), `${flavour.name} ${kind}: ${header}`);
        if (kind === 'authorizationRequest') assert.match(header, /Needs no environment variables/);
        // Every variable the header names is read by the code, and nothing else is.
        for (const name of Object.values(SNIPPET_ENV)) {
          const body = plain.slice(plain.indexOf(header) + header.length);
          const printedForNextStep = kind === 'authorizationRequest' && (name === SNIPPET_ENV.authorizationCode || name === SNIPPET_ENV.codeVerifier);
          assert.equal(body.includes(name), named.includes(name) || printedForNextStep, `${flavour.name} ${kind} and ${name}`);
        }
      }
    }
  });

  it('SKY token exchange: configured endpoint, ID and redirect URI as tab stops, HTTP Basic, PKCE verifier from the environment', () => {
    for (const flavour of FLAVOURS) {
      const { raw, plain } = generate(flavour, 'tokenExchange', SKY);
      assert.ok(raw.includes('${1:https://oauth2.sky.blackbaud.com/token}'), flavour.name);
      assert.ok(raw.includes('${2:my-app-id}'), flavour.name);
      assert.ok(raw.includes('${3:http://localhost:5000/callback}'), flavour.name);
      assert.ok(plain.includes(flavour.rawBasic), `${flavour.name}: Basic authentication with the raw values, as SKY expects`);
      for (const name of ['grant_type', 'code', 'redirect_uri', 'code_verifier']) assert.ok(flavour.sends(plain, name), `${flavour.name} sends ${name}`);
      for (const name of ['client_id', 'client_secret', 'refresh_token']) assert.ok(!flavour.sends(plain, name), `${flavour.name} does not send ${name}`);
      assert.ok(plain.includes('authorization_code'), flavour.name);
      assert.ok(!plain.includes('Bb-Api-Subscription-Key') && !plain.includes(SNIPPET_ENV.subscriptionKey), flavour.name);
    }
  });

  it('spells the Basic credentials as the extension does: raw for SKY, form-urlencoded for other providers unless raw was learned', () => {
    const cases: [string, SnippetContext, 'basic' | 'rawBasic'][] = [
      ['SKY', SKY, 'rawBasic'],
      ['generic', generic({}), 'basic'],
      ['generic that accepted raw', generic({ basicCredentialEncoding: 'raw' }), 'rawBasic'],
      ['SKY that accepted form-urlencoded', { ...SKY, config: { ...SKY.config, basicCredentialEncoding: 'form-urlencoded' } }, 'basic'],
    ];
    for (const flavour of FLAVOURS) {
      for (const [name, context, expected] of cases) {
        for (const kind of ['tokenExchange', 'refresh', 'completeFlow'] as const) {
          const { plain } = generate(flavour, kind, context);
          const other = expected === 'basic' ? 'rawBasic' : 'basic';
          assert.ok(plain.includes(flavour[expected]) && !plain.includes(flavour[other]), `${flavour.name} ${kind} ${name}:\n${plain}`);
          assert.equal(/form-urlencoded before/.test(plain), expected === 'basic', `${flavour.name} ${kind} ${name}: the comment says which`);
        }
      }
    }
  });

  it('SKY refresh: refresh_token grant with HTTP Basic', () => {
    for (const flavour of FLAVOURS) {
      const { raw, plain } = generate(flavour, 'refresh', SKY);
      assert.ok(raw.includes('${1:https://oauth2.sky.blackbaud.com/token}') && raw.includes('${2:my-app-id}'), flavour.name);
      assert.ok(plain.includes(flavour.rawBasic), flavour.name);
      for (const name of ['grant_type', 'refresh_token']) assert.ok(flavour.sends(plain, name), `${flavour.name} sends ${name}`);
      for (const name of ['code', 'redirect_uri', 'code_verifier', 'client_id', 'client_secret']) assert.ok(!flavour.sends(plain, name), `${flavour.name} not ${name}`);
      assert.ok(plain.includes(SNIPPET_ENV.refreshToken), flavour.name);
    }
  });

  it('SKY API call: the full URL and the subscription-key header name as tab stops, the key and the token from the environment', () => {
    for (const flavour of FLAVOURS) {
      const { raw, plain } = generate(flavour, 'apiCall', SKY);
      assert.ok(raw.includes('${1:https://api.sky.blackbaud.com/constituent/v1/constituents?limit=1}'), flavour.name);
      assert.ok(raw.includes('${2:Bb-Api-Subscription-Key}'), flavour.name);
      assert.ok(plain.includes(SNIPPET_ENV.accessToken) && plain.includes(SNIPPET_ENV.subscriptionKey), flavour.name);
      assert.match(plain, /Bearer /, flavour.name);
    }
  });

  it('SKY authorization request: state and PKCE S256, no scope (SKY takes none), a redirect handler that checks state', () => {
    for (const flavour of FLAVOURS) {
      const { raw, plain } = generate(flavour, 'authorizationRequest', SKY);
      assert.ok(raw.includes('${1:https://oauth2.sky.blackbaud.com/authorization}'), flavour.name);
      assert.ok(raw.includes('${2:my-app-id}') && raw.includes('${3:http://localhost:5000/callback}'), flavour.name);
      assert.ok(!raw.includes('${4:'), `${flavour.name}: no fourth setting`);
      for (const name of ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']) {
        assert.ok(flavour.sends(plain, name), `${flavour.name} sends ${name}`);
      }
      assert.ok(!flavour.sends(plain, 'scope'), flavour.name);
      assert.ok(plain.includes('S256') && /sha256/i.test(plain), flavour.name);
      assert.ok(plain.includes('The state does not match this request'), flavour.name);
      assert.ok(plain.includes(`${SNIPPET_ENV.authorizationCode}=`) || plain.includes(`${SNIPPET_ENV.authorizationCode} = `), flavour.name);
      assert.ok(plain.includes(SNIPPET_ENV.codeVerifier), flavour.name);
    }
    assert.match(generate(FLAVOURS[0], 'authorizationRequest', SKY).plain, /createServer\(/);
    assert.match(pythonLanguage.generate('authorizationRequest', SKY), /HTTPServer\(\(redirect\.hostname, redirect\.port or 80\), RedirectHandler\)/);
    assert.match(shellLanguage.generate('authorizationRequest', SKY), /read -r -p 'Paste the URL the browser was redirected to: ' redirected/);
    assert.match(powershellLanguage.generate('authorizationRequest', SKY), /\[Net\.HttpListener\]::new\(\)/);
  });

  it('client_secret_post without PKCE: ID and secret in the body, no Basic header, no verifier; scopes and extra parameters', () => {
    for (const flavour of FLAVOURS) {
      const exchange = generate(flavour, 'tokenExchange', POST).plain;
      assert.ok(flavour.sends(exchange, 'client_id') && flavour.sends(exchange, 'client_secret'), flavour.name);
      assert.ok(!exchange.includes('Basic'), flavour.name);
      assert.ok(!flavour.sends(exchange, 'code_verifier') && !exchange.includes(SNIPPET_ENV.codeVerifier), flavour.name);
      const refresh = generate(flavour, 'refresh', POST).plain;
      assert.ok(flavour.sends(refresh, 'client_id') && flavour.sends(refresh, 'client_secret') && !refresh.includes('Basic'), flavour.name);

      const authorization = generate(flavour, 'authorizationRequest', POST);
      assert.ok(authorization.raw.includes('${1:https://login.example.com/oauth2/authorize?tenant=acme}'), flavour.name);
      assert.ok(authorization.raw.includes('${4:read write}') && flavour.sends(authorization.plain, 'scope'), flavour.name);
      assert.ok(!flavour.sends(authorization.plain, 'code_challenge') && !authorization.plain.includes(SNIPPET_ENV.codeVerifier), flavour.name);
      assert.ok(authorization.plain.includes('https://api.example.com') && authorization.plain.includes('ui-locales'), flavour.name);
      // The endpoint already has a query: parameters are appended with & rather than a second ?.
      assert.match(authorization.plain, /'\?'.*'&'|'&'.*'\?'|\*\\\?\*/, flavour.name);

      const api = generate(flavour, 'apiCall', POST);
      assert.ok(api.raw.includes('${1:https://api.example.com/v2/me}'), flavour.name);
      assert.ok(!api.raw.includes('${2:') && !api.plain.includes(SNIPPET_ENV.subscriptionKey), `${flavour.name}: no subscription key`);
    }
  });

  it('public client: client_id in the body, no secret anywhere, PKCE verifier sent', () => {
    for (const flavour of FLAVOURS) {
      for (const kind of ['tokenExchange', 'refresh'] as const) {
        const { plain } = generate(flavour, kind, PUBLIC);
        assert.ok(flavour.sends(plain, 'client_id'), `${flavour.name} ${kind}`);
        assert.ok(!flavour.sends(plain, 'client_secret') && !plain.includes(SNIPPET_ENV.clientSecret) && !plain.includes('Basic'), `${flavour.name} ${kind}`);
      }
      assert.ok(flavour.sends(generate(flavour, 'tokenExchange', PUBLIC).plain, 'code_verifier'), flavour.name);
    }
  });

  it('inlines no value of any secret variable: all of them are read at run time', () => {
    for (const flavour of FLAVOURS) {
      for (const context of Object.values(CONTEXTS)) {
        for (const kind of KINDS) {
          const { plain } = generate(flavour, kind, context);
          for (const name of SECRET_ENV) {
            // Wherever the name appears, it is read from the environment, never assigned a literal.
            assert.doesNotMatch(plain, new RegExp(`${name}\\s*=\\s*['"][^'"]`), `${flavour.name} ${kind} ${name}`);
          }
        }
      }
    }
  });

  it('JavaScript and TypeScript differ only where TypeScript needs types and ES imports', () => {
    const js = generate(FLAVOURS[0], 'tokenExchange', SKY).plain;
    const typed = generate(FLAVOURS[1], 'tokenExchange', SKY).plain;
    assert.match(typed, /function env\(name: string\): string/);
    assert.match(js, /function env\(name\) \{/);
    assert.match(generate(FLAVOURS[2], 'apiCall', SKY).plain, /^const axios = require\('axios'\);$/m);
    assert.match(generate(FLAVOURS[3], 'apiCall', SKY).plain, /^import axios from 'axios';$/m);
    assert.match(toPlainText(typescriptLanguage.generate('refresh', SKY)), /^export \{\};$/m);
    assert.match(toPlainText(typescriptLanguage.generate('authorizationRequest', SKY)), /^import \{ createHash, randomBytes \} from 'node:crypto';$/m);
    assert.match(toPlainText(javascriptLanguage.generate('authorizationRequest', POST)), /^const \{ randomBytes \} = require\('node:crypto'\);$/m);
  });

  it('keeps an awkward client ID intact through each language\'s quoting', function () {
    this.timeout(20_000);
    const declaration = (flavour: Flavour): string => {
      const plain = generate(flavour, 'refresh', AWKWARD).plain;
      return plain.split('\n').find((line) => /client_?id ?=/i.test(line)) ?? assert.fail(`${flavour.name}: no client ID line`);
    };
    const jsLine = declaration(FLAVOURS[0]);
    assert.equal(new Function(`${jsLine}\nreturn clientId;`)(), AWKWARD_ID);
    const python = spawnSync('python3', ['-c', `${declaration(FLAVOURS[4])}\nimport sys; sys.stdout.write(CLIENT_ID)`], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(python.stdout, AWKWARD_ID, python.stderr);
    const bash = spawnSync('bash', ['-c', `${declaration(FLAVOURS[5])}\nprintf %s "$client_id"`], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(bash.stdout, AWKWARD_ID, bash.stderr);
    assert.equal(declaration(FLAVOURS[6]), `$ClientId = '${AWKWARD_ID.replace(/'/g, "''")}'`);
  });

  it('PowerShell doubles every quote character its single-quoted strings end on, the typographic ones too', () => {
    // PowerShell's tokenizer treats U+2018-U+201B like ' inside a single-quoted string, so a pasted
    // client ID with a curly quote would end the string and run the rest as code.
    const pasted = "x\u2019; Start-Process calc; \u2019 a'b \u2018c\u201Ad\u201Be";
    const plain = toPlainText(powershellLanguage.generate('refresh', generic({ clientId: pasted })));
    assert.ok(
      plain.includes("$ClientId = 'x\u2019\u2019; Start-Process calc; \u2019\u2019 a''b \u2018\u2018c\u201A\u201Ad\u201B\u201Be'"),
      plain.split('\n').find((line) => line.startsWith('$ClientId')),
    );
    const prompt = toPlainText(powershellLanguage.generate('authorizationRequest', generic({ extraAuthorizationParams: { prompt: '\u2018login\u2019' } })));
    assert.match(prompt, /^ {4}prompt += '\u2018\u2018login\u2019\u2019'$/m);
    // The printed `$env:` line for the code doubles the same characters, as a .NET regex with ASCII escapes.
    assert.ok(prompt.includes(`-replace "['\\u2018-\\u201B]", '$0$0'`), prompt);
  });

  describe('parse with their language tools', function () {
    this.timeout(60_000);
    let scratch: string;
    const all = (language: SnippetLanguage, variants: (string | undefined)[] = [undefined]) =>
      Object.entries(CONTEXTS).flatMap(([contextName, context]) =>
        variants.flatMap((variant) =>
          KINDS.map((kind) => ({ name: `${kind}-${contextName}${variant ? `-${variant}` : ''}`, text: toPlainText(language.generate(kind, context, variant)) })),
        ),
      );

    before(() => {
      scratch = mkdtempSync(join(tmpdir(), 'acf-snippet-syntax-'));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it('JavaScript passes node --check', () => {
      for (const { name, text } of all(javascriptLanguage, ['fetch', 'axios'])) {
        const file = join(scratch, `${name}.js`);
        writeFileSync(file, text);
        const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
        assert.equal(check.status, 0, `${name}: ${check.stderr}`);
      }
    });

    it('TypeScript has no syntax errors, and type-checks against @types/node and axios', () => {
      const snippets = all(typescriptLanguage, ['fetch', 'axios']);
      for (const { name, text } of snippets) {
        const output = ts.transpileModule(text, { reportDiagnostics: true, fileName: `${name}.ts`, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
        assert.deepEqual(output.diagnostics?.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')), [], name);
      }
      // A real program over in-memory files placed in the repository, so `axios` and @types/node resolve.
      const root = repositoryRoot();
      const files = new Map(snippets.map(({ name, text }) => [join(root, 'snippet-typecheck', `${name}.ts`).replace(/\\/g, '/'), text]));
      const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        noUnusedLocals: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts'],
        module: ts.ModuleKind.Node16,
        moduleResolution: ts.ModuleResolutionKind.Node16,
        esModuleInterop: true,
        types: ['node'],
        skipLibCheck: true,
      };
      const host = ts.createCompilerHost(options);
      const readSource = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, languageVersion, ...rest) => {
        const text = files.get(fileName);
        return text === undefined ? readSource(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion, true);
      };
      host.fileExists = (fileName) => files.has(fileName) || ts.sys.fileExists(fileName);
      host.readFile = (fileName) => files.get(fileName) ?? ts.sys.readFile(fileName);
      const program = ts.createProgram([...files.keys()], options, host);
      const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const where = diagnostic.file ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : '';
        return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
      assert.deepEqual(problems, []);
    });

    it('Python passes py_compile', () => {
      const files = all(pythonLanguage).map(({ name, text }) => {
        const file = join(scratch, `${name.replace(/-/g, '_')}.py`);
        writeFileSync(file, text);
        return file;
      });
      const check = spawnSync('python3', ['-m', 'py_compile', ...files], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(check.status, 0, check.stderr);
    });

    it('shell passes bash -n', () => {
      for (const { name, text } of all(shellLanguage)) {
        const file = join(scratch, `${name}.sh`);
        writeFileSync(file, text);
        const check = spawnSync('bash', ['-n', file], { encoding: 'utf8', timeout: 10_000 });
        assert.equal(check.status, 0, `${name}: ${check.stderr}`);
      }
    });
  });
});
