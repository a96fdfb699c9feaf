import * as assert from 'node:assert/strict';
import {
  applyRememberedBasicEncoding,
  rememberedBasicEncoding,
  withBasicEncodingRemembered,
} from '../../../../src/core/providers/basicEncodingPreference';
import { basicCredentialEncodingOf } from '../../../../src/core/protocol/basicCredentials';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

const APP = { tokenEndpoint: 'https://idp.example/token', clientId: 'app-1' };

describe('the Basic encoding remembered per app', () => {
  it('is found for the same token endpoint and client ID only', () => {
    const stored = withBasicEncodingRemembered(undefined, APP, 'raw');
    assert.equal(rememberedBasicEncoding(stored, APP), 'raw');
    assert.equal(rememberedBasicEncoding(stored, { ...APP, tokenEndpoint: ' https://idp.example/token ' }), 'raw', 'as the settings trim it');
    assert.equal(rememberedBasicEncoding(stored, { ...APP, clientId: 'app-2' }), undefined, 'another client ID starts from the preset');
    assert.equal(rememberedBasicEncoding(stored, { ...APP, tokenEndpoint: 'https://other.example/token' }), undefined, 'another provider too');
  });

  it('replaces the entry for the app, keeps the others, and forgets the oldest beyond eight', () => {
    let stored = withBasicEncodingRemembered(undefined, APP, 'raw');
    stored = withBasicEncodingRemembered(stored, { ...APP, clientId: 'app-2' }, 'form-urlencoded');
    stored = withBasicEncodingRemembered(stored, APP, 'form-urlencoded');
    assert.equal(stored.length, 2);
    assert.equal(rememberedBasicEncoding(stored, APP), 'form-urlencoded');
    for (let index = 3; index <= 10; index++) stored = withBasicEncodingRemembered(stored, { ...APP, clientId: `app-${index}` }, 'raw');
    assert.equal(stored.length, 8);
    assert.equal(rememberedBasicEncoding(stored, APP), undefined);
  });

  it('ignores whatever else global state holds under the key', () => {
    for (const junk of [null, 'raw', {}, [null, 1, { tokenEndpoint: APP.tokenEndpoint, clientId: APP.clientId, encoding: 'base64' }]]) {
      assert.equal(rememberedBasicEncoding(junk, APP), undefined);
    }
  });

  it('overrides the preset\'s encoding in the configuration the token requests use', () => {
    const sky = configurationFromPreset(presetById('sky'), { clientId: 'app-1', tokenEndpoint: APP.tokenEndpoint });
    assert.equal(basicCredentialEncodingOf(applyRememberedBasicEncoding(sky, [])), 'raw');
    const stored = withBasicEncodingRemembered([], APP, 'form-urlencoded');
    assert.equal(applyRememberedBasicEncoding(sky, stored).basicCredentialEncoding, 'form-urlencoded');
  });
});
