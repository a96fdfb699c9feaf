// A throwaway certificate authority and one server certificate for an IP address, made by the test with
// openssl (the remote-browser suite's https sandbox on its veth address). Valid for one day, in a private
// folder that `remove()` deletes. The extension host trusts the CA through NODE_EXTRA_CA_CERTS; Chromium
// is told the leaf's public key hash (--ignore-certificate-errors-spki-list), which trusts that one key only.
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM file of the CA certificate (for NODE_EXTRA_CA_CERTS and a test's own https requests). */
  caFile: string;
  caPem: string;
  /** PEM files of the server certificate (SAN: the IP address) and its key. */
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, as Chromium's SPKI list wants it. */
  leafSpkiSha256: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
}

export function makeTestCertificates(ipAddress: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'acf-test-ca-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...curve, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Authorization Code Flow e2e test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    openssl(['req', ...curve, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${ipAddress}`], dir);
    writeFileSync(join(dir, 'server.ext'), [`subjectAltName=IP:${ipAddress}`, 'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'].join('\n'));
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-extfile', 'server.ext', '-out', 'server.pem'], dir);
    // The CA's key is not needed once the one certificate is signed.
    rmSync(join(dir, 'ca.key'));
    const leaf = new X509Certificate(readFileSync(join(dir, 'server.pem')));
    const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
    return {
      caFile: join(dir, 'ca.pem'),
      caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      certFile: join(dir, 'server.pem'),
      keyFile: join(dir, 'server.key'),
      leafSpkiSha256: createHash('sha256').update(spki).digest('base64'),
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
