/**
 * Showing user text (command names, contents, guild names) in embeds without letting it
 * format, break or take over the message. Pings are not this module's concern: embeds
 * never ping, and every message is sent with `allowed_mentions: { parse: [] }`.
 */
import { TimestampStyles, escapeMarkdown, time } from 'discord.js';

/** Free text with every markdown construct escaped, including headings, lists and masked links. */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}

/** A guild name in bold, escaped (guild names are free text). */
export function formatGuildName(name: string): string {
  const escaped = escapeText(name.trim());
  return escaped ? `**${escaped}**` : 'your server';
}

/** A name as the data contract allows it (`[a-z0-9_-]`) can show as inline code verbatim. */
const PLAIN_NAME = /^[\w-]+$/;

/**
 * A command name for lists: `name` as inline code when it is a well-formed name; anything
 * else (a document that breaks the contract) escaped in bold, since backslash escapes do
 * not work inside inline code and a backtick there would end it.
 */
export function formatCommandName(name: string): string {
  if (name.length > 0 && PLAIN_NAME.test(name)) return `\`${name}\``;
  return `**${escapeText(name) || '(no name)'}**`;
}

/** The zero-width space that separates backticks, invisible in Discord's client. */
export const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Discord ends a code block at the first three backticks, and no escape works inside one.
 * A zero-width space after every backtick that is followed by another leaves no run of two,
 * so user content cannot close the block (or open a new one) whatever it holds, and it
 * still reads the same. Copy-paste of such content keeps the invisible space, a fair price.
 */
export function neutraliseBackticks(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

/** Wraps text already passed through `neutraliseBackticks` in a code block. */
export function fence(neutralisedText: string): string {
  // A block needs a non-newline character; an all-blank content would show raw backticks.
  if (neutralisedText.trim() === '') return '*(empty)*';
  return `\`\`\`\n${neutralisedText}\n\`\`\``;
}

/** Characters `fence` adds around its text. */
export const FENCE_OVERHEAD = '```\n\n```'.length;

/**
 * A date readers see in their own time zone and locale (`<t:unix:D>`), with the UTC
 * calendar date as plain text next to it: clear even where timestamps do not render.
 */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'an unknown date';
  return `${time(date, TimestampStyles.LongDate)} (${date.toISOString().slice(0, 10)})`;
}

/** Date and time, for the summary's next run: `<t:unix:f>` and the UTC instant. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'an unknown time';
  return `${time(date, TimestampStyles.ShortDateTime)} (${date.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
