import * as assert from 'node:assert/strict';
import { literal, tabStop, toPlainText } from '../../../../src/core/snippets/snippetText';

describe('snippet text', () => {
  it('escapes $, } and \\ so they insert literally', () => {
    assert.equal(literal('a$b}c\\d'), 'a\\$b\\}c\\\\d');
    assert.equal(toPlainText(literal('${HOME} costs $5 \\n }')), '${HOME} costs $5 \\n }');
  });

  it('turns tab stops into their values and drops bare ones', () => {
    const snippet = `url = "${tabStop(1, 'https://x.example/a?b=${c}')}"\n$0\nend\${2}`;
    assert.equal(toPlainText(snippet), 'url = "https://x.example/a?b=${c}"\n\nend');
  });

  it('keeps text that only looks like syntax when escaped', () => {
    assert.equal(toPlainText('echo \\$1 \\${2:x\\}'), 'echo $1 ${2:x}');
  });
});
