// Unit tests of recognising a message already posted (findPostedMessage's pure half): the
// snowflake bound of the search window, and which messages count as the same payload.
import type { APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { MessagePayload } from '../../src/discord/contract';
import { TEXT_FILE_CONTENT_TYPE } from '../../src/discord/embeds';
import {
  DISCORD_EPOCH_MS,
  compareSnowflakes,
  findInPage,
  isPostedPayload,
  snowflakeBefore,
} from '../../src/discord/posted-message';

const BOT = '1196423538278531073';
const OTHER = '1196423567638659079';

const payload: MessagePayload = {
  embeds: [
    { title: 'Warning', description: 'Your commands', color: 1, fields: [{ name: 'a', value: 'b' }] },
    { title: 'Warning (continued)', description: '• x' },
  ],
  files: [{ name: 'commands.txt', contentType: TEXT_FILE_CONTENT_TYPE, data: Buffer.from('x') }],
};

function posted(overrides: Partial<APIMessage> = {}): APIMessage {
  return {
    id: '1300000000000000000',
    channel_id: '1',
    author: { id: BOT, username: 'bot', discriminator: '0', global_name: null, avatar: null },
    content: '',
    timestamp: '2025-01-01T00:00:00.000000+00:00',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [
      {
        id: '1',
        filename: 'commands.txt',
        size: 1,
        url: 'https://cdn/commands.txt',
        proxy_url: 'https://cdn/commands.txt',
      },
    ],
    // Discord echoes the embeds with its own additions (type, a different colour is fine).
    embeds: [
      { type: 'rich' as never, title: 'Warning', description: 'Your commands', color: 2 },
      { title: 'Warning (continued)', description: '• x ' },
    ],
    pinned: false,
    type: 0,
    ...overrides,
  };
}

describe('snowflakeBefore (unit)', () => {
  it('is one below the smallest id of that millisecond', () => {
    const ms = Date.UTC(2025, 0, 1);
    const bound = BigInt(snowflakeBefore(ms));
    expect(bound + 1n).toBe(BigInt(ms - DISCORD_EPOCH_MS) << 22n);
    // A message of that very millisecond (any worker, process, increment) is after it.
    expect(((BigInt(ms - DISCORD_EPOCH_MS) << 22n) | 0n) > bound).toBe(true);
    // One of the millisecond before is not.
    expect(((BigInt(ms - 1 - DISCORD_EPOCH_MS) << 22n) | 0x3fffffn) <= bound).toBe(true);
  });

  it('never goes below zero', () => {
    expect(snowflakeBefore(0)).toBe('0');
    expect(snowflakeBefore(DISCORD_EPOCH_MS)).toBe('0');
  });

  it('compares snowflakes as numbers', () => {
    expect(['20', '3', '100'].sort(compareSnowflakes)).toEqual(['3', '20', '100']);
  });
});

describe('isPostedPayload (unit)', () => {
  it('recognises the bot message with the same titles, descriptions and file names', () => {
    expect(isPostedPayload(posted(), payload, BOT)).toBe(true);
  });

  it('refuses messages by someone else', () => {
    expect(isPostedPayload(posted({ author: { ...posted().author, id: OTHER } }), payload, BOT)).toBe(false);
  });

  it('refuses another description, another embed count, other files, other content', () => {
    const base = posted();
    expect(
      isPostedPayload(
        posted({ embeds: [base.embeds[0]!, { ...base.embeds[1]!, description: '• y' }] }),
        payload,
        BOT,
      ),
    ).toBe(false);
    expect(isPostedPayload(posted({ embeds: [base.embeds[0]!] }), payload, BOT)).toBe(false);
    expect(isPostedPayload(posted({ attachments: [] }), payload, BOT)).toBe(false);
    expect(
      isPostedPayload(
        posted({ attachments: [{ ...base.attachments[0]!, filename: 'commands-1.txt' }] }),
        payload,
        BOT,
      ),
    ).toBe(false);
    expect(isPostedPayload(posted({ content: 'hello' }), payload, BOT)).toBe(false);
  });

  it('matches plain-content messages on their content', () => {
    const message = posted({ embeds: [], attachments: [], content: 'line 1' });
    expect(isPostedPayload(message, { content: 'line 1' }, BOT)).toBe(true);
    expect(isPostedPayload(message, { content: 'line 2' }, BOT)).toBe(false);
  });
});

describe('findInPage (unit)', () => {
  it('returns the oldest matching message, or null', () => {
    const page = [
      posted({ id: '1300000000000000300' }),
      posted({ id: '1300000000000000200', content: 'other' }),
      posted({ id: '1300000000000000100' }),
    ];
    expect(findInPage(page, payload, BOT)).toBe('1300000000000000100');
    expect(findInPage(page, { content: 'nothing like it' }, BOT)).toBeNull();
    expect(findInPage([], payload, BOT)).toBeNull();
  });
});
