// Contract test, requests side: the product's Discord gateway (src/discord/gateway.ts, through
// discord.js REST) runs its whole repertoire against the emulator behind a capturing proxy
// (preflight, a membership check, a warning DM, a deletion DM with its text file, an admin summary
// with its file, a search of the channel's history, opening a DM), and every request it sent is
// checked against Discord's OpenAPI spec: the operation exists there and in the emulator's route
// table, its body fits the spec's request schema with no key the spec does not know, and its
// query parameters are the spec's. Where the docs and the spec disagree the docs win (spec.ts).
import type { Paths } from 'discord-api-spec';
import { CreatePrivateChannelRequestSchema, MessageCreateRequestSchema } from 'discord-api-spec/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePayload } from '../../src/discord/contract';
import { buildDeletionMessages, buildSummaryMessages, buildWarningMessages } from '../../src/discord/embeds';
import { createDiscordGateway } from '../../src/discord/gateway';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { DiscordError } from '../../src/emulator/errors';
import { matchRoute, routeKey } from '../../src/emulator/routes';
import { deletedCommands, warningCommands } from '../discord/embed-data';
import { decodeCaptured, startCaptureProxy, type CaptureProxy, type CapturedRequest } from './capture-proxy';
import {
  ROUTE_CONTRACTS,
  conformance,
  isObject,
  specHasOperation,
  toSpecPath,
  withStringAttachmentIds,
} from './spec';

type ListMessagesQuery = keyof NonNullable<
  Paths['/channels/{channel_id}/messages']['get']['parameters']['query']
>;
/** The query parameters the spec lists per operation the product sends with a query. */
const SPEC_QUERY: Record<string, readonly string[]> = {
  'GET /channels/:channel_id/messages': ['around', 'before', 'after', 'limit'] satisfies ListMessagesQuery[],
};
/** Docs: "Message contents (up to 2000 characters)" (the spec says 4000: see spec.ts). */
const DOCS_MAX_CONTENT = 2000;

interface Sent {
  request: CapturedRequest;
  route: string;
  json: unknown;
  files: { field: string; name: string; size: number }[];
}

describe("the product's requests against Discord's OpenAPI spec", () => {
  let emulator: DiscordEmulator;
  let proxy: CaptureProxy;
  let sent: Sent[] = [];
  const payloads: MessagePayload[][] = [];

  beforeAll(async () => {
    emulator = await startDiscordEmulator();
    proxy = await startCaptureProxy(emulator.url);
    const discord = createDiscordGateway({ token: emulator.token, apiUrl: proxy.apiUrl, timeoutMs: 15_000 });
    const startedAt = Date.now() - 1000;

    const preflight = await discord.preflight(DEMO_GUILD_ID, ['admin']);
    expect(preflight).toMatchObject({ guildName: DEMO_GUILD_NAME });
    expect(await discord.isMember(DEMO_GUILD_ID, DEMO_MEMBERS.carol)).toBe(true);
    expect(await discord.isMember(DEMO_GUILD_ID, DEMO_OUTSIDER_ID)).toBe(false);

    const warning = buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(40) });
    const deletion = buildDeletionMessages({
      guildName: DEMO_GUILD_NAME,
      commands: deletedCommands(300),
      policySentence: 'Commands unused for 90 days are deleted 30 days after a warning.',
    });
    const summary = buildSummaryMessages({
      guildName: DEMO_GUILD_NAME,
      dryRun: false,
      warnedCreators: 3,
      warnedCommands: 40,
      deletedCommands: 300,
      failedDeliveries: Array.from({ length: 3000 }, (_, i) => ({
        creatorId: (400000000000000000n + BigInt(i)).toString(),
        phase: 'warning' as const,
        reason: 'dms-closed' as const,
      })),
      stats: { activeCommands: 12, creators: 3, pendingDeletions: 0 },
      durationMs: 65_000,
      nextRunAt: new Date(Date.UTC(2025, 6, 1)),
      skippedInvalidDocuments: 0,
    });
    // The deletion DM and the summary are long enough to come with their text file.
    expect([warning, deletion, summary].map((p) => p.some((m) => m.files !== undefined))).toEqual([
      false,
      true,
      true,
    ]);
    payloads.push(warning, deletion, summary);

    expect(await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning, 'warning:carol:run')).toMatchObject({
      status: 'sent',
    });
    expect(await discord.sendDirectMessage(DEMO_MEMBERS.erin, deletion, 'deletion:erin:run')).toMatchObject({
      status: 'sent',
    });
    const summaryIds = await discord.postToChannel(DEMO_CHANNELS.admin, summary, 'summary:run');
    expect(await discord.findPostedMessage(DEMO_CHANNELS.admin, summary[0]!, startedAt)).toBe(summaryIds[0]);
    expect(await discord.dmChannelId(DEMO_MEMBERS.frank)).toMatch(/^\d+$/);

    sent = await Promise.all(
      proxy.requests.map(async (request) => {
        const match = matchRoute(request.method, request.path.split('/').filter(Boolean));
        const route = match && !(match instanceof DiscordError) ? routeKey(match.route) : 'no route';
        return { request, route, ...(await decodeCaptured(request)) };
      }),
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  it('sent what a cleanup sends: DMs opened, JSON and multipart messages, reads', () => {
    const routesUsed = new Set(sent.map((s) => s.route));
    expect([...routesUsed].sort()).toEqual(
      [
        'GET /users/@me',
        'GET /guilds/:guild_id',
        'GET /guilds/:guild_id/channels',
        'GET /guilds/:guild_id/roles',
        'GET /guilds/:guild_id/members/:user_id',
        'POST /users/@me/channels',
        'POST /channels/:channel_id/messages',
        'GET /channels/:channel_id/messages',
      ].sort(),
    );
    const messages = sent.filter((s) => s.route === 'POST /channels/:channel_id/messages');
    // A warning, a deletion and a summary: each of them has parts without and a part with files.
    expect(messages.length).toBe(payloads.flat().length);
    expect(messages.filter((m) => m.files.length > 0)).toHaveLength(
      payloads.filter((p) => p.some((m) => m.files)).length,
    );
    for (const m of messages) {
      expect(m.json).toMatchObject({
        nonce: expect.any(String) as unknown,
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
      });
    }
    expect(
      messages.some((m) => isObject(m.json) && Array.isArray(m.json.embeds) && m.json.embeds.length > 0),
    ).toBe(true);
  });

  it('sends only operations of the spec that the emulator emulates', () => {
    for (const { request, route } of sent) {
      const where = `${request.method} ${request.path}`;
      expect(route, where).not.toBe('no route');
      const contract = ROUTE_CONTRACTS[route]!;
      const template = route.slice(route.indexOf(' ') + 1);
      expect(specHasOperation(contract.method, toSpecPath(template)), where).toBe(true);
    }
  });

  it('sends query parameters the spec lists, with values Discord accepts', () => {
    for (const { request, route } of sent) {
      const keys = [...request.query.keys()];
      if (keys.length === 0) continue;
      const where = `${request.method} ${request.path}?${request.query.toString()}`;
      expect(
        keys.filter((k) => !(SPEC_QUERY[route] ?? []).includes(k)),
        where,
      ).toEqual([]);
      for (const cursor of ['around', 'before', 'after'] as const) {
        const value = request.query.get(cursor);
        if (value !== null) expect(value, where).toMatch(/^(0|[1-9][0-9]*)$/);
      }
      const limit = request.query.get('limit');
      if (limit !== null)
        expect(Number(limit), where).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 100);
    }
  });

  it('opens DMs with a body of the spec (CreatePrivateChannelRequest)', () => {
    const opens = sent.filter((s) => s.route === 'POST /users/@me/channels');
    expect(opens.length).toBeGreaterThan(0);
    for (const { json } of opens) {
      expect(conformance(CreatePrivateChannelRequestSchema, json), JSON.stringify(json)).toEqual([]);
    }
  });

  it('creates messages with bodies of the spec (MessageCreateRequest), files tied to attachments as the docs say', () => {
    for (const { json, files } of sent.filter((s) => s.route === 'POST /channels/:channel_id/messages')) {
      const where = JSON.stringify(json).slice(0, 500);
      expect(conformance(MessageCreateRequestSchema, withStringAttachmentIds(json)), where).toEqual([]);
      const body = json as { content?: string; attachments?: { id: unknown; filename?: string }[] };
      expect([...(body.content ?? '')].length, where).toBeLessThanOrEqual(DOCS_MAX_CONTENT);
      // Docs ("Uploading Files"): each files[n] part has an attachments entry with id n.
      expect(
        files.map((f) => f.field),
        where,
      ).toEqual(files.map((_, i) => `files[${i}]`));
      expect(body.attachments ?? [], where).toEqual(files.map((f, i) => ({ id: i, filename: f.name })));
    }
  });

  it('was answered 200 throughout, but for the 404 of the non-member (emulator-openapi.test.ts checks the answers)', () => {
    const statuses = emulator.control.counterSnapshot().perStatus;
    expect(statuses).toEqual({ '200': sent.length - 1, '404': 1 });
  });
});
