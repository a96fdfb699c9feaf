import * as assert from 'node:assert/strict';
import { formUrlEncode, formUrlEncodeComponent } from '../../../../src/core/http/formUrlEncoding';

describe('formUrlEncoding (application/x-www-form-urlencoded)', () => {
  it('turns spaces into "+" and percent-encodes "+" itself', () => {
    assert.equal(formUrlEncodeComponent('a b+c'), 'a+b%2Bc');
  });

  it('keeps only ALPHA, DIGIT and *-._ unencoded', () => {
    assert.equal(formUrlEncodeComponent("AZaz09*-._~!'()/:=&%"), "AZaz09*-._%7E%21%27%28%29%2F%3A%3D%26%25");
  });

  it('encodes non-ASCII as UTF-8', () => {
    assert.equal(formUrlEncodeComponent('é€'), '%C3%A9%E2%82%AC');
  });

  it('encodes a whole body in insertion order', () => {
    assert.equal(formUrlEncode({ grant_type: 'refresh_token', refresh_token: 'r/t+1', preserve_refresh_token: 'true' }),
      'grant_type=refresh_token&refresh_token=r%2Ft%2B1&preserve_refresh_token=true');
  });
});
