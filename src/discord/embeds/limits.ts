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
} as const;

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
