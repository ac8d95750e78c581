// A small HTTP server that records every request (method, path, query, content type, raw body)
// and forwards it unchanged to the emulator, answering with the emulator's answer: the product's
// requests exactly as its REST client sends them, JSON and multipart alike.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path after /api/v10, percent-decoded (`/users/@me`). */
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

export interface CaptureProxy {
  /** For `apiUrl`: `<proxy>/api`. */
  apiUrl: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** Headers not forwarded: hop-by-hop, and the ones fetch sets itself. */
const DROPPED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startCaptureProxy(target: string): Promise<CaptureProxy> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    forward(req)
      .then(async (answer) => {
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, key) => {
          if (!DROPPED.has(key) && key !== 'content-encoding') headers[key] = value;
        });
        res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
      });
  });

  async function forward(req: IncomingMessage): Promise<Response> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy.local');
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: decodeURIComponent(url.pathname.replace(/^\/api\/v10/, '')),
      query: url.searchParams,
      contentType: req.headers['content-type'],
      body,
    });
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (!DROPPED.has(key) && typeof value === 'string') headers.set(key, value);
    }
    return fetch(`${target}${url.pathname}${url.search}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A captured body decoded: the JSON (or multipart `payload_json`) and the multipart file parts. */
export async function decodeCaptured(
  request: CapturedRequest,
): Promise<{ json: unknown; files: { field: string; name: string; size: number }[] }> {
  const type = request.contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://proxy.local', {
      method: 'POST',
      headers: { 'content-type': type },
      body: request.body,
    }).formData();
    const files: { field: string; name: string; size: number }[] = [];
    let json: unknown = undefined;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
        else throw new Error(`unexpected multipart field ${field}`);
      } else {
        files.push({ field, name: value.name, size: value.size });
      }
    }
    return { json, files };
  }
  if (request.body.length === 0) return { json: undefined, files: [] };
  if (!type.startsWith('application/json')) throw new Error(`unexpected content type ${type}`);
  return { json: JSON.parse(request.body.toString('utf8')) as unknown, files: [] };
}
