import * as assert from 'node:assert/strict';
import {
  compareRedirectUris, forwardedRedirectProblem, plainLoopbackRedirectUri, registeredLoopbackRedirectUri,
} from '../../../../src/core/redirect/forwardedRedirect';

const EXACT = { anyLoopbackPort: false };
const ANY_PORT = { anyLoopbackPort: true };

describe('forwarded loopback redirect against the registered redirect URI', () => {
  it('the registered URI is the plain loopback one unless the app names another', () => {
    assert.equal(plainLoopbackRedirectUri({ loopbackHost: 'localhost', loopbackPort: 5000 }, '/callback'), 'http://localhost:5000/callback');
    assert.equal(registeredLoopbackRedirectUri({ loopbackHost: 'localhost', loopbackPort: 5000 }, '/callback'), 'http://localhost:5000/callback');
    assert.equal(registeredLoopbackRedirectUri({ loopbackHost: 'localhost', loopbackPort: 5000, registeredRedirectUri: 'http://10.0.0.1:8080/proxy/5000/callback' },
      '/callback'), 'http://10.0.0.1:8080/proxy/5000/callback');
  });

  it('compares scheme, host, port and path exactly, naming each part that differs', () => {
    const forwarded = 'http://10.200.0.1:8080/proxy/5000/callback';
    assert.deepEqual(compareRedirectUris(forwarded, forwarded, EXACT), { same: true });
    assert.deepEqual(compareRedirectUris(forwarded, 'http://localhost:5000/callback', EXACT), { same: false, differ: ['host', 'port', 'path'] });
    assert.deepEqual(compareRedirectUris(forwarded, 'https://10.200.0.1:8080/proxy/5000/callback', EXACT), { same: false, differ: ['scheme'] });
    assert.deepEqual(compareRedirectUris(forwarded, 'http://10.200.0.1:8080/proxy/5001/callback', EXACT), { same: false, differ: ['path'] });
    // The scheme's default port is the same port, written or not.
    assert.deepEqual(compareRedirectUris('https://x-5000.app.github.dev/callback', 'https://x-5000.app.github.dev:443/callback', EXACT), { same: true });
    assert.deepEqual(compareRedirectUris('not a uri', forwarded, EXACT), { same: false, differ: ['form (one is not an absolute URI)'] });
  });

  it('lets the port of a loopback URI vary only for a provider that accepts any loopback port (RFC 8252 §7.3)', () => {
    // A desktop remote forwards to another local port when the remote's is taken on the user's machine.
    assert.deepEqual(compareRedirectUris('http://127.0.0.1:51234/callback', 'http://127.0.0.1:0/callback', ANY_PORT), { same: true });
    assert.deepEqual(compareRedirectUris('http://127.0.0.1:51234/callback', 'http://127.0.0.1:5000/callback', EXACT), { same: false, differ: ['port'] });
    assert.deepEqual(compareRedirectUris('http://10.0.0.1:51234/callback', 'http://10.0.0.1:5000/callback', ANY_PORT), { same: false, differ: ['port'] });
    assert.deepEqual(compareRedirectUris('http://localhost:5001/callback', 'http://127.0.0.1:5000/callback', ANY_PORT), { same: false, differ: ['host'] });
  });

  it('says both URIs, how they differ and what to register, or nothing when they match', () => {
    const forwarded = 'http://10.200.0.1:8080/proxy/5000/callback';
    assert.equal(forwardedRedirectProblem(forwarded, forwarded, EXACT), undefined);
    const problem = forwardedRedirectProblem(forwarded, 'http://localhost:5000/callback', EXACT)!;
    assert.match(problem, /browser will be sent to http:\/\/10\.200\.0\.1:8080\/proxy\/5000\/callback, /);
    assert.match(problem, /registered for this app is http:\/\/localhost:5000\/callback \(their host, port and path differ\)/);
    assert.match(problem, /Register http:\/\/10\.200\.0\.1:8080\/proxy\/5000\/callback at the provider and save it with Configure App.*or choose Editor URI handler\.$/);
  });
});
