import * as assert from 'node:assert/strict';
import { createState, randomBase64Url } from '../../../../src/core/protocol/randomToken';

describe('randomToken', () => {
  it('creates a state of 43 base64url characters carrying 256 bits', () => {
    const state = createState();
    assert.match(state, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(state, 'base64url').length, 32);
  });

  it('never repeats a state across many draws', () => {
    const states = new Set(Array.from({ length: 5000 }, () => createState()));
    assert.equal(states.size, 5000);
  });

  it('produces states whose bits are balanced (not a constant or counter)', () => {
    let ones = 0;
    let bits = 0;
    for (let draw = 0; draw < 500; draw += 1) {
      for (const byte of Buffer.from(createState(), 'base64url')) {
        for (let bit = 0; bit < 8; bit += 1) {
          ones += (byte >> bit) & 1;
        }
        bits += 8;
      }
    }
    // 128 000 fair bits: the share of ones is 0.5 ± 0.0014 (1σ); 0.48–0.52 is > 14σ.
    const share = ones / bits;
    assert.ok(share > 0.48 && share < 0.52, `share of one bits ${share}`);
  });

  it('sizes the output by the requested number of bytes', () => {
    assert.equal(randomBase64Url(16).length, 22);
    assert.equal(randomBase64Url(64).length, 86);
  });
});
