/**
 * The TLS files the configuration names, read and checked once at start-up, so a wrong
 * path or a certificate that does not match its key stops the process before it connects
 * anywhere. A problem is described by path and kind only: never by the file's contents,
 * which for a private key are a secret.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A file that cannot serve: `message` completes "expected ...", and never quotes its contents. */
export class TlsFileProblem extends Error {}

export type PemKind = 'certificate' | 'private key';

const PEM_BLOCK = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  'private key': /-----BEGIN (RSA |EC |)PRIVATE KEY-----/,
} satisfies Record<PemKind, RegExp>;

/** Reads a file whole, or throws a TlsFileProblem saying why it cannot be read. */
export function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TlsFileProblem(`a readable file, got '${path}' (${unreadableBecause(error)})`);
  }
}

/**
 * Reads a PEM file of the given kind and checks that it parses (the first certificate
 * of a bundle; an unencrypted key, since the Temporal SDK takes no passphrase).
 */
export function readPemFile(path: string, kind: PemKind): Buffer {
  const pem = readTlsFile(path);
  if (!PEM_BLOCK[kind].test(pem.toString('latin1')) || !parses(pem, kind)) {
    throw new TlsFileProblem(
      kind === 'certificate'
        ? `a PEM certificate file, got '${path}'`
        : `an unencrypted PEM private key file, got '${path}'`,
    );
  }
  return pem;
}

/** Whether the private key is the one of the certificate's public key. */
export function certificateMatchesKey(certificate: Buffer, key: Buffer): boolean {
  return new X509Certificate(certificate).checkPrivateKey(createPrivateKey(key));
}

/** The URI parameters through which the MongoDB driver reads files (names are case-insensitive). */
export const MONGODB_TLS_FILE_PARAMETERS = ['tlsCAFile', 'tlsCertificateKeyFile', 'tlsCRLFile'] as const;

/**
 * Checks that every file a MongoDB URI names in its tls*File parameters can be read;
 * the driver itself would only find out when it connects. Returns the problem, naming
 * the parameter and the path (never the URI, which may carry a password), or undefined.
 */
export function mongoTlsFileProblem(uri: string): string | undefined {
  const query = uri.indexOf('?');
  if (query === -1) return undefined;
  // Same decoding as the driver's parser (WHATWG search parameters).
  const parameters = new URLSearchParams(uri.slice(query + 1));
  for (const [name, value] of parameters) {
    const known = MONGODB_TLS_FILE_PARAMETERS.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) continue;
    try {
      readTlsFile(value);
    } catch (error) {
      if (error instanceof TlsFileProblem) return `${error.message} in its ${known} parameter`;
      throw error;
    }
  }
  return undefined;
}

function parses(pem: Buffer, kind: PemKind): boolean {
  try {
    if (kind === 'certificate') new X509Certificate(pem);
    else createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

function unreadableBecause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory';
    default:
      return code ?? 'unreadable';
  }
}
