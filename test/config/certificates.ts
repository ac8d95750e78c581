/**
 * Throwaway certificates for the TLS tests, made with the openssl CLI: a CA, a server
 * certificate valid only for SERVER_NAME (not for 127.0.0.1, so the server name override
 * is what makes verification pass), a client certificate, and a rogue CA with its own
 * client certificate that the server does not trust.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SERVER_NAME = 'temporal.internal';

export interface Pair {
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  ca: Pair;
  server: Pair;
  client: Pair;
  rogueCa: Pair;
  /** Signed by the rogue CA: a client the server must refuse. */
  rogueClient: Pair;
  read(file: string): Buffer;
  remove(): void;
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-test-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  const makeCa = (name: string): Pair => {
    const pair = { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      pair.key,
      '-out',
      pair.cert,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    );
    return pair;
  };
  const makeLeaf = (name: string, issuer: Pair, extensions: string): Pair => {
    const pair = { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    const csr = file(`${name}.csr`);
    const ext = file(`${name}.ext`);
    writeFileSync(
      ext,
      `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n${extensions}\n`,
    );
    openssl('req', '-new', ...newKey, '-keyout', pair.key, '-out', csr, '-subj', `/CN=${name}`);
    openssl(
      'x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-CAcreateserial',
      '-out', pair.cert, '-days', '2', '-extfile', ext,
    ); // prettier-ignore
    return pair;
  };

  const ca = makeCa('test-ca');
  const rogueCa = makeCa('rogue-ca');
  return {
    dir,
    ca,
    rogueCa,
    server: makeLeaf(SERVER_NAME, ca, `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth`),
    client: makeLeaf('bot-worker', ca, 'extendedKeyUsage=clientAuth'),
    rogueClient: makeLeaf('rogue-worker', rogueCa, 'extendedKeyUsage=clientAuth'),
    read: (name) => readFileSync(name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
