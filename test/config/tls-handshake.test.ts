/**
 * The TLS options our configuration produces, against local endpoints that require a
 * client certificate: a plain TLS server for the handshake itself, and an HTTP/2 server
 * answering every gRPC call with an empty message, enough for the GetSystemInfo call with
 * which the Temporal client's and the worker's connections open.
 * The config is loaded from files by loadConfig and turned into connection options by
 * temporalConnectionOptions, the code path of the worker and the starter.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { temporalConnectionOptions, type TemporalConnectionOptions } from '../../src/connections';
import { SERVER_NAME, makeTestCertificates, type TestCertificates } from './certificates';

let certs: TestCertificates;
let tlsServer: tls.Server;
let grpcServer: http2.Http2SecureServer;
/** Failed TLS handshakes as each server saw them (a refused client, or a client's alert). */
const refusedClients: string[] = [];
const refusedGrpcClients: string[] = [];
let grpcCalls = 0;
/** The authorization header of each call the gRPC server answered. */
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  const serverOptions = {
    key: certs.read(certs.server.key),
    cert: certs.read(certs.server.cert),
    ca: certs.read(certs.ca.cert),
    requestCert: true,
    rejectUnauthorized: true,
  };
  tlsServer = tls.createServer(serverOptions, (socket) => {
    const peer = socket.getPeerCertificate();
    socket.end(`hello ${String(peer.subject?.CN)}`);
  });
  tlsServer.on('tlsClientError', (error) => refusedClients.push(error.message));
  grpcServer = http2.createSecureServer(serverOptions);
  grpcServer.on('tlsClientError', (error: Error) => refusedGrpcClients.push(error.message));
  grpcServer.on('stream', (stream, headers) => {
    grpcCalls += 1;
    authorizations.push(headers.authorization);
    // Every call answered with an empty message (a valid GetSystemInfoResponse) and OK.
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(Buffer.alloc(5)); // gRPC frame: not compressed, length 0
    stream.resume();
  });
  await Promise.all([listen(tlsServer), listen(grpcServer)]);
});

afterAll(async () => {
  await Promise.all([close(tlsServer), close(grpcServer)]);
  certs?.remove();
});

function listen(server: tls.Server | http2.Http2SecureServer): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: tls.Server | http2.Http2SecureServer | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

const portOf = (server: tls.Server | http2.Http2SecureServer) => (server.address() as AddressInfo).port;

/** Connection options from the environment, through the same functions the worker uses. */
function optionsFrom(
  server: tls.Server | http2.Http2SecureServer,
  env: NodeJS.ProcessEnv,
): TemporalConnectionOptions {
  return temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${portOf(server)}`, ...env }));
}

/**
 * A TLS handshake with the SDK-shaped options, mapped one to one onto Node's: the CA to
 * trust, the name to verify (SNI), the client pair. Resolves with the server's greeting,
 * which it sends only to a client whose certificate it accepted.
 */
function handshake(options: TemporalConnectionOptions): Promise<string> {
  const [host, port] = options.address.split(':') as [string, string];
  const config = options.tls ?? {};
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: Number(port),
      ca: config.serverRootCACertificate && Buffer.from(config.serverRootCACertificate),
      servername: config.serverNameOverride,
      cert: config.clientCertPair && Buffer.from(config.clientCertPair.crt),
      key: config.clientCertPair && Buffer.from(config.clientCertPair.key),
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () =>
      received ? resolve(received) : reject(new Error('closed by the server without a greeting')),
    );
  });
}

const SERVER_CA = () => ({ TEMPORAL_TLS_CA: certs.ca.cert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
const CLIENT_PAIR = () => ({ TEMPORAL_TLS_CERT: certs.client.cert, TEMPORAL_TLS_KEY: certs.client.key });

describe('TLS handshake with the options the configuration produces', () => {
  it('completes mTLS with the right CA, server name and client certificate', async () => {
    await expect(handshake(optionsFrom(tlsServer, { ...SERVER_CA(), ...CLIENT_PAIR() }))).resolves.toBe(
      'hello bot-worker',
    );
  });

  it('refuses a server certificate that the configured CA did not sign', async () => {
    const options = optionsFrom(tlsServer, {
      ...CLIENT_PAIR(),
      TEMPORAL_TLS_CA: certs.rogueCa.cert,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    });
    const error = await handshake(options).then(
      () => undefined,
      (reason: NodeJS.ErrnoException) => reason,
    );
    // The server sends its chain up to the test CA, which the rogue CA does not vouch for.
    expect(error?.code).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it('refuses the server without the server name override (its certificate names no IP)', async () => {
    const options = optionsFrom(tlsServer, { ...CLIENT_PAIR(), TEMPORAL_TLS_CA: certs.ca.cert });
    await expect(handshake(options)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('is refused by the server without a client certificate', async () => {
    const before = refusedClients.length;
    await expect(handshake(optionsFrom(tlsServer, SERVER_CA()))).rejects.toThrow();
    await expect.poll(() => refusedClients.length, { timeout: 5_000 }).toBeGreaterThan(before);
    expect(refusedClients.at(-1)).toMatch(/certificate/i);
  });

  it('is refused by the server with a client certificate of another CA', async () => {
    const before = refusedClients.length;
    const options = optionsFrom(tlsServer, {
      ...SERVER_CA(),
      TEMPORAL_TLS_CERT: certs.rogueClient.cert,
      TEMPORAL_TLS_KEY: certs.rogueClient.key,
    });
    await expect(handshake(options)).rejects.toThrow();
    await expect.poll(() => refusedClients.length, { timeout: 5_000 }).toBeGreaterThan(before);
  });
});

describe("Temporal's own connections with the options the configuration produces", () => {
  const connectClient = (options: TemporalConnectionOptions) =>
    Connection.connect({ ...options, connectTimeout: '3 seconds' });

  it('the client connection reaches the server over mTLS with the right CA', async () => {
    const connection = await connectClient(optionsFrom(grpcServer, { ...SERVER_CA(), ...CLIENT_PAIR() }));
    await connection.close();
  });

  it('the client connection fails with the wrong CA: it drops the handshake, no call gets through', async () => {
    const [before, callsBefore] = [refusedGrpcClients.length, grpcCalls];
    const options = optionsFrom(grpcServer, {
      ...CLIENT_PAIR(),
      TEMPORAL_TLS_CA: certs.rogueCa.cert,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    });
    await expect(connectClient(options)).rejects.toThrow();
    // grpc-js hangs up on a certificate it cannot verify, without a TLS alert.
    expect(refusedGrpcClients.length).toBeGreaterThan(before);
    expect(grpcCalls).toBe(callsBefore);
  });

  it('the client connection is refused by the server without a client certificate', async () => {
    const before = refusedGrpcClients.length;
    await expect(connectClient(optionsFrom(grpcServer, SERVER_CA()))).rejects.toThrow();
    expect(refusedGrpcClients.slice(before).join('\n')).toMatch(/certificate/i);
  });

  it("the worker's native connection reaches the server over mTLS with the right CA", async () => {
    const connection = await NativeConnection.connect(
      optionsFrom(grpcServer, { ...SERVER_CA(), ...CLIENT_PAIR() }),
    );
    await connection.close();
  });

  it("the worker's native connection fails with the wrong CA", async () => {
    const options = optionsFrom(grpcServer, {
      ...CLIENT_PAIR(),
      TEMPORAL_TLS_CA: certs.rogueCa.cert,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    });
    await expect(NativeConnection.connect(options)).rejects.toThrow(/UnknownIssuer/);
  });

  it("the worker's native connection is refused by the server without a client certificate", async () => {
    const before = refusedGrpcClients.length;
    await expect(NativeConnection.connect(optionsFrom(grpcServer, SERVER_CA()))).rejects.toThrow();
    expect(refusedGrpcClients.slice(before).join('\n')).toMatch(/certificate/i);
  });

  it('both connections send the API key, over mTLS too (a key and a client certificate together)', async () => {
    const options = optionsFrom(grpcServer, {
      ...SERVER_CA(),
      ...CLIENT_PAIR(),
      TEMPORAL_API_KEY: 'test-api-key',
    });
    const before = authorizations.length;
    await (await connectClient(options)).close();
    await (await NativeConnection.connect(options)).close();
    expect(authorizations.slice(before)).toEqual(['Bearer test-api-key', 'Bearer test-api-key']);
  });
});
