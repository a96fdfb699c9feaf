import * as assert from 'node:assert/strict';
import { tokenReport } from '../../../../src/core/tokens/tokenReport';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ACCESS = 'opaque-access-token-0123456789abcdef';
const REFRESH = 'refresh-token-value-fedcba9876543210';
const formatTime = (ms: number): string => `T+${(ms - NOW) / MINUTE}min`;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt', kid: 'k1' }): string {
  return `${base64url(header)}.${base64url(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** A SKY-shaped token set: opaque access token, refresh token, SKY's extra fields. */
function skyTokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: ACCESS,
    tokenType: 'bearer',
    expiresAt: NOW + HOUR,
    refreshToken: REFRESH,
    refreshTokenExpiresAt: NOW + 365 * 24 * HOUR,
    refreshTokenExpiresIn: 365 * 24 * 3600,
    scopes: ['api', 'offline_access'],
    obtainedAt: NOW - 5 * MINUTE,
    extra: {
      environment_id: 'p-sandbox',
      environment_name: 'Sandbox Environment',
      legal_entity_id: 'p-legal',
      legal_entity_name: 'Sandbox Legal Entity',
      user_id: 'developer@example.org',
      email: 'developer@example.org',
    },
    ...overrides,
  };
}

function report(tokens: TokenSet, reveal = false): string {
  return tokenReport(tokens, NOW, { reveal, formatTime });
}

/** The bullet line of a section, e.g. line('Access token', 'Expires'). */
function line(text: string, section: string, label: string): string {
  const start = text.indexOf(`## ${section}\n`);
  assert.notEqual(start, -1, `no "${section}" section in:\n${text}`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end === -1 ? undefined : end);
  const found = body.split('\n').find((candidate) => candidate.startsWith(`- ${label}:`));
  assert.ok(found, `no "${label}" line in the ${section} section:\n${body}`);
  return found;
}

describe('tokenReport', function () {
  it('masks every token value by default and says how to reveal them', function () {
    const text = report(skyTokens({ idToken: jwt({ sub: 'u1', iss: 'https://issuer.example' }) }));
    assert.ok(!text.includes(ACCESS), 'the access token is masked');
    assert.ok(!text.includes(REFRESH), 'the refresh token is masked');
    assert.ok(!text.includes(jwt({ sub: 'u1', iss: 'https://issuer.example' })), 'the ID token is masked');
    assert.equal(line(text, 'Access token', 'Value'), `- Value: \`opaq…(${ACCESS.length} chars)\``);
    assert.equal(line(text, 'Refresh token', 'Value'), `- Value: \`refr…(${REFRESH.length} chars)\``);
    assert.match(text.split('\n## ')[0], /Token values are masked/);
    assert.match(text.split('\n## ')[0], /Reveal Token Values/);
  });

  it('shows the values when revealed, and says so before anything else', function () {
    const text = report(skyTokens(), true);
    assert.equal(line(text, 'Access token', 'Value'), `- Value: \`${ACCESS}\``);
    assert.equal(line(text, 'Refresh token', 'Value'), `- Value: \`${REFRESH}\``);
    const top = text.split('\n').slice(0, 4).join('\n');
    assert.match(top, /Token values are shown in full/);
    assert.doesNotMatch(text, /Token values are masked/);
  });

  it('gives absolute and relative expiry of both tokens, the scopes and the token type', function () {
    const text = report(skyTokens());
    assert.equal(line(text, 'Access token', 'Expires'),
      "- Expires: in 59 min, at T+59.5min (the provider's expiry, T+60min, less a 30 s margin for clock differences and transit)");
    assert.equal(line(text, 'Refresh token', 'Expires'), `- Expires: T+${365 * 24 * 60}min (in 365 d)`);
    assert.equal(line(text, 'Access token', 'Scopes'), '- Scopes: `api` `offline_access`');
    assert.match(line(text, 'Access token', 'Type'), /`bearer`/);
    assert.match(text, /Obtained T\+-5min \(5 min ago\)/);
  });

  it('says when tokens have already expired, and that an expired refresh token means authorizing again', function () {
    const text = report(skyTokens({ expiresAt: NOW - 3 * MINUTE, refreshTokenExpiresAt: NOW - HOUR }));
    // The set lived 2 min, so the margin is a tenth of that (see core/tokens/expiry).
    assert.equal(line(text, 'Access token', 'Expires'),
      "- Expires: expired 3 min ago, at T+-3.2min (the provider's expiry, T+-3min, less a 12 s margin for clock differences and transit)");
    assert.equal(line(text, 'Refresh token', 'Expires'), '- Expires: expired T+-60min (1 h ago); run Authorize App again');
  });

  it('handles a provider that states no expiry, no scopes and issues no refresh token', function () {
    const text = report({ accessToken: ACCESS, tokenType: 'Bearer', obtainedAt: NOW, extra: {} });
    assert.match(line(text, 'Access token', 'Expires'), /not stated by the provider/);
    assert.match(line(text, 'Access token', 'Scopes'), /not reported by the provider/);
    assert.match(text, /## Refresh token\n\nNone was issued/);
    assert.match(text, /The token response carried no other fields/);
    assert.doesNotMatch(text, /NaN|undefined/);
  });

  it('handles a refresh token without a stated lifetime, and a damaged (null) stored expiry', function () {
    const damaged = skyTokens({ refreshTokenExpiresAt: undefined, expiresAt: null as unknown as number });
    const text = report(damaged);
    assert.equal(line(text, 'Refresh token', 'Expires'), '- Expires: not stated by the provider');
    assert.match(line(text, 'Access token', 'Expires'), /not stated by the provider/);
    assert.doesNotMatch(text, /NaN/);
  });

  it('lists SKY\'s environment, legal entity, user and email as provider fields', function () {
    const text = report(skyTokens());
    for (const row of [
      '| environment_id | p-sandbox |',
      '| environment_name | Sandbox Environment |',
      '| legal_entity_id | p-legal |',
      '| legal_entity_name | Sandbox Legal Entity |',
      '| user_id | developer@example.org |',
      '| email | developer@example.org |',
    ]) {
      assert.ok(text.includes(row), `missing ${row}`);
    }
  });

  it('shows the refresh token lifetime the token response stated, or that it stated none', function () {
    assert.equal(line(report(skyTokens()), 'Refresh token', 'Lifetime stated by the provider'),
      '- Lifetime stated by the provider: `refresh_token_expires_in`: 31536000 s (365 d) when it was issued');
    assert.equal(line(report(skyTokens({ refreshTokenExpiresIn: undefined, refreshTokenExpiresAt: undefined })), 'Refresh token', 'Lifetime stated by the provider'),
      '- Lifetime stated by the provider: the token response had no `refresh_token_expires_in`');
  });

  it('names SKY\'s user, environment, legal entity, legacy tenant and access mode', function () {
    const text = report(skyTokens({
      extra: {
        ...skyTokens().extra, given_name: 'Ada', family_name: 'Lovelace', mode: 'Limited',
        tenant_id: 'E27DD7B6-6B71-4689-8B2C-60A74F243966', tenant_name: 'Developer Sandbox',
      },
    }));
    assert.equal(line(text, 'Who and where', 'User'),
      '- User: `Ada` (given_name), `Lovelace` (family_name), `developer@example.org` (email), `developer@example.org` (user_id)');
    assert.equal(line(text, 'Who and where', 'Environment'), '- Environment: `Sandbox Environment` (environment_name), `p-sandbox` (environment_id)');
    assert.equal(line(text, 'Who and where', 'Legal entity'), '- Legal entity: `Sandbox Legal Entity` (legal_entity_name), `p-legal` (legal_entity_id)');
    assert.match(line(text, 'Who and where', 'Tenant (SKY\'s older name for the customer)'), /`Developer Sandbox` \(tenant_name\), `E27DD7B6-6B71-4689-8B2C-60A74F243966` \(tenant_id\)$/);
    assert.equal(line(text, 'Who and where', 'Access mode (SKY: Full or Limited)'), '- Access mode (SKY: Full or Limited): `Limited` (mode)');
    assert.ok(text.includes('| mode | Limited |'), 'still listed with the other provider fields');
  });

  it('keeps the named values one inert line each, and leaves the section out for other providers', function () {
    const text = report(skyTokens({ extra: { given_name: 'Ada`\n## Injected\u202E', mode: '  ' } }));
    assert.equal(line(text, 'Who and where', 'User'), '- User: ``Ada` ## Injected`` (given_name)');
    assert.doesNotMatch(text, /^## Injected/m);
    assert.doesNotMatch(text, /Access mode/, 'a blank value is not shown');
    assert.doesNotMatch(report(skyTokens({ extra: { sub: 'u1' } })), /## Who and where/);
  });

  it('keeps provider field values inside their table row whatever they contain', function () {
    const text = report(skyTokens({
      extra: { note: 'a | b\nc\u202Ed', nested: { mode: 'sandbox', flags: [1, 2] }, count: 3, enabled: false, nothing: null },
    }));
    assert.ok(text.includes('| note | a \\| b cd |'), text);
    // Brackets are escaped so that no value can form a link; rendered, the cell reads [1,2].
    assert.ok(text.includes('| nested | {"mode":"sandbox","flags":\\[1,2\\]} |'), text);
    assert.ok(text.includes('| count | 3 |'));
    assert.ok(text.includes('| enabled | false |'));
    assert.ok(text.includes('| nothing | null |'));
  });

  it('calls an opaque access token opaque and decodes nothing', function () {
    const text = report(skyTokens());
    assert.match(line(text, 'Access token', 'Format'), /opaque \(not a JWT\)/);
    assert.doesNotMatch(text, /Decoded/);
  });

  it('decodes a JWT access token\'s header and claims, says the signature is NOT verified, and dates the time claims', function () {
    const exp = (NOW + HOUR) / 1000;
    const iat = (NOW - 5 * MINUTE) / 1000;
    const accessToken = jwt({ sub: 'user-1', aud: 'api', scope: 'api', exp, iat });
    const text = report(skyTokens({ accessToken }));
    assert.ok(!text.includes(accessToken), 'decoding does not print the token itself');
    assert.match(line(text, 'Access token', 'Format'), /JWT .*NOT verified/);
    const section = text.slice(text.indexOf('## Decoded access token (JWT)'));
    assert.match(section, /Signature NOT verified/);
    assert.ok(section.includes('"alg": "RS256"'));
    assert.ok(section.includes('"kid": "k1"'));
    assert.ok(section.includes('"sub": "user-1"'));
    assert.ok(section.includes(`- \`exp\` ${exp} = T+60min (in 1 h)`));
    assert.ok(section.includes(`- \`iat\` ${iat} = T+-5min (5 min ago)`));
  });

  it('decodes a JWT ID token too, in its own section, with the same warning', function () {
    const idToken = jwt({ sub: 'user-1', iss: 'https://issuer.example', nonce: 'n' }, { alg: 'ES256' });
    const text = report(skyTokens({ idToken }));
    assert.match(text, /## ID token\n\n- Value: `eyJh…\(\d+ chars\)`/);
    const section = text.slice(text.indexOf('## Decoded ID token (JWT)'));
    assert.match(section, /Signature NOT verified/);
    assert.ok(section.includes('"iss": "https://issuer.example"'));
    assert.ok(section.includes('"alg": "ES256"'));
  });

  it('says the ID token was verified by signature, with key id, algorithm and time, or why not', function () {
    const idToken = jwt({ sub: 'user-1', iss: 'https://issuer.example' }, { alg: 'RS256', kid: 'key-`7`' });
    const verified = report(skyTokens({ idToken, idTokenVerification: { status: 'verified', keyId: 'key-`7`', alg: 'RS256', issuer: 'https://issuer.example', verifiedAt: NOW } }));
    assert.match(verified, /- ID token: verified by signature \(key id `` key-`7` ``, alg `RS256`\) at T\+0min, with the keys of issuer `https:\/\/issuer\.example`\n/);
    const decoded = verified.slice(verified.indexOf('## Decoded ID token (JWT)'));
    assert.match(decoded, /Signature verified/);
    assert.doesNotMatch(decoded, /NOT verified/);

    const unverified = report(skyTokens({ idToken, idTokenVerification: { status: 'not-verified', reason: 'no issuer configured', at: NOW } }));
    assert.match(unverified, /- ID token: not verified: no issuer configured\n/);
    assert.match(unverified.slice(unverified.indexOf('## Decoded ID token (JWT)')), /Signature NOT verified/);
    assert.match(report(skyTokens({ idToken })), /- ID token: not verified: it was stored before this extension verified ID tokens/);
  });

  it('keeps a claim containing a code fence inside its code block', function () {
    const accessToken = jwt({ sub: 'x', note: '```\n# Not a heading' });
    const text = report(skyTokens({ accessToken }));
    const section = text.slice(text.indexOf('Claims:'));
    // The fence must be longer than any backtick run in the JSON (which escapes the newline, not the backticks).
    assert.match(section, /^Claims:\n\n````json\n/);
    assert.match(section, /\n````\n/);
  });

  it('uses ISO 8601 times when the caller gives no formatter', function () {
    const text = tokenReport(skyTokens(), NOW, { reveal: false });
    assert.equal(line(text, 'Access token', 'Expires'), `- Expires: in 59 min, at ${new Date(NOW + HOUR - 30_000).toISOString()} `
      + `(the provider's expiry, ${new Date(NOW + HOUR).toISOString()}, less a 30 s margin for clock differences and transit)`);
  });
});
