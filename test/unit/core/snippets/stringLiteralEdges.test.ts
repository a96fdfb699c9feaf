import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';
import { SNIPPET_LANGUAGES } from '../../../../src/core/snippets/languages';
import { wellFormed } from '../../../../src/core/snippets/languages/stringEscapes';
import type { SnippetContext } from '../../../../src/core/snippets/snippetGenerator';
import { toPlainText } from '../../../../src/core/snippets/snippetText';

// Values no string literal may hold raw, in every language's string-literal helper: a NUL (Python
// refuses the source), a lone surrogate (no UTF-8 form; Go refuses its \ud800 escape), U+FEFF (Go
// refuses a BOM inside a file), U+2028/U+2029/U+0085 (line ends in C#), a right-to-left override
// (makes code read differently than it runs), and the quote characters of each language. Each value
// is declared in the snippet, and each snippet must parse; where a runtime exists, the literal is
// evaluated and its UTF-8 bytes compared with what the extension itself would send (TextEncoder, which
// writes U+FFFD for a lone surrogate; a visible character, so snippets write U+FFFD raw except in Java).

const MARK = 'EDGE<';
const EDGE = `${MARK}a\0b\uD800c\uFEFFd\u2028e\u2029f\u0085g\u202Eh\x7Fi\x1Bj'\u2019"\\$k\`l#{m}`;

const context: SnippetContext = {
  config: configurationFromPreset(presetById('generic'), {
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    apiBaseUrl: 'https://api.example.com',
    clientId: EDGE,
    // openid: each language's nonce code must parse too.
    scopes: ['openid'],
    extraAuthorizationParams: { prompt: EDGE },
  }),
  redirectUri: 'http://127.0.0.1:8765/callback',
  apiPath: '/me',
};

const utf8Hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/** Each language's literal helper, golden: what the clientId declaration reads. */
const GOLDEN: Record<string, string> = {
  javascript: String.raw`const clientId = 'EDGE<a\u0000b�c\uFEFFd\u2028e\u2029f\u0085g\u202Eh\u007Fi\u001Bj\'’"\\$k` + '`' + String.raw`l#{m}';`,
  python: String.raw`CLIENT_ID = 'EDGE<a\u0000b�c\uFEFFd\u2028e\u2029f\u0085g\u202Eh\u007Fi\u001Bj\'’"\\$k` + '`' + String.raw`l#{m}'`,
  go: String.raw`clientID              = "EDGE<a\u0000b�c\uFEFFd\u2028e\u2029f\u0085g\u202Eh\u007Fi\u001Bj'’\"\\$k` + '`' + String.raw`l#{m}"`,
  java: String.raw`static final String CLIENT_ID = "EDGE<a\u0000b\uFFFDc\uFEFFd\u2028e\u2029f\u0085g\u202Eh\u007Fi\u001Bj'\u2019\"\\$k` + '`' + String.raw`l#{m}";`,
  csharp: String.raw`const string ClientId = "EDGE<a\u0000b�c\uFEFFd\u2028e\u2029f\u0085g\u202Eh\u007Fi\u001Bj'’\"\\$k` + '`' + String.raw`l#{m}";`,
  php: String.raw`const CLIENT_ID = 'EDGE<a' . "\u{0000}" . 'b�c' . "\u{FEFF}" . 'd' . "\u{2028}" . 'e' . "\u{2029}" . 'f' . "\u{0085}" . 'g' . "\u{202E}" . 'h' . "\u{007F}" . 'i' . "\u{001B}" . 'j\'’"\\$k` + '`' + String.raw`l#{m}';`,
  ruby: String.raw`CLIENT_ID = 'EDGE<a' "\u{0000}" 'b�c' "\u{FEFF}" 'd' "\u{2028}" 'e' "\u{2029}" 'f' "\u{0085}" 'g' "\u{202E}" 'h' "\u{007F}" 'i' "\u{001B}" 'j\'’"\\$k` + '`' + String.raw`l#{m}'`,
  shellscript: String.raw`client_id='EDGE<a'$'\x00''b�c'$'\xEF\xBB\xBF''d'$'\xE2\x80\xA8''e'$'\xE2\x80\xA9''f'$'\xC2\x85''g'$'\xE2\x80\xAE''h'$'\x7F''i'$'\x1B''j'\''’"\$k` + '`' + String.raw`l#{m}'`,
  powershell: String.raw`$ClientId = 'EDGE<a' + [char]0x0000 + 'b�c' + [char]0xFEFF + 'd' + [char]0x2028 + 'e' + [char]0x2029 + 'f' + [char]0x0085 + 'g' + [char]0x202E + 'h' + [char]0x007F + 'i' + [char]0x001B + 'j''’’"\$k` + '`' + String.raw`l#{m}'`,
};
GOLDEN.typescript = GOLDEN.javascript;

function snippet(id: string): string {
  const language = SNIPPET_LANGUAGES.find((candidate) => candidate.id === id);
  assert.ok(language, id);
  return toPlainText(language.generate('authorizationRequest', context));
}

/** The clientId declaration: the first line that holds the value. */
const declaration = (text: string): string => text.split('\n').find((line) => line.includes(MARK))?.trim() ?? '';
/** The literal expression of a declaration: what follows its `=`. */
const literalOf = (line: string): string => line.slice(line.indexOf('=') + 1).trim().replace(/;$/, '');

function run(dir: string, command: string, args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const result = spawnSync(command, args, {
    cwd: dir, encoding: 'utf8', timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, LC_ALL: 'C', ...env },
  });
  if (result.error) throw result.error;
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

const GO_ENV = { GOCACHE: join(tmpdir(), 'acf-snippets-gocache'), GOPATH: join(tmpdir(), 'acf-snippets-gopath'), CGO_ENABLED: '0' };

/** For each runtime: the snippet file and its syntax check, and a program printing the literal's UTF-8 bytes as hex. */
const RUNTIMES: Record<string, { file: string; check: [string, string[]][]; probe: (literal: string) => { file: string; command: [string, string[]] }; env?: Record<string, string> }> = {
  javascript: {
    file: 'snippet.js', check: [[process.execPath, ['--check', 'snippet.js']]],
    probe: (literal) => ({ file: `process.stdout.write(Buffer.from(${literal}, 'utf8').toString('hex'));\n`, command: [process.execPath, ['probe']] }),
  },
  python: {
    file: 'snippet.py', check: [['python3', ['-m', 'py_compile', 'snippet.py']]],
    probe: (literal) => ({ file: `import sys\nsys.stdout.write((${literal}).encode('utf-8').hex())\n`, command: ['python3', ['probe']] }),
  },
  go: {
    file: 'snippet.go', check: [['gofmt', ['-l', 'snippet.go']], ['go', ['vet', 'snippet.go']]], env: GO_ENV,
    probe: (literal) => ({ file: `package main\n\nimport (\n\t"encoding/hex"\n\t"fmt"\n)\n\nfunc main() { fmt.Print(hex.EncodeToString([]byte(${literal}))) }\n`, command: ['go', ['run', 'probe.go']] }),
  },
  java: {
    file: 'Snippet.java', check: [['javac', ['-Xlint:all', '-Werror', '-d', 'classes', 'Snippet.java']]],
    probe: (literal) => ({
      file: `class Probe { public static void main(String[] a) throws Exception { System.out.print(java.util.HexFormat.of().formatHex((${literal}).getBytes("UTF-8"))); } }\n`,
      command: ['java', ['Probe.java']],
    }),
  },
  php: {
    file: 'snippet.php', check: [['php', ['-l', 'snippet.php']]],
    probe: (literal) => ({ file: `<?php echo bin2hex(${literal});\n`, command: ['php', ['probe']] }),
  },
  ruby: {
    file: 'snippet.rb', check: [['ruby', ['-wc', 'snippet.rb']]],
    probe: (literal) => ({ file: `# frozen_string_literal: true\nprint((${literal}).unpack1('H*'))\n`, command: ['ruby', ['probe']] }),
  },
  shellscript: {
    file: 'snippet.sh', check: [['bash', ['-n', 'snippet.sh']]],
    probe: (literal) => ({ file: `value=${literal}\nprintf '%s' "$value" | od -An -tx1 | tr -d ' \\n'\n`, command: ['bash', ['probe']] }),
  },
};

describe('snippet string literals: NUL, lone surrogates, BOM, line separators, bidi overrides and quotes', function () {
  this.timeout(120_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'acf-literal-edges-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const language of SNIPPET_LANGUAGES) {
    it(`${language.id}: golden literal, and no such character raw anywhere in the snippet`, () => {
      const text = snippet(language.id);
      assert.equal(declaration(text), GOLDEN[language.id]);
      // eslint-disable-next-line no-control-regex -- the control characters are what must not appear
      assert.doesNotMatch(text, /[\0\uD800-\uDFFF\uFEFF\u2028\u2029\u0085\u202E\x7F\x1B]/, 'escaped everywhere, not only in the declaration');
    });
  }

  for (const [id, runtime] of Object.entries(RUNTIMES)) {
    it(`${id}: the snippet parses, and the literal evaluates to the value's UTF-8 bytes`, () => {
      const dir = mkdtempSync(join(scratch, `${id}-`));
      writeFileSync(join(dir, runtime.file), snippet(id));
      for (const [command, args] of runtime.check) {
        const checked = run(dir, command, args, runtime.env);
        assert.equal(checked.status, 0, `${command} ${args.join(' ')}:\n${checked.out}`);
        if (command === 'gofmt') assert.equal(checked.out, '', 'gofmt -l names an unformatted file');
      }
      const probe = runtime.probe(literalOf(declaration(snippet(id))));
      const [command, args] = probe.command;
      const file = id === 'go' ? 'probe.go' : id === 'java' ? 'Probe.java' : 'probe';
      writeFileSync(join(dir, file), probe.file);
      const evaluated = run(dir, command, args, runtime.env);
      // bash variables are C strings: the NUL is the one byte a shell value cannot hold.
      const expected = utf8Hex(wellFormed(EDGE).replace(id === 'shellscript' ? '\0' : '', ''));
      assert.equal(evaluated.out, expected, `${command} ${args.join(' ')}`);
    });
  }
});
