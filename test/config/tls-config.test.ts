import { createPrivateKey } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadConfigOrExit } from '../../src/config';
import { temporalConnectionOptions } from '../../src/connections';
import { SERVER_NAME, makeTestCertificates, type TestCertificates } from './certificates';

const API_KEY = 'tmprl-secret-api-key-value';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => certs.remove());

const mtls = () => ({
  TEMPORAL_TLS_CERT: certs.client.cert,
  TEMPORAL_TLS_KEY: certs.client.key,
  TEMPORAL_TLS_CA: certs.ca.cert,
  TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
});

/** The one line loadConfig would print, for the assertions on what it says and hides. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('Temporal TLS and API key from the environment (unit)', () => {
  it('connects in plaintext when nothing TLS is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(config.temporal.tls).toBeUndefined();
    expect(config.temporal.apiKey).toBeUndefined();
    expect(temporalConnectionOptions(config)).toEqual({ address: 'temporal:7233' });
  });

  it('turns on server-verified TLS with the system roots for TEMPORAL_TLS=true', () => {
    const config = loadConfig({ TEMPORAL_TLS: 'true' });
    expect(temporalConnectionOptions(config)).toEqual({ address: '127.0.0.1:7233', tls: {} });
  });

  it('reads the client pair, the CA and the server name into the SDK tls option', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.com:7233', ...mtls() });
    expect(temporalConnectionOptions(config)).toEqual({
      address: 'temporal.example.com:7233',
      tls: {
        clientCertPair: { crt: readFileSync(certs.client.cert), key: readFileSync(certs.client.key) },
        serverRootCACertificate: readFileSync(certs.ca.cert),
        serverNameOverride: SERVER_NAME,
      },
    });
    expect(Buffer.isBuffer(config.temporal.tls?.clientCertPair?.key)).toBe(true);
  });

  it('turns TLS on for a CA alone (a private CA, no client certificate)', () => {
    const config = loadConfig({ TEMPORAL_TLS_CA: certs.ca.cert });
    expect(config.temporal.tls).toEqual({ serverRootCACertificate: readFileSync(certs.ca.cert) });
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(configError({ TEMPORAL_TLS_CERT: certs.client.cert }).message).toMatch(
      /^TEMPORAL_TLS_KEY: expected/,
    );
    expect(configError({ TEMPORAL_TLS_KEY: certs.client.key }).message).toMatch(
      /^TEMPORAL_TLS_CERT: expected/,
    );
  });

  it('refuses a key that is not the certificate’s', () => {
    const error = configError({
      TEMPORAL_TLS_CERT: certs.client.cert,
      TEMPORAL_TLS_KEY: certs.rogueClient.key,
    });
    expect(error.message).toBe(
      'TEMPORAL_TLS_KEY: expected the private key of the certificate in TEMPORAL_TLS_CERT',
    );
  });

  it.each(['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'])(
    'names %s when its file does not exist or is a directory',
    (variable) => {
      const missing = path.join(certs.dir, 'missing.pem');
      expect(configError({ ...mtls(), [variable]: missing }).message).toBe(
        `${variable}: expected a readable file, got '${missing}' (no such file)`,
      );
      expect(configError({ ...mtls(), [variable]: certs.dir }).message).toBe(
        `${variable}: expected a readable file, got '${certs.dir}' (a directory)`,
      );
    },
  );

  it.skipIf(process.getuid?.() === 0)('names the variable of a file it may not read', () => {
    const locked = path.join(certs.dir, 'locked.pem');
    writeFileSync(locked, readFileSync(certs.ca.cert));
    chmodSync(locked, 0o000);
    expect(configError({ TEMPORAL_TLS_CA: locked }).message).toMatch(/^TEMPORAL_TLS_CA: .*permission denied/);
  });

  it('refuses a file of the wrong kind without quoting it (a key given as the certificate)', () => {
    const error = configError({ ...mtls(), TEMPORAL_TLS_CERT: certs.client.key });
    expect(error.message).toBe(
      `TEMPORAL_TLS_CERT: expected a PEM certificate file, got '${certs.client.key}'`,
    );
    const keyBody = readFileSync(certs.client.key, 'utf8').split('\n')[1]!;
    expect(error.message).not.toContain(keyBody);
    expect(configError({ ...mtls(), TEMPORAL_TLS_KEY: certs.client.cert }).message).toMatch(
      /^TEMPORAL_TLS_KEY: expected an unencrypted PEM private key file/,
    );
  });

  it('refuses an encrypted key (the SDK takes no passphrase)', () => {
    const encrypted = path.join(certs.dir, 'encrypted.key');
    writeFileSync(
      encrypted,
      createPrivateKey(readFileSync(certs.client.key)).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'pw',
      }),
    );
    expect(configError({ ...mtls(), TEMPORAL_TLS_KEY: encrypted }).message).toMatch(/^TEMPORAL_TLS_KEY: /);
  });

  it('refuses TEMPORAL_TLS=false together with TLS files', () => {
    expect(configError({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: certs.ca.cert }).message).toMatch(
      /^TEMPORAL_TLS: /,
    );
    expect(configError({ TEMPORAL_TLS: 'maybe' }).message).toBe("TEMPORAL_TLS: expected 'true' or 'false'");
  });

  it('refuses a server name that is not a host name', () => {
    expect(configError({ TEMPORAL_TLS_SERVER_NAME: 'https://temporal' }).message).toMatch(
      /^TEMPORAL_TLS_SERVER_NAME: expected a host name/,
    );
  });

  it('sends an API key over TLS by default, in plaintext only when TEMPORAL_TLS=false says so', () => {
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_API_KEY: API_KEY }))).toEqual({
      address: '127.0.0.1:7233',
      tls: {},
      apiKey: API_KEY,
    });
    expect(
      temporalConnectionOptions(loadConfig({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' })),
    ).toEqual({
      address: '127.0.0.1:7233',
      apiKey: API_KEY,
    });
  });

  it('allows an API key together with a client certificate: both are sent', () => {
    const options = temporalConnectionOptions(loadConfig({ ...mtls(), TEMPORAL_API_KEY: API_KEY }));
    expect(options.apiKey).toBe(API_KEY);
    expect(options.tls?.clientCertPair).toBeDefined();
  });

  it('never echoes the API key, whatever is wrong', () => {
    const withSpace = `${API_KEY} trailing`;
    const error = configError({ TEMPORAL_API_KEY: withSpace });
    expect(error.message).toBe('TEMPORAL_API_KEY: expected an API key without spaces or line breaks');
    expect(error.message).not.toContain(API_KEY);
    expect(
      String(configError({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS_CERT: certs.client.cert })),
    ).not.toContain(API_KEY);
  });

  it('exits with code 2 and one line naming the variable, never the key', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    const print = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() =>
        loadConfigOrExit({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS_CA: path.join(certs.dir, 'nope.pem') }),
      ).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(2);
      expect(print).toHaveBeenCalledTimes(1);
      const line = String(print.mock.calls[0]![0]);
      expect(line).toMatch(/^Configuration error: TEMPORAL_TLS_CA: expected a readable file/);
      expect(line).not.toContain('\n');
      expect(line).not.toContain(API_KEY);
    } finally {
      exit.mockRestore();
      print.mockRestore();
    }
  });
});

describe('MongoDB TLS through MONGODB_URI (unit)', () => {
  const PASSWORD = 's3cr3t-password';

  it('accepts mongodb+srv, replica sets and TLS parameters whose files exist', () => {
    for (const uri of [
      `mongodb+srv://bot:${PASSWORD}@cluster0.example.mongodb.net/?retryWrites=true&w=majority`,
      'mongodb://db1:27017,db2:27017,db3:27017/?replicaSet=rs0&tls=true',
      `mongodb://db1:27017,db2:27017/?replicaSet=rs0&tls=true&tlsCAFile=${encodeURIComponent(certs.ca.cert)}` +
        `&tlsCertificateKeyFile=${certs.client.cert}&tlsCertificateKeyFilePassword=${PASSWORD}`,
      `mongodb://db1/?tls=true&tlscafile=${certs.ca.cert}`,
    ]) {
      expect(loadConfig({ MONGODB_URI: uri }).mongodb.uri).toBe(uri);
    }
  });

  it('names MONGODB_URI and the parameter of a file that cannot be read, never the password', () => {
    const missing = path.join(certs.dir, 'missing-ca.pem');
    const error = configError({
      MONGODB_URI: `mongodb://bot:${PASSWORD}@db1:27017/?tls=true&tlsCAFile=${encodeURIComponent(missing)}`,
    });
    expect(error.message).toBe(
      `MONGODB_URI: expected a readable file, got '${missing}' (no such file) in its tlsCAFile parameter`,
    );
    expect(error.message).not.toContain(PASSWORD);
    expect(
      configError({ MONGODB_URI: `mongodb+srv://c.example.net/?TLSCERTIFICATEKEYFILE=${certs.dir}` }).message,
    ).toMatch(/^MONGODB_URI: .*\(a directory\) in its tlsCertificateKeyFile parameter$/);
  });
});
