import * as assert from 'node:assert/strict';
import {
  basicAuthorization,
  basicCredentialEncodingOf,
  basicEncodingsDiffer,
  describeClientAuthentication,
  learnedEncodingMessage,
} from '../../../../src/core/protocol/basicCredentials';
import { configurationFromPreset, presetById } from '../../../../src/core/providers/presets';

const decoded = (header: string): string => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('Basic credentials (RFC 6749 §2.3.1 or raw, as SKY API documents them)', () => {
  it('takes the encoding from the configuration, else from its preset: raw for SKY, form-urlencoded elsewhere', () => {
    assert.equal(basicCredentialEncodingOf({ preset: 'sky' }), 'raw');
    assert.equal(basicCredentialEncodingOf({ preset: 'generic' }), 'form-urlencoded');
    assert.equal(basicCredentialEncodingOf({ preset: 'sandbox' }), 'form-urlencoded');
    assert.equal(basicCredentialEncodingOf({ preset: 'sky', basicCredentialEncoding: 'form-urlencoded' }), 'form-urlencoded');
    assert.equal(basicCredentialEncodingOf(configurationFromPreset(presetById('sky'))), 'raw', 'unset until learned: the preset decides');
  });

  it('spells a base64-looking secret differently in the two encodings, and a plain one the same', () => {
    assert.equal(decoded(basicAuthorization('app', 'a+b/c==', 'raw')), 'app:a+b/c==');
    assert.equal(decoded(basicAuthorization('app', 'a+b/c==', 'form-urlencoded')), 'app:a%2Bb%2Fc%3D%3D');
    assert.equal(basicAuthorization('app-1', 'plain-Secret_09', 'raw'), basicAuthorization('app-1', 'plain-Secret_09', 'form-urlencoded'));
    assert.equal(basicEncodingsDiffer('app-1', 'plain-Secret_09'), false);
    assert.equal(basicEncodingsDiffer('app-1', 'a+b'), true);
    assert.equal(basicEncodingsDiffer('app 1', 'plain'), true, 'the ID counts too');
    assert.equal(decoded(basicAuthorization('app', 'é', 'raw')), 'app:é', 'UTF-8, like the form encoding');
  });

  it('says in the log which encoding is used and which one worked, without any value', () => {
    assert.match(describeClientAuthentication({ preset: 'sky', clientAuthMethod: 'client_secret_basic' }), /client_secret_basic .*raw "ID:secret"/);
    assert.match(describeClientAuthentication({ preset: 'generic', clientAuthMethod: 'client_secret_basic' }), /form-urlencoded first \(RFC 6749 §2\.3\.1\)/);
    assert.equal(describeClientAuthentication({ preset: 'sky', clientAuthMethod: 'client_secret_post' }), 'client_secret_post client authentication');
    const learned = learnedEncodingMessage('raw');
    assert.match(learned, /refused the Basic credentials spelled form-urlencoded \(invalid_client\) and accepted them raw/);
    assert.match(learned, /use raw from now on/);
  });
});
