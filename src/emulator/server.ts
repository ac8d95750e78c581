// startDiscordEmulator: one node:http server with the Discord API under /api, the control API
// under /_emulator, uploaded files under /attachments and the inbox page at /.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeldRequests, handleApi } from './api-handler';
import { ATTACHMENTS_PATH, serveAttachment } from './attachments';
import type { EmulatorConfig } from './config';
import { handleControl } from './control-handler';
import { demoWorldSeed } from './demo-world';
import { EmulatorState } from './emulator-state';
import { BodyTooLarge, sendJson, sendText } from './http';
import { inboxPage } from './inbox-page';
import type { WorldSeed } from './seed';
import type { World } from './world';

export interface DiscordEmulatorOptions extends Partial<EmulatorConfig> {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The world to start with; default the demo world. */
  seed?: WorldSeed;
}

export interface DiscordEmulator {
  /** Base URL, e.g. http://127.0.0.1:8787 (inbox page at `/`, control API at `/_emulator`). */
  url: string;
  /** `url + '/api'`, for `new REST({ api: apiUrl })`. */
  apiUrl: string;
  port: number;
  /** The bot token of the current world. */
  readonly token: string;
  /** The live world (mutable: tests may flip a user's dmsClosed, add overwrites, ...). */
  readonly world: World;
  /** The in-process control API (the same operations as the HTTP one under /_emulator). */
  control: EmulatorState;
  close(): Promise<void>;
}

export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const { port = 0, host = '127.0.0.1', seed = demoWorldSeed(), ...config } = options;
  const state = new EmulatorState(seed, config);
  const held = new HeldRequests();

  const server = createServer((req, res) => {
    route(state, held, req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLarge)
        return sendJson(res, 413, { message: '413: Request Entity Too Large', code: 0 });
      sendJson(res, 500, { message: '500: Internal Server Error', code: 0, detail: String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  state.baseUrl = url;

  return {
    url,
    apiUrl: `${url}/api`,
    port: address.port,
    get token() {
      return state.world.token;
    },
    get world() {
      return state.world;
    },
    control: state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        held.releaseAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and hung sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function route(
  state: EmulatorState,
  held: HeldRequests,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/api/')) return handleApi(state, held, req, res, url);
  if (url.pathname.startsWith('/_emulator/')) return handleControl(state, req, res, url);
  if (url.pathname.startsWith(ATTACHMENTS_PATH) && (method === 'GET' || method === 'HEAD')) {
    return serveAttachment(state.world, method, url.pathname, res);
  }
  if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
    return sendText(res, 200, 'text/html; charset=utf-8', inboxPage());
  }
  sendJson(res, 404, { message: '404: Not Found', code: 0 });
}
