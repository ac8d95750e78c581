/**
 * TLS and credentials toward Temporal and MongoDB, part of the configuration. Files are
 * read here, at start-up, so a wrong path fails before anything connects. The MongoDB
 * driver takes its TLS settings in MONGODB_URI; only the files it names are checked.
 */
import { z } from 'zod';
import { ConfigError } from './config-error';
import { TlsFileProblem, certificateMatchesKey, mongoTlsFileProblem, readPemFile } from './tls-files';

/** The Temporal SDK's `TLSConfig`, with the files already read. */
export interface TemporalTls {
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverNameOverride?: string;
}

const pemFile = (kind: 'certificate' | 'private key') =>
  z
    .string()
    .optional()
    .transform((path, ctx) => {
      if (path === undefined) return undefined;
      try {
        return readPemFile(path, kind);
      } catch (error) {
        if (!(error instanceof TlsFileProblem)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    });

export const tlsEnvironment = {
  /** Unset: TLS when any other TEMPORAL_TLS_* or TEMPORAL_API_KEY is set. */
  TEMPORAL_TLS: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "'true' or 'false'" })
    .optional()
    .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value))),
  TEMPORAL_TLS_CERT: pemFile('certificate'),
  TEMPORAL_TLS_KEY: pemFile('private key'),
  TEMPORAL_TLS_CA: pemFile('certificate'),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'a host name like temporal.example.com')
    .optional(),
  // The message must not quote the value: it is a secret.
  TEMPORAL_API_KEY: z.string().regex(/^\S+$/, 'an API key without spaces or line breaks').optional(),
};

type TlsEnvironment = z.infer<z.ZodObject<typeof tlsEnvironment>>;

/**
 * TLS and the API key toward Temporal. Any TLS file or the server name turns TLS on, as
 * does an API key (TEMPORAL_TLS=false sends the key in plaintext, as the SDK does with an
 * explicit `tls: false`: for a TLS-terminating proxy on a trusted network). A client certificate and an API key
 * together are allowed: the server gets both, for deployments that authenticate the
 * connection by certificate and the caller by key.
 */
export function resolveTemporalSecurity(e: TlsEnvironment): { tls?: TemporalTls; apiKey?: string } {
  const cert = e.TEMPORAL_TLS_CERT;
  const key = e.TEMPORAL_TLS_KEY;
  if (cert && !key)
    throw new ConfigError('TEMPORAL_TLS_KEY', 'the client key file that goes with TEMPORAL_TLS_CERT');
  if (key && !cert)
    throw new ConfigError('TEMPORAL_TLS_CERT', 'the client certificate file that goes with TEMPORAL_TLS_KEY');
  if (cert && key && !certificateMatchesKey(cert, key)) {
    throw new ConfigError('TEMPORAL_TLS_KEY', 'the private key of the certificate in TEMPORAL_TLS_CERT');
  }
  const tls: TemporalTls = {
    ...(e.TEMPORAL_TLS_CA && { serverRootCACertificate: e.TEMPORAL_TLS_CA }),
    ...(cert && key && { clientCertPair: { crt: cert, key } }),
    ...(e.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME }),
  };
  const customized = Object.keys(tls).length > 0;
  if (e.TEMPORAL_TLS === false && customized) {
    throw new ConfigError(
      'TEMPORAL_TLS',
      "'true' or unset when TEMPORAL_TLS_CERT, _KEY, _CA or _SERVER_NAME is set",
    );
  }
  const tlsOn = e.TEMPORAL_TLS ?? (customized || e.TEMPORAL_API_KEY !== undefined);
  return {
    ...(tlsOn && { tls }),
    ...(e.TEMPORAL_API_KEY !== undefined && { apiKey: e.TEMPORAL_API_KEY }),
  };
}

export function checkMongoTlsFiles(uri: string): void {
  const problem = mongoTlsFileProblem(uri);
  if (problem) throw new ConfigError('MONGODB_URI', problem);
}
// ---- TLS and credentials toward Temporal and MongoDB (end) ------------------------------
