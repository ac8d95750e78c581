/**
 * Discord's message and embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * EmbedBuilder checks the per-field ones but neither the 6000 total nor the 10 embeds,
 * and a message over any of them is refused whole (50035), so builders here plan for all.
 */
import type { APIEmbed } from 'discord.js';

export const Limits = {
  content: 2000,
  embedsPerMessage: 10,
  charactersPerMessage: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Attachments per message. */
  filesPerMessage: 10,
  /** Bytes per attached file for a bot (without a boosted guild). */
  fileBytes: 10 * 1024 * 1024,
  /**
   * Bytes of a whole message request: Discord answers 413 (40005) past it, whatever each
   * file's size. It is not in the docs; libraries and reports give 25 MB (25,000,000 bytes).
   */
  requestBytes: 25_000_000,
} as const;

/**
 * Our own limits on a notification, stricter than Discord's, in one place.
 *
 * - At most 3 messages: a DM channel takes about 5 messages per 5 s, and each message
 *   is one more chance of a duplicate when a send is retried. What does not fit is
 *   attached as text files to the last message, never dropped.
 * - Files of at most 8 MiB, under Discord's 10 MiB with room to spare, split into
 *   numbered files beyond that.
 * - At most 23 MiB of files on one message, so the request (files, the JSON payload and
 *   the multipart framing) stays under Discord's 25 MB whatever the embeds hold.
 */
export const MAX_MESSAGES_PER_NOTIFICATION = 3;
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
export const MAX_FILES_PER_MESSAGE = Limits.filesPerMessage;
export const MAX_ATTACHMENT_BYTES_PER_MESSAGE = 23 * 1024 * 1024;
/** Attached lists are plain UTF-8 text: shown as such by Discord, never rendered as markdown. */
export const TEXT_FILE_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * Discord counts characters (code points); JavaScript's `length` counts UTF-16 units, which
 * is never less. Builders measure with `length`, so what they produce fits under either
 * count; `validateMessage` checks what Discord checks, with this.
 */
export function codePointLength(text: string | undefined): number {
  if (!text) return 0;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The characters of an embed that count toward the 6000 per message, measured by `measure`. */
export function embedCharacters(
  embed: APIEmbed,
  measure: (text: string | undefined) => number = (t) => t?.length ?? 0,
): number {
  let total = measure(embed.title) + measure(embed.description);
  total += measure(embed.footer?.text) + measure(embed.author?.name);
  for (const field of embed.fields ?? []) total += measure(field.name) + measure(field.value);
  return total;
}
