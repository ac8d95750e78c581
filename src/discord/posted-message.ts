/**
 * Recognising a message already posted, for exactly-once delivery past the few minutes in
 * which Discord dedupes a nonce: after that, the only proof that a part went out is the
 * channel's history. Pure functions; the gateway does the fetching.
 *
 * A posted message matches a payload when the bot wrote it and it says the same: content,
 * the embeds' titles and descriptions in order, the attachments' file names in order.
 * Colours, fields and footers are left out on purpose: they add nothing to tell two
 * notifications apart, and a summary's fields (its run duration) differ between attempts.
 * Discord trims message text, so both sides are compared trimmed.
 */
import type { APIMessage } from 'discord.js';
import type { MessagePayload } from './contract';

/** Discord's epoch (2015-01-01T00:00:00Z), the origin of snowflake timestamps. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

/**
 * The `after` id that selects messages created at or after `ms`: one below the smallest
 * snowflake of that millisecond (ids carry the time in their top 42 bits).
 */
export function snowflakeBefore(ms: number): string {
  const sinceEpoch = BigInt(Math.max(0, Math.floor(ms) - DISCORD_EPOCH_MS));
  const smallest = sinceEpoch << 22n;
  return (smallest > 0n ? smallest - 1n : 0n).toString();
}

/** Snowflakes as numbers: longer is larger, then by digits (no BigInt needed for sorting). */
export function compareSnowflakes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** What identifies a message: its author and what a reader sees first. */
interface Fingerprint {
  content: string;
  embeds: { title: string; description: string }[];
  filenames: string[];
}

function fingerprintOfPayload(message: MessagePayload): Fingerprint {
  return {
    content: (message.content ?? '').trim(),
    embeds: (message.embeds ?? []).map((e) => ({
      title: (e.title ?? '').trim(),
      description: (e.description ?? '').trim(),
    })),
    filenames: (message.files ?? []).map((f) => f.name),
  };
}

function fingerprintOfPosted(message: APIMessage): Fingerprint {
  return {
    content: (message.content ?? '').trim(),
    embeds: (message.embeds ?? []).map((e) => ({
      title: (e.title ?? '').trim(),
      description: (e.description ?? '').trim(),
    })),
    filenames: (message.attachments ?? []).map((a) => a.filename),
  };
}

export function isPostedPayload(posted: APIMessage, payload: MessagePayload, botUserId: string): boolean {
  if (posted.author?.id !== botUserId) return false;
  const a = fingerprintOfPosted(posted);
  const b = fingerprintOfPayload(payload);
  return (
    a.content === b.content &&
    a.embeds.length === b.embeds.length &&
    a.embeds.every((e, i) => e.title === b.embeds[i]!.title && e.description === b.embeds[i]!.description) &&
    a.filenames.length === b.filenames.length &&
    a.filenames.every((name, i) => name === b.filenames[i])
  );
}

/** The oldest matching message of a page (the first one posted, should there be two). */
export function findInPage(page: APIMessage[], payload: MessagePayload, botUserId: string): string | null {
  const matches = page.filter((m) => isPostedPayload(m, payload, botUserId)).map((m) => m.id);
  return matches.sort(compareSnowflakes)[0] ?? null;
}
