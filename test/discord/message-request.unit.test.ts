// Unit tests of a message as discord.js REST sends it (JSON, or multipart with files and
// their `attachments`), and of the file limits validateMessage checks before sending.
import { describe, expect, it } from 'vitest';
import type { MessageFile } from '../../src/discord/contract';
import { Limits, TEXT_FILE_CONTENT_TYPE, validateMessage } from '../../src/discord/embeds';
import { toMessageRequest } from '../../src/discord/message-request';

const file = (name: string, bytes = 10): MessageFile => ({
  name,
  contentType: TEXT_FILE_CONTENT_TYPE,
  data: Buffer.alloc(bytes, 'a'),
});

describe('toMessageRequest (unit)', () => {
  it('sends a plain JSON body with the nonce, enforce_nonce and no mentions', () => {
    const request = toMessageRequest({ embeds: [{ title: 't' }] }, 'nonce1');
    expect(request).toEqual({
      body: {
        content: undefined,
        embeds: [{ title: 't' }],
        nonce: 'nonce1',
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
      },
    });
    expect('files' in request).toBe(false);
  });

  it('adds files and their attachments, one id per file index', () => {
    const files = [file('commands-1.txt'), file('commands-2.txt')];
    const request = toMessageRequest({ embeds: [{ title: 't' }], files }, 'n');
    expect(request.body).toMatchObject({
      nonce: 'n',
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
      attachments: [
        { id: 0, filename: 'commands-1.txt' },
        { id: 1, filename: 'commands-2.txt' },
      ],
    });
    expect(request.files).toEqual(
      files.map((f) => ({ name: f.name, data: f.data, contentType: TEXT_FILE_CONTENT_TYPE })),
    );
  });
});

describe('validateMessage with files (unit)', () => {
  it('accepts a message of files only, within the limits', () => {
    expect(validateMessage({ files: [file('a.txt')] })).toEqual([]);
    expect(validateMessage({})).toEqual(['message is empty']);
  });

  it('refuses more than 10 files, a file over 10 MiB, and more than 25 MB in all', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => file(`f${i}.txt`));
    expect(validateMessage({ files: eleven })).toEqual(['files: 11 > 10']);
    expect(validateMessage({ files: [file('big.txt', Limits.fileBytes + 1)] })).toEqual([
      `files[0] (big.txt): ${Limits.fileBytes + 1} bytes > ${Limits.fileBytes}`,
    ]);
    const three = ['a.txt', 'b.txt', 'c.txt'].map((name) => file(name, Limits.fileBytes));
    expect(validateMessage({ files: three })).toEqual([
      `bytes over all files: ${3 * Limits.fileBytes} > ${Limits.requestBytes}`,
    ]);
  });

  it('refuses repeated, empty or path-like names and a missing content type', () => {
    expect(validateMessage({ files: [file('a.txt'), file('a.txt')] })).toEqual([
      'files[1].name a.txt is repeated',
    ]);
    expect(validateMessage({ files: [file('')] })[0]).toContain('is not a plain file name');
    expect(validateMessage({ files: [file('../x.txt')] })[0]).toContain('is not a plain file name');
    expect(validateMessage({ files: [{ ...file('a.txt'), contentType: '' }] })).toEqual([
      'files[0].contentType is empty',
    ]);
  });
});
