// Helpers of the builder tests: reading back what a notification shows (embeds) and what it
// attaches (files), and the checks every notification must pass.
import type { APIEmbed } from 'discord.js';
import { expect } from 'vitest';
import type { MessagePayload } from '../../src/discord/contract';
import {
  MAX_ATTACHMENT_BYTES_PER_MESSAGE,
  MAX_FILE_BYTES,
  MAX_MESSAGES_PER_NOTIFICATION,
  TEXT_FILE_CONTENT_TYPE,
  validateMessage,
} from '../../src/discord/embeds';
import { ZERO_WIDTH_SPACE } from '../../src/discord/embeds/escape';

export const embedsOf = (messages: MessagePayload[]): APIEmbed[] => messages.flatMap((m) => m.embeds ?? []);

export const textOf = (messages: MessagePayload[]): string =>
  embedsOf(messages)
    .flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ])
    .join('\n');

export const filesOf = (messages: MessagePayload[]) => messages.flatMap((m) => m.files ?? []);

/** The attached files' text, in order (UTF-8, as a reader's editor shows it). */
export const fileText = (messages: MessagePayload[]): string =>
  filesOf(messages)
    .map((f) => f.data.toString('utf8'))
    .join('\n');

/**
 * At most three messages, each within Discord's limits, no content outside embeds, files
 * only on the last message, plain text, each within our 8 MiB and together within a request.
 */
export function expectAllValid(messages: MessagePayload[]): void {
  expect(messages.length).toBeLessThanOrEqual(MAX_MESSAGES_PER_NOTIFICATION);
  for (const [i, message] of messages.entries()) {
    expect(validateMessage(message), `message ${i}`).toEqual([]);
    expect(message.content ?? '').toBe('');
    if (i < messages.length - 1) expect(message.files, `message ${i}`).toBeUndefined();
  }
  const files = filesOf(messages);
  for (const file of files) {
    expect(file.contentType).toBe(TEXT_FILE_CONTENT_TYPE);
    expect(file.data.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
    // Valid UTF-8: decoding and encoding again gives the same bytes.
    expect(Buffer.from(file.data.toString('utf8'), 'utf8').equals(file.data)).toBe(true);
  }
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  expect(total).toBeLessThanOrEqual(MAX_ATTACHMENT_BYTES_PER_MESSAGE);
}

/** The code blocks of the messages, in order, with our zero-width spaces removed. */
export function codeBlocks(messages: MessagePayload[]): string[] {
  const blocks: string[] = [];
  for (const embed of embedsOf(messages)) {
    for (const match of (embed.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)) {
      blocks.push(match[1]!.replaceAll(ZERO_WIDTH_SPACE, ''));
    }
  }
  return blocks;
}

/** Every run of three backticks in a description is one of our fences, on its own line. */
export function expectOnlyOurFences(messages: MessagePayload[]): void {
  for (const embed of embedsOf(messages)) {
    const description = embed.description ?? '';
    const withoutBlocks = description.replace(/```\n[\s\S]*?\n```/g, '');
    expect(withoutBlocks).not.toContain('```');
    for (const match of description.matchAll(/```\n([\s\S]*?)\n```/g)) {
      expect(match[1]).not.toContain('``');
    }
  }
}

/**
 * The first column of a listing line: a plain name up to the padding, or a JSON-quoted
 * one (names outside the data contract), read back with JSON.parse.
 */
export function firstColumn(line: string): string {
  if (!line.startsWith('"')) return line.split(' ')[0]!;
  let end = 1;
  while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
  return JSON.parse(line.slice(0, end + 1)) as string;
}

/** The rows of a listing: the lines after its column header line (which starts with `header`). */
export function listingRows(text: string, header: string): string[] {
  const lines = text.split('\n');
  const rows: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith(header)) inTable = true;
    else if (inTable && line.trim() !== '' && !line.startsWith('(Part ')) rows.push(line);
  }
  return rows;
}

/** Deleted commands read back from a deletion listing: name → exact content. */
export function deletedContents(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const entry = /^Command: {3}(.*)\n(?:.*\n){4}(-+) BEGIN CONTENT \2\n([\s\S]*?)\n\2 END CONTENT \2$/gm;
  for (const match of text.matchAll(entry)) found.set(firstColumn(match[1]!), match[3]!);
  return found;
}
