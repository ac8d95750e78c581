// Files sent the way discord.js REST sends them (multipart/form-data: payload_json plus files[n])
// are stored as attachments, served back at their URL, resolved in embeds (attachment://), limited
// as Discord limits them, and deduplicated by nonce exactly like JSON posts.
import { Routes, type APIChannel, type APIMessage, type RawFile } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  DEMO_MEMBERS,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
  type EmulatorMessage,
} from '../../src/emulator';
import { apiError, PNG_1X1, restFor } from './helpers';

const NO_FILES_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 21), 1);
const CSV = Buffer.from('command,days unused\n!greet,91\n!rules,64\n');
const MiB = 1024 * 1024;

describe('attachments', () => {
  let emulator: DiscordEmulator;
  const post = (channelId: string, body: Record<string, unknown>, files: RawFile[]) =>
    restFor(emulator).post(Routes.channelMessages(channelId), { body, files }) as Promise<APIMessage>;
  const fetchBytes = async (url: string) => {
    const res = await fetch(url);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };

  beforeAll(async () => {
    const seed = demoWorldSeed();
    seed.guilds![0]!.channels!.push({
      id: NO_FILES_CHANNEL,
      name: 'no-files',
      // Attach Files (1 << 15) denied to everyone, the bot included.
      permission_overwrites: [{ id: '@everyone', type: 0, allow: '0', deny: String(1 << 15) }],
    });
    // Room for many posts per channel: these tests are about files, not the 5-per-5-s bucket.
    emulator = await startDiscordEmulator({
      seed,
      routeLimits: { 'POST /channels/:channel_id/messages': { limit: 100, windowMs: 1000 } },
    });
  });
  beforeEach(() => {
    emulator.control.reset();
    emulator.control.configure({ maxUploadBytes: 10 * MiB });
  });
  afterAll(() => emulator.close());

  it('stores discord.js files, lists them in the control API and serves their bytes', async () => {
    const sent = await post(
      DEMO_CHANNELS.admin,
      {
        content: 'Weekly cleanup report',
        embeds: [{ title: 'Idle commands', image: { url: 'attachment://chart.png' } }],
        attachments: [{ id: 0, description: 'Idle commands per week' }],
        allowed_mentions: { parse: [] },
      },
      [
        { name: 'chart.png', data: PNG_1X1, contentType: 'image/png' },
        // No content type: discord.js finds none in the bytes, so the extension decides.
        { name: 'idle.csv', data: CSV },
      ],
    );

    expect(sent.attachments.map((a) => [a.filename, a.size, a.content_type, a.description])).toEqual([
      ['chart.png', PNG_1X1.length, 'image/png', 'Idle commands per week'],
      ['idle.csv', CSV.length, 'text/csv; charset=utf-8', undefined],
    ]);
    const [chart, csv] = sent.attachments;
    expect(chart!.url).toBe(`${emulator.url}/attachments/${DEMO_CHANNELS.admin}/${chart!.id}/chart.png`);
    expect(chart!.proxy_url).toBe(chart!.url);
    // The embed shows the uploaded image: attachment://chart.png became its URL, as on Discord.
    expect(sent.embeds[0]!.image).toMatchObject({ url: chart!.url, proxy_url: chart!.url });

    const listed = (await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as {
      messages: EmulatorMessage[];
    };
    expect(listed.messages).toHaveLength(1);
    expect(listed.messages[0]!.attachments).toEqual([
      {
        id: chart!.id,
        filename: 'chart.png',
        content_type: 'image/png',
        size: PNG_1X1.length,
        url: chart!.url,
      },
      {
        id: csv!.id,
        filename: 'idle.csv',
        content_type: 'text/csv; charset=utf-8',
        size: CSV.length,
        url: csv!.url,
      },
    ]);
    expect(await fetchBytes(chart!.url)).toEqual({ status: 200, type: 'image/png', bytes: PNG_1X1 });
    expect(await fetchBytes(csv!.url)).toEqual({ status: 200, type: 'text/csv; charset=utf-8', bytes: CSV });
  });

  it('serves an attachment only at its own channel, id and filename; never runs uploaded HTML', async () => {
    const page = Buffer.from('<script>parent.pwned = 1</script>');
    const sent = await post(DEMO_CHANNELS.general, {}, [
      { name: 'page.html', data: page, contentType: 'text/html' },
    ]);
    const { id, url } = sent.attachments[0]!;
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(page);
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(page.length)]);
    for (const wrong of [
      `${emulator.url}/attachments/${DEMO_CHANNELS.general}/${id}/other.html`,
      `${emulator.url}/attachments/${DEMO_CHANNELS.admin}/${id}/page.html`,
      `${emulator.url}/attachments/${DEMO_CHANNELS.general}/${snowflakeAt(Date.UTC(2024, 0, 1), 9)}/page.html`,
    ]) {
      expect((await fetch(wrong)).status).toBe(404);
    }
  });

  it('names a file from payload_json attachments[].filename; files alone make a message', async () => {
    const dm = (await restFor(emulator).post(Routes.userChannels(), {
      body: { recipient_id: DEMO_MEMBERS.erin },
    })) as APIChannel;
    const sent = await post(dm.id, { attachments: [{ id: 0, filename: 'greet-backup.txt' }] }, [
      { name: 'upload.txt', data: 'Hello {user}!' },
    ]);
    expect(sent.content).toBe('');
    expect(sent.attachments.map((a) => [a.filename, a.size])).toEqual([['greet-backup.txt', 13]]);
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })[0]!.attachments).toHaveLength(1);
  });

  it('refuses 11 files with 50035 on files, and nothing is stored', async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` }));
    const error = await apiError(post(DEMO_CHANNELS.general, { content: 'too many' }, files));
    expect([error.status, error.code]).toEqual([400, 50035]);
    expect(error.rawError).toMatchObject({
      errors: {
        files: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
      },
    });
    // Ten are fine.
    await post(DEMO_CHANNELS.general, { content: 'ten' }, files.slice(0, 10));
    expect(emulator.control.messages().map((m) => m.attachments.length)).toEqual([10]);
  });

  it('refuses a file over 10 MiB (413, 40005) and takes one of exactly 10 MiB', async () => {
    const error = await apiError(
      post(DEMO_CHANNELS.general, { content: 'big' }, [
        { name: 'big.bin', data: Buffer.alloc(10 * MiB + 1) },
      ]),
    );
    expect([error.status, error.code, error.message]).toEqual([413, 40005, 'Request entity too large']);
    expect(emulator.control.messages()).toEqual([]);

    const sent = await post(DEMO_CHANNELS.general, { content: 'at the limit' }, [
      { name: 'ok.bin', data: Buffer.alloc(10 * MiB, 7) },
    ]);
    expect(sent.attachments[0]!.size).toBe(10 * MiB);
    expect((await fetchBytes(sent.attachments[0]!.url)).bytes.equals(Buffer.alloc(10 * MiB, 7))).toBe(true);
  });

  it('refuses a request over 25 MiB even when each file is under the upload limit', async () => {
    const files = [0, 1, 2].map((i) => ({ name: `part${i}.bin`, data: Buffer.alloc(9 * MiB) }));
    const error = await apiError(post(DEMO_CHANNELS.general, { content: 'three big files' }, files));
    expect([error.status, error.code]).toEqual([413, 40005]);
    expect(emulator.control.messages()).toEqual([]);
  });

  it('applies a configured upload limit (a boosted guild, or a small one for tests)', async () => {
    emulator.control.configure({ maxUploadBytes: 1000 });
    await post(DEMO_CHANNELS.general, {}, [{ name: 'a.bin', data: Buffer.alloc(1000) }]);
    const error = await apiError(
      post(DEMO_CHANNELS.general, {}, [{ name: 'b.bin', data: Buffer.alloc(1001) }]),
    );
    expect(error.code).toBe(40005);
  });

  it('needs Attach Files in a guild channel (50013); the same message without files goes through', async () => {
    const error = await apiError(
      post(NO_FILES_CHANNEL, { content: 'chart' }, [{ name: 'c.png', data: PNG_1X1 }]),
    );
    expect([error.status, error.code]).toEqual([403, 50013]);
    await restFor(emulator).post(Routes.channelMessages(NO_FILES_CHANNEL), { body: { content: 'no chart' } });
    expect(emulator.control.messages().map((m) => m.content)).toEqual(['no chart']);
  });

  it('refuses an attachments entry that names no uploaded file', async () => {
    const error = await apiError(
      post(DEMO_CHANNELS.general, { content: 'x', attachments: [{ id: 3, filename: 'gone.png' }] }, [
        { name: 'a.txt', data: 'a' },
      ]),
    );
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { attachments: { 0: { id: { _errors: [{}] } } } } });
  });

  it('dedupes a repeated nonce with files: the original message and bytes, nothing new stored', async () => {
    const body = { content: 'Deleted commands', nonce: 'deleted:g1:erin:1', enforce_nonce: true };
    const first = await post(DEMO_CHANNELS.botLogs, body, [{ name: 'archive.txt', data: 'first upload' }]);
    const second = await post(DEMO_CHANNELS.botLogs, body, [{ name: 'archive.txt', data: 'second upload!' }]);
    expect(second.id).toBe(first.id);
    expect(second.attachments).toEqual(first.attachments);
    const stored = emulator.control.messages({ channelId: DEMO_CHANNELS.botLogs });
    expect(stored).toHaveLength(1);
    expect((await fetchBytes(stored[0]!.attachments[0]!.url)).bytes.toString()).toBe('first upload');
  });

  it('a multipart POST stored but answered with a 500 is retried by discord.js and stored once', async () => {
    emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'error',
      when: 'after',
    });
    const sent = await post(
      DEMO_CHANNELS.general,
      { content: 'report', nonce: 'retry-files', enforce_nonce: true },
      [{ name: 'r.csv', data: CSV }],
    );
    const stored = emulator.control.messages();
    expect(stored.map((m) => [m.id, m.attachments.length])).toEqual([[sent.id, 1]]);
    expect(emulator.control.counterSnapshot().perStatus).toMatchObject({ '500': 1, '200': 1 });
  });

  it('takes plain form fields instead of payload_json, and refuses a body that is not multipart', async () => {
    const url = `${emulator.apiUrl}/v10/channels/${DEMO_CHANNELS.general}/messages`;
    const headers = { Authorization: `Bot ${emulator.token}` };
    const form = new FormData();
    form.append('content', 'from plain fields');
    form.append('tts', 'false');
    form.append('files[0]', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const ok = await fetch(url, { method: 'POST', headers, body: form });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as APIMessage).attachments[0]).toMatchObject({
      filename: 'hello.txt',
      size: 5,
    });

    const bad = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: 'not multipart at all',
    });
    expect(bad.status).toBe(400);
    expect(emulator.control.messages().map((m) => m.content)).toEqual(['from plain fields']);
  });
});
