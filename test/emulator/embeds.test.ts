// Discord's embed limits, checked by the emulator where discord.js's builders do not (6000 total,
// 10 embeds) and where they do (26 fields), as discord.js sees the answer.
import { DiscordAPIError, Routes, type APIEmbed, type REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { restFor } from './helpers';

const NO_EMBEDS_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 21), 1);

async function formError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = (await promise.then(
    () => new Error('expected 50035'),
    (e: unknown) => e,
  )) as DiscordAPIError;
  expect(error).toBeInstanceOf(DiscordAPIError);
  expect([error.code, error.status]).toEqual([50035, 400]);
  return error;
}

describe('embed limits', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  const send = (body: Record<string, unknown>, channel: string = DEMO_CHANNELS.general) =>
    rest.post(Routes.channelMessages(channel), { body });

  beforeAll(async () => {
    const seed = demoWorldSeed();
    seed.guilds![0]!.channels!.push({
      id: NO_EMBEDS_CHANNEL,
      name: 'no-embeds',
      permission_overwrites: [{ id: '@everyone', type: 0, allow: '0', deny: String(1 << 14) }],
    });
    seed.guilds![0]!.roles!.find((r) => r.name === 'Cleanup Bot')!.permissions = String(
      (1 << 10) | (1 << 11),
    );
    emulator = await startDiscordEmulator({ seed });
    rest = restFor(emulator);
  });
  afterAll(() => emulator.close());

  it('rejects 7 embeds of 1000 characters (over 6000 in total) with MAX_EMBED_SIZE_EXCEEDED', async () => {
    const embeds: APIEmbed[] = Array.from({ length: 7 }, (_, i) => ({
      title: `t${i}`,
      description: 'd'.repeat(998),
    }));
    const error = await formError(send({ embeds }));
    expect(error.rawError).toMatchObject({
      errors: {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        },
      },
    });
    expect(emulator.control.messages()).toHaveLength(0);
  });

  it('accepts exactly 6000 characters over all embeds', async () => {
    const embeds: APIEmbed[] = Array.from({ length: 6 }, () => ({
      title: 't'.repeat(100),
      description: 'd'.repeat(900),
    }));
    await expect(send({ embeds })).resolves.toMatchObject({ embeds: expect.any(Array) as unknown });
  });

  it('rejects 26 fields with the path of the offending embed', async () => {
    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    const error = await formError(send({ embeds: [{ title: 'ok' }, { title: 'too many', fields }] }));
    expect(error.rawError).toMatchObject({
      errors: {
        embeds: {
          '1': {
            fields: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }],
            },
          },
        },
      },
    });
    expect(error.message).toContain('embeds[1].fields[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length.');
  });

  it('rejects 11 embeds, a 257-character title and a 1025-character field value', async () => {
    const tooMany = await formError(send({ embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }));
    expect(tooMany.rawError).toMatchObject({
      errors: { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
    const title = await formError(send({ embeds: [{ title: 'x'.repeat(257) }] }));
    expect(title.rawError).toMatchObject({
      errors: {
        embeds: {
          '0': {
            title: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }],
            },
          },
        },
      },
    });
    const value = await formError(send({ embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }));
    expect(value.rawError).toMatchObject({
      errors: {
        embeds: { '0': { fields: { '0': { value: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } },
      },
    });
  });

  it('counts characters, not UTF-16 units (an emoji is one character)', async () => {
    await expect(send({ content: '😀'.repeat(2000) })).resolves.toBeTruthy();
    await formError(send({ content: '😀'.repeat(2001) }));
  });

  it('without Embed Links: embed-only is 50013, with content the embeds are dropped', async () => {
    const error = (await send({ embeds: [{ title: 'x' }] }, NO_EMBEDS_CHANNEL).catch(
      (e: unknown) => e,
    )) as DiscordAPIError;
    expect([error.code, error.status]).toEqual([50013, 403]);
    const message = (await send({ content: 'text', embeds: [{ title: 'x' }] }, NO_EMBEDS_CHANNEL)) as {
      embeds: unknown[];
    };
    expect(message.embeds).toEqual([]);
  });
});
