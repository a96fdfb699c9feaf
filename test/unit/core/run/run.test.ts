import * as assert from 'node:assert/strict';
import { RUNNABLE_LANGUAGE_IDS, runCommandFor } from '../../../../src/core/run/runCommand';
import { describeRunEnvironment, runEnvironment } from '../../../../src/core/run/runEnvironment';
import { shellCommandLine, shellKindOf } from '../../../../src/core/run/shellCommandLine';
import { SNIPPET_ENV } from '../../../../src/core/snippets/snippetGenerator';
import type { TokenSet } from '../../../../src/core/tokens/tokenSet';

const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.access-token-value';

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return { accessToken: ACCESS, tokenType: 'Bearer', obtainedAt: 0, extra: {}, ...overrides };
}

describe('Run with My Tokens', function () {
  describe('run command', function () {
    it('runs each snippet language with its own interpreter or toolchain', function () {
      const cases: [string, string, string[]][] = [
        ['javascript', '/w/a.js', ['node', '/w/a.js']],
        ['python', '/w/a.py', ['python3', '/w/a.py']],
        ['shellscript', '/w/a.sh', ['bash', '/w/a.sh']],
        ['go', '/w/a.go', ['go', 'run', '/w/a.go']],
        ['java', '/w/Snippet.java', ['java', '/w/Snippet.java']],
        ['php', '/w/a.php', ['php', '/w/a.php']],
        ['ruby', '/w/a.rb', ['ruby', '/w/a.rb']],
        ['powershell', '/w/a.ps1', ['pwsh', '-NoProfile', '-File', '/w/a.ps1']],
      ];
      for (const [languageId, file, argv] of cases) assert.deepEqual(runCommandFor(languageId, file, 'linux')?.argv, argv, languageId);
    });

    it('uses python on Windows, falls back to the file extension, and has no runner for other languages', function () {
      assert.deepEqual(runCommandFor('python', 'C:\\w\\a.py', 'win32')?.argv, ['python', 'C:\\w\\a.py']);
      assert.deepEqual(runCommandFor('plaintext', '/w/A.PY', 'linux')?.argv, ['python3', '/w/A.PY']);
      assert.equal(runCommandFor('typescript', '/w/a.ts', 'linux'), undefined);
      assert.equal(runCommandFor('csharp', '/w/a.cs', 'linux'), undefined);
    });

    it('lists the language ids the editor title menu offers it on', function () {
      assert.deepEqual([...RUNNABLE_LANGUAGE_IDS].sort(), ['go', 'java', 'javascript', 'php', 'powershell', 'python', 'ruby', 'shellscript']);
    });
  });

  describe('command line', function () {
    it('recognises the shell family from its path', function () {
      assert.equal(shellKindOf('/bin/bash'), 'posix');
      assert.equal(shellKindOf('/usr/bin/zsh'), 'posix');
      assert.equal(shellKindOf('/usr/local/bin/fish'), 'fish');
      assert.equal(shellKindOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'pwsh');
      assert.equal(shellKindOf('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'), 'pwsh');
      assert.equal(shellKindOf('C:\\Windows\\System32\\cmd.exe'), 'cmd');
      assert.equal(shellKindOf(''), 'posix');
    });

    it('leaves plain arguments alone', function () {
      assert.equal(shellCommandLine(['go', 'run', '/w/api_call.go'], 'posix'), 'go run /w/api_call.go');
      assert.equal(shellCommandLine(['python', 'a.py'], 'pwsh'), 'python a.py');
    });

    it('quotes a path with spaces, quotes and $ so each shell passes it unchanged', function () {
      const file = "/home/me/it's $HOME `x`/a b.py";
      assert.equal(shellCommandLine(['python3', file], 'posix'), `python3 '/home/me/it'\\''s $HOME \`x\`/a b.py'`);
      assert.equal(shellCommandLine(['python3', file], 'fish'), `python3 '/home/me/it\\'s $HOME \`x\`/a b.py'`);
      assert.equal(shellCommandLine(['python', "C:\\My Code\\it's $x.py"], 'pwsh'), "python 'C:\\My Code\\it''s $x.py'");
      assert.equal(shellCommandLine(['python', 'C:\\My Code\\a.py'], 'cmd'), 'python "C:\\My Code\\a.py"');
    });

    it('invokes a quoted command with & in PowerShell', function () {
      assert.equal(shellCommandLine(['C:\\Program Files\\nodejs\\node.exe', 'a.js'], 'pwsh'), "& 'C:\\Program Files\\nodejs\\node.exe' a.js");
    });

    it('refuses what cmd.exe would expand or cannot quote, naming the fix', function () {
      assert.throws(() => shellCommandLine(['python', 'C:\\w\\100%done.py'], 'cmd'), /cmd\.exe cannot pass unchanged.*Rename the file/);
    });
  });

  describe('environment', function () {
    it('passes the stored values under the names the snippets read, and masks them in the description', function () {
      const environment = runEnvironment(tokenSet({ refreshToken: 'refresh-token-value' }), { clientSecret: 'client-secret-value', subscriptionKey: 'subscription-key-value' });
      assert.deepEqual(environment.env, {
        [SNIPPET_ENV.accessToken]: ACCESS,
        [SNIPPET_ENV.refreshToken]: 'refresh-token-value',
        [SNIPPET_ENV.clientSecret]: 'client-secret-value',
        [SNIPPET_ENV.subscriptionKey]: 'subscription-key-value',
      });
      assert.deepEqual(Object.keys(environment.env), ['OAUTH_ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN', 'OAUTH_CLIENT_SECRET', 'OAUTH_SUBSCRIPTION_KEY']);
      const line = describeRunEnvironment(environment);
      assert.match(line, /^Passed OAUTH_ACCESS_TOKEN=eyJh…\(\d+ chars\), OAUTH_REFRESH_TOKEN=refr…/);
      for (const secret of [ACCESS, 'refresh-token-value', 'client-secret-value', 'subscription-key-value']) {
        assert.equal(line.includes(secret), false, 'a value leaked into the description');
      }
    });

    it('removes the variables it has no value for, and says so', function () {
      const environment = runEnvironment(tokenSet(), {});
      assert.deepEqual(environment.env, {
        OAUTH_ACCESS_TOKEN: ACCESS, OAUTH_REFRESH_TOKEN: null, OAUTH_CLIENT_SECRET: null, OAUTH_SUBSCRIPTION_KEY: null,
      });
      assert.deepEqual(environment.missing, ['OAUTH_REFRESH_TOKEN', 'OAUTH_CLIENT_SECRET', 'OAUTH_SUBSCRIPTION_KEY']);
      assert.match(describeRunEnvironment(environment), /; not stored, so not set: OAUTH_REFRESH_TOKEN, OAUTH_CLIENT_SECRET, OAUTH_SUBSCRIPTION_KEY\.$/);
    });
  });
});
