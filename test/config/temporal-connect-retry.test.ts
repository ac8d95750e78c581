/**
 * How the starter's connection to Temporal opens, against a fake Temporal frontend: a
 * plain HTTP/2 server speaking just enough gRPC (an empty message, status OK) for the
 * GetSystemInfo call with which the client's connection opens, that can hang its first
 * calls like a server starved of CPU. The client is the real SDK connection built by
 * connectTemporalClient from a loaded configuration.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { connectTemporalClient } from '../../src/connections';

let server: http2.Http2Server;
/** GetSystemInfo calls seen, and how many of the first ones to leave unanswered. */
let calls = 0;
let hangFirst = 0;
const hung: http2.ServerHttp2Stream[] = [];

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    if (String(headers[':path']).endsWith('/GetSystemInfo')) calls += 1;
    stream.resume();
    if (calls <= hangFirst) {
      hung.push(stream);
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(Buffer.alloc(5)); // gRPC frame: not compressed, length 0
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

beforeEach(() => {
  calls = 0;
});

afterAll(async () => {
  for (const stream of hung) stream.close();
  await new Promise((resolve) => server.close(resolve));
});

const configAt = (address: string) => loadConfig({ TEMPORAL_ADDRESS: address });
const address = () => `127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('connectTemporalClient (fake Temporal frontend over HTTP/2)', () => {
  it('connects on a later try when the server answers too late at first', async () => {
    hangFirst = 2;
    const client = await connectTemporalClient(configAt(address()), { connectTimeout: '1 second' });
    await client.connection.close();
    expect(calls).toBe(3);
  });

  it('gives up after its tries, naming the address and the server’s reason', async () => {
    hangFirst = Infinity;
    const failure = connectTemporalClient(configAt(address()), { connectTimeout: '1 second', attempts: 2 });
    await expect(failure).rejects.toThrow(
      new RegExp(`^Cannot connect to Temporal at ${address()}: .*DEADLINE_EXCEEDED`),
    );
    expect(calls).toBe(2);
  });

  it('fails at the first deadline when nothing listens (no retry of an unreachable server)', async () => {
    // Three tries of 2 s would take 6 s at least; one takes 2 s.
    const started = Date.now();
    await expect(
      connectTemporalClient(configAt('127.0.0.1:1'), { connectTimeout: '2 seconds', attempts: 3 }),
    ).rejects.toThrow(/^Cannot connect to Temporal at 127\.0\.0\.1:1: Failed to connect before the deadline/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
