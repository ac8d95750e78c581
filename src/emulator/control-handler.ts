// The control API under /_emulator (JSON, no auth: it is a local test tool).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorConfig } from './config';
import type { EmulatorState } from './emulator-state';
import { DiscordError } from './errors';
import type { FaultSpec } from './faults';
import { readBody, sendJson } from './http';
import { routeKey, routes } from './routes';
import type { WorldSeed } from './seed';

export async function handleControl(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/\/+$/, '');
  let body: unknown;
  try {
    const raw = await readBody(req);
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    return sendJson(res, 400, { error: 'body must be JSON' });
  }

  try {
    switch (`${method} ${path}`) {
      case 'GET /_emulator/state':
        return sendJson(res, 200, state.state());
      case 'POST /_emulator/seed':
        return sendJson(res, 200, state.seed(body as WorldSeed));
      case 'GET /_emulator/messages':
        return sendJson(res, 200, {
          messages: state.messages({
            recipientId: url.searchParams.get('recipient_id') ?? undefined,
            channelId: url.searchParams.get('channel_id') ?? undefined,
            guildId: url.searchParams.get('guild_id') ?? undefined,
          }),
        });
      case 'GET /_emulator/counters':
        return sendJson(res, 200, state.counterSnapshot());
      case 'GET /_emulator/faults':
        return sendJson(res, 200, { faults: state.faults.list() });
      case 'POST /_emulator/faults': {
        const specs = Array.isArray(body) ? body : ((body as { faults?: unknown[] })?.faults ?? [body]);
        const added = specs.map((s) => state.addFault(s as FaultSpec));
        return sendJson(res, 200, { added, faults: state.faults.list() });
      }
      case 'DELETE /_emulator/faults':
        state.faults.clear();
        return sendJson(res, 200, { faults: [] });
      case 'POST /_emulator/reset':
        state.reset();
        return sendJson(res, 200, { ok: true });
      case 'GET /_emulator/config':
        return sendJson(res, 200, state.config);
      case 'PATCH /_emulator/config':
        return sendJson(res, 200, state.configure(body as Partial<EmulatorConfig>));
      case 'GET /_emulator/routes':
        return sendJson(res, 200, {
          routes: routes.map((r) => ({
            route: routeKey(r),
            major_parameter: r.major,
            limit: state.config.routeLimits[routeKey(r)] ?? state.config.defaultRouteLimit,
          })),
        });
      default:
        return sendJson(res, 404, { error: `no control route ${method} ${path}` });
    }
  } catch (error) {
    const message = error instanceof DiscordError || error instanceof Error ? error.message : String(error);
    return sendJson(res, 400, { error: message });
  }
}
