import * as assert from 'node:assert/strict';
import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { SNIPPET_LANGUAGES } from '../../../../src/core/snippets/languages';
import { NONCE_COMMENT, NONCE_PRINTED, generatedFor, planCompleteFlow, planSnippet } from '../../../../src/core/snippets/languages/snippetPlan';
import { snippetContextFor } from '../../../../src/core/snippets/snippetContext';
import type { SnippetContext, SnippetKind, SnippetLanguage } from '../../../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../../../src/core/snippets/snippetText';

// Snippets follow the active app: a nonce when `openid` is asked for (every language), the ID token checked
// in the Python and JavaScript/TypeScript complete flows (PyJWT, jose) and named as a must elsewhere, the
// provider's extra parameters and `Accept: application/json` in every language, and the app and provider
// in the first line. The sandbox suite runs the Python and Node complete flows against real ID tokens.

const ISSUER = 'https://login.example.com/tenant-1/v2.0';

function oidc(overrides: Partial<AppConfiguration> = {}, appName?: string): SnippetContext {
  const config = configurationFromPreset(presetById('generic'), {
    clientId: 'client-123',
    authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
    tokenEndpoint: 'https://login.example.com/oauth2/token',
    apiBaseUrl: 'https://api.example.com',
    scopes: ['openid', 'profile', 'offline_access'],
    issuer: ISSUER,
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
    ...overrides,
  });
  return { config, redirectUri: 'http://127.0.0.1:8765/callback', apiPath: '/me', ...(appName === undefined ? {} : { appName }) };
}

const PLAIN_OAUTH = oidc({ scopes: ['read'] });

function text(language: SnippetLanguage, kind: SnippetKind, context: SnippetContext, variant?: string): string {
  return toPlainText(language.generate(kind, context, variant));
}

/** Every language and variant, each with what sends the nonce parameter in its query. */
const NONCE_SENT: Record<string, RegExp> = {
  javascript: /^ {2}nonce,$/m,
  typescript: /^ {2}nonce,$/m,
  python: /^ {4}'nonce': nonce,$/m,
  csharp: /^ {4}\["nonce"\] = nonce,$/m,
  java: /query\.put\("nonce", nonce\);/,
  go: /query\.Set\("nonce", nonce\)/,
  php: /'nonce' => \$_SESSION\['nonce'\],/,
  ruby: /'nonce' => nonce,?$/m,
  shellscript: /"nonce=\$\(form_encode "\$nonce"\)"/,
  powershell: /^ {4}nonce += \$Nonce$/m,
};

const FLAVOURS = SNIPPET_LANGUAGES.flatMap((language) => (language.variants ?? [{ id: undefined }]).map((variant) => ({ language, variant: variant.id })));

describe('snippets for an OpenID Connect app: nonce, ID token check, provider quirks, app name', () => {
  it('plans a nonce right after state only when openid is asked for, replacing a configured fixed one', () => {
    const params = planSnippet('authorizationRequest', oidc({ extraAuthorizationParams: { nonce: 'fixed', prompt: 'consent' } })).params;
    const names = params.map(([name]) => name);
    assert.equal(names.indexOf('nonce'), names.indexOf('state') + 1);
    assert.deepEqual(params.filter(([name]) => name === 'nonce'), [['nonce', { generated: 'nonce' }]], 'the fresh nonce, never the configured text');
    assert.ok(names.includes('prompt'));
    const plain = planSnippet('authorizationRequest', oidc({ scopes: ['api'], extraAuthorizationParams: { nonce: 'kept-without-openid' } }));
    assert.equal(plain.nonce, false);
    assert.deepEqual(plain.params.filter(([name]) => name === 'nonce'), [['nonce', { text: 'kept-without-openid' }]]);
  });

  it('every language makes, sends and keeps a nonce in the authorization request and the complete flow when openid is asked for', () => {
    for (const { language, variant } of FLAVOURS) {
      for (const kind of ['authorizationRequest', 'completeFlow'] as const) {
        const where = `${language.id}${variant ? `(${variant})` : ''} ${kind}`;
        const snippet = text(language, kind, oidc(), variant);
        assert.match(snippet, NONCE_SENT[language.id], where);
        assert.ok(snippet.includes(NONCE_COMMENT.replace('§', language.id === 'java' ? 'section ' : '§')), `${where}: says why`);
        if (kind === 'authorizationRequest') assert.ok(snippet.includes(NONCE_PRINTED), `${where}: prints the nonce for the ID token check`);
        const plain = text(language, kind, PLAIN_OAUTH, variant);
        assert.doesNotMatch(plain, /nonce/i, `${where} without openid`);
      }
    }
  });

  it('the languages that do not check the ID token themselves say that it must be checked, and with which library', () => {
    const library: Record<string, RegExp> = {
      csharp: /Microsoft\.IdentityModel\.JsonWebTokens/, java: /Nimbus OAuth 2\.0 SDK/, go: /github\.com\/coreos\/go-oidc\/v3/,
      php: /firebase\/php-jwt/, ruby: /The jwt gem/, shellscript: /PyJWT|jose/, powershell: /Microsoft\.IdentityModel\.JsonWebTokens/,
    };
    for (const [id, pattern] of Object.entries(library)) {
      const language = SNIPPET_LANGUAGES.find((candidate) => candidate.id === id)!;
      const snippet = text(language, 'completeFlow', oidc());
      assert.match(snippet, /Validate the id_token before using any of its claims \(OpenID Connect Core (§|section )3\.1\.3\.7\)/, id);
      assert.match(snippet, pattern, id);
      assert.doesNotMatch(text(language, 'completeFlow', PLAIN_OAUTH), /id_token/, `${id} without openid`);
    }
  });

  it('Python checks the ID token with PyJWT: JWKS from discovery, asymmetric algorithms only, iss, aud, exp with leeway, azp, then the nonce', () => {
    const python = SNIPPET_LANGUAGES.find((language) => language.id === 'python')!;
    const snippet = text(python, 'completeFlow', oidc());
    assert.match(snippet, /^import jwt$/m);
    assert.ok(snippet.includes(`ISSUER = '${ISSUER}'`), 'the configured issuer, exactly');
    assert.ok(snippet.includes("metadata = requests.get(ISSUER.rstrip('/') + '/.well-known/openid-configuration', timeout=30)"));
    assert.ok(snippet.includes('key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(id_token).key'));
    assert.match(snippet, /algorithms=\['RS256', [^\]]*'ES512'\]/);
    assert.doesNotMatch(snippet, /'HS256'|'none'/);
    for (const line of ['issuer=ISSUER,', 'audience=CLIENT_ID,', 'leeway=30,', "if claims.get('nonce') != nonce:", "if len(audiences) > 1 and claims.get('azp') != CLIENT_ID:"]) {
      assert.ok(snippet.includes(line), line);
    }
    assert.match(snippet, /OpenID Connect Core §3\.1\.3\.7/);
    // Checked before the API call; the ID token is never printed.
    assert.ok(snippet.indexOf("id_token = verified_id_token(tokens.get('id_token'))") < snippet.indexOf('response = requests.get(API_URL'));
    assert.doesNotMatch(snippet, /print\([^)]*tokens\['id_token'\]/);
  });

  it('JavaScript and TypeScript check the ID token with jose: createRemoteJWKSet, jwtVerify with issuer, audience and algorithms, then the nonce', () => {
    for (const { language, variant } of FLAVOURS.filter((flavour) => flavour.language.id === 'javascript' || flavour.language.id === 'typescript')) {
      const where = `${language.id}(${variant})`;
      const snippet = text(language, 'completeFlow', oidc(), variant);
      assert.ok(snippet.includes("const { createRemoteJWKSet, jwtVerify } = await import('jose');"), where);
      assert.ok(snippet.includes(`const issuer = '${ISSUER}';`), where);
      assert.ok(snippet.includes('/.well-known/openid-configuration'), `${where}: discovers the JWKS URL`);
      assert.ok(snippet.includes('const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(jwksUri)), {'), where);
      for (const line of ['    issuer,', '    audience: clientId,', '    clockTolerance: 30,', '  if (payload.nonce !== nonce) {']) {
        assert.ok(snippet.includes(`${line}\n`), `${where}: ${line}`);
      }
      assert.doesNotMatch(snippet, /'HS256'|'none'/, where);
      assert.ok(snippet.indexOf('await verifiedIdToken(tokens.id_token)') < snippet.indexOf('await callApi('), `${where}: checked before the API call`);
    }
  });

  it('uses the configured JWKS URL as a tab stop instead of discovery', () => {
    const jwksUri = 'https://login.example.com/tenant-1/discovery/v2.0/keys';
    const context = oidc({ jwksUri });
    const plan = planCompleteFlow(context, { checksIdToken: true });
    assert.deepEqual(plan.settings.slice(-2), [{ name: 'issuer', value: ISSUER }, { name: 'jwksUri', value: jwksUri }]);
    assert.deepEqual(plan.idToken, { discoverJwksUri: false });
    assert.equal(planCompleteFlow(context).idToken, undefined, 'languages that do not check it declare neither');
    for (const { language, variant } of FLAVOURS.filter((flavour) => ['python', 'javascript', 'typescript'].includes(flavour.language.id))) {
      const raw = language.generate('completeFlow', context, variant);
      assert.match(raw, new RegExp(`\\$\\{${plan.settings.length}:${jwksUri.replace(/[.]/g, '\\.')}\\}`), `${language.id}: the JWKS URL is the last tab stop`);
      assert.doesNotMatch(toPlainText(raw), /openid-configuration/, language.id);
    }
  });

  it('sends the provider\'s extra authorization parameters in every language, and asks every token endpoint for JSON', () => {
    for (const { language, variant } of FLAVOURS) {
      const where = `${language.id}${variant ? `(${variant})` : ''}`;
      const authorization = text(language, 'authorizationRequest', oidc(), variant);
      for (const value of ['access_type', 'offline', 'prompt', 'consent']) assert.ok(authorization.includes(value), `${where}: ${value}`);
      for (const kind of ['tokenExchange', 'refresh', 'completeFlow'] as const) {
        // GitHub answers form-encoded unless asked for JSON (docs.github.com, "Troubleshooting OAuth app access token request errors": "The format of these responses is determined by the accept header you pass").
        assert.match(text(language, kind, oidc(), variant), /Accept['"]?\s*(:|=|,|=>)\s*['"]?application\/json|Accept\.ParseAdd\("application\/json"\)/, `${where} ${kind}`);
      }
    }
  });

  it('Python, JavaScript and TypeScript refuse a token response that carries an error with HTTP 200, as GitHub sends one', () => {
    const check: Record<string, string> = {
      python: "if 'error' in response.json():\n    sys.exit(f'Token request failed: {response.text}')",
      fetch: "if ('error' in JSON.parse(text)) throw new Error(`Token request failed: ${text}`);",
      axios: "if ('error' in response.data) throw new Error(`Token request failed: ${JSON.stringify(response.data)}`);",
    };
    for (const { language, variant } of FLAVOURS.filter((flavour) => ['python', 'javascript', 'typescript'].includes(flavour.language.id))) {
      for (const kind of ['tokenExchange', 'refresh', 'completeFlow'] as const) {
        const snippet = text(language, kind, oidc(), variant);
        assert.ok(snippet.includes(check[variant ?? language.id]), `${language.id}(${variant}) ${kind}`);
        assert.match(snippet, /Some providers \(GitHub\) answer a refused request with HTTP 200/);
      }
    }
  });

  it('names the app and its provider in every first line, with the app name reduced to characters a comment cannot break out of', () => {
    assert.equal(generatedFor(oidc({}, 'Tenant 1 (staging)')), 'the app "Tenant 1 (staging)", Any OAuth 2.0 / OpenID provider (login.example.com)');
    const sky = snippetContextFor(configurationFromPreset(presetById('sky'), { clientId: 'id' }), '/callback', undefined, 'SKY prod');
    assert.equal(generatedFor(sky), 'the app "SKY prod", Blackbaud SKY API (oauth2.sky.blackbaud.com)');
    assert.equal(generatedFor({ ...sky, appName: undefined }), 'Blackbaud SKY API (oauth2.sky.blackbaud.com)');
    const hostile = 'Evil\nimport os ?> \\u000a \u202Eend */';
    // The app name is the user's text; the provider label after it is the extension's own.
    const reduced = generatedFor(oidc({}, hostile));
    const appName = /^the app "(.*)", /.exec(reduced)?.[1] ?? '';
    assert.ok(appName.length > 0);
    assert.doesNotMatch(appName, /[\n\\?>\u202E*/]/);
    for (const { language, variant } of FLAVOURS) {
      for (const kind of ['tokenExchange', 'completeFlow'] as const) {
        const first = text(language, kind, oidc({}, hostile), variant).split('\n').find((line) => /^(\/\/|# )/.test(line))!;
        assert.ok(first.includes(`, for ${reduced}. `), `${language.id} ${kind}: ${first}`);
      }
    }
  });
});
