import * as assert from 'node:assert/strict';

import type { AppConfiguration } from '../../../../src/core/providers/appConfiguration';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { snippetReadiness, type InvalidValue } from '../../../../src/core/snippets/snippetReadiness';

// Insert Code Snippet decides before it generates: missing values get placeholders (and a warning),
// invalid ones refuse the snippet and name the app's field to fix (in authCodeFlow.apps).

const CONFIGURED = configurationFromPreset(presetById('generic'), {
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  apiBaseUrl: 'https://api.example.com',
  clientId: 'client-123',
  subscriptionKeyHeader: 'X-Api-Key',
});

const with_ = (overrides: Partial<AppConfiguration>): AppConfiguration => ({ ...CONFIGURED, ...overrides });

function refused(config: AppConfiguration): InvalidValue[] {
  const readiness = snippetReadiness(config);
  assert.equal(readiness.ready, false, JSON.stringify(readiness));
  return readiness.ready ? [] : readiness.invalid;
}

describe('Insert Code Snippet: what it refuses before generating', () => {
  it('generates for a configured app, with nothing missing', () => {
    assert.deepEqual(snippetReadiness(CONFIGURED), { ready: true, missing: [] });
  });

  it('generates with placeholders for missing values, and names what is missing', () => {
    const readiness = snippetReadiness(configurationFromPreset(presetById('generic')));
    assert.equal(readiness.ready, true);
    assert.ok(readiness.ready && readiness.missing.some((problem) => /client_id\) is missing/.test(problem)), JSON.stringify(readiness));
    assert.ok(readiness.ready && readiness.missing.some((problem) => /Token endpoint is missing/.test(problem)), JSON.stringify(readiness));
    assert.equal(snippetReadiness(configurationFromPreset(presetById('sky'))).ready, true, 'SKY API before Configure App');
  });

  it('with openid, names a missing issuer (the complete flow checks iss against it), and refuses a JWKS URL that is not https', () => {
    const missing = snippetReadiness(with_({ scopes: ['openid'] }));
    assert.ok(missing.ready && missing.missing.some((problem) => /The issuer is missing/.test(problem)), JSON.stringify(missing));
    assert.deepEqual(snippetReadiness(with_({ scopes: ['openid'], issuer: 'https://idp.example.com' })), { ready: true, missing: [] });
    assert.deepEqual(snippetReadiness(with_({ scopes: ['read'] })), { ready: true, missing: [] }, 'no issuer needed without openid');
    const [problem] = refused(with_({ jwksUri: 'http://keys.example.com/jwks' }));
    assert.match(problem.problem, /JWKS URL "http:\/\/keys\.example\.com\/jwks" is not an https:\/\/ URL/);
    // Discovery fills the JWKS URL; settings.json can still hold a wrong one, in the app's jwksUri.
    assert.equal(problem.field, 'jwksUri');
    assert.deepEqual(snippetReadiness(with_({ jwksUri: 'http://127.0.0.1:4000/jwks' })), { ready: true, missing: [] });
  });

  it('refuses a subscription key header name that is not an RFC 9110 token, naming the field and showing the line break', () => {
    const [problem, ...others] = refused(with_({ subscriptionKeyHeader: 'X-Key\noutput = "/tmp/x"' }));
    assert.deepEqual(others, []);
    assert.equal(problem.field, 'subscriptionKeyHeader');
    assert.match(problem.problem, /X-Key\\u000Aoutput/);
    assert.doesNotMatch(problem.problem, /\n/);
  });

  it('refuses endpoints that are not URLs, each with its field', () => {
    const problems = refused(with_({ tokenEndpoint: 'not a url', apiBaseUrl: 'ftp://api.example.com' }));
    assert.deepEqual(problems.map(({ field }) => field), ['tokenEndpoint', 'apiBaseUrl']);
  });

  it('refuses a client ID with characters RFC 6749 does not allow, even when the rest is missing', () => {
    const problems = refused({ ...configurationFromPreset(presetById('generic')), clientId: 'id\0with\u2028breaks' });
    assert.deepEqual(problems.map(({ field }) => field), ['clientId']);
    assert.match(problems[0].problem, /RFC 6749 Appendix A\.1/);
  });

  it('refuses scopes, extra parameters, the environment ID and an unknown provider with their fields', () => {
    assert.deepEqual(refused(with_({ scopes: ['read "all"'] })).map(({ field }) => field), ['scopes']);
    assert.deepEqual(refused(with_({ extraAuthorizationParams: { state: 'x' } })).map(({ field }) => field), ['extraAuthorizationParams']);
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'client-123', environmentId: 'p-1', extraAuthorizationParams: { environment_id: 'p-2' } });
    const [twice] = refused(sky);
    assert.match(twice.problem, /the app's "environmentId"/);
    // Either field alone is fine; the one reset to SKY's default that removes the problem is the first of them.
    assert.equal(twice.field, 'extraAuthorizationParams');
    const [unknown] = refused(with_({ preset: 'nope' as AppConfiguration['preset'] }));
    assert.equal(unknown.field, 'preset');
    assert.match(unknown.problem, /^The app's "preset" in authCodeFlow\.apps is "nope"/);
  });
});
