// Unit tests of the three-message cap (fake layout: one message per 10 lines, so the
// answer is known): the most items that fit are shown, the files go on the last message,
// and nothing is attached when everything fits.
import { describe, expect, it } from 'vitest';
import type { MessagePayload } from '../../src/discord/contract';
import { MAX_MESSAGES_PER_NOTIFICATION, TEXT_FILE_CONTENT_TYPE } from '../../src/discord/embeds';
import { fitNotification, type Overflow } from '../../src/discord/embeds/fit';
import type { TextFiles } from '../../src/discord/embeds/text-files';

const files: TextFiles = {
  files: [{ name: 'list.txt', contentType: TEXT_FILE_CONTENT_TYPE, data: Buffer.from('all') }],
  omitted: 0,
};

/** A layout of `fixed` lines, then one line per item shown, then one for the overflow, 10 lines a message. */
function fakeLayout(fixed: number) {
  const calls: number[] = [];
  const compose = (shown: number, overflow: Overflow | null): MessagePayload[] => {
    calls.push(shown);
    const lines = [
      ...Array.from({ length: fixed }, () => 'fixed'),
      ...Array.from({ length: shown }, (_, i) => `item ${i}`),
      ...(overflow ? [`… and ${overflow.hidden} more in ${overflow.files.files[0]!.name}`] : []),
    ];
    const messages: MessagePayload[] = [];
    for (let i = 0; i < lines.length; i += 10) messages.push({ content: lines.slice(i, i + 10).join('\n') });
    return messages;
  };
  return { compose, calls };
}

describe('fitNotification (unit, fake layout)', () => {
  it('returns the full layout, without files, when it fits', () => {
    const { compose } = fakeLayout(2);
    let filesAsked = false;
    const messages = fitNotification({
      total: 28,
      compose,
      files: () => {
        filesAsked = true;
        return files;
      },
    });
    expect(messages).toHaveLength(3);
    expect(messages.some((m) => m.files)).toBe(false);
    expect(filesAsked).toBe(false);
  });

  it.each([29, 100, 20_000])(
    'shows as many of %i items as fit, then the overflow line and the files',
    (total) => {
      const { compose, calls } = fakeLayout(2);
      const messages = fitNotification({ total, compose, files: () => files });
      expect(messages).toHaveLength(MAX_MESSAGES_PER_NOTIFICATION);
      const text = messages.map((m) => m.content).join('\n');
      // 30 lines: 2 fixed, 27 items, 1 overflow line.
      expect(text.match(/^item /gm)).toHaveLength(27);
      expect(text.endsWith(`… and ${total - 27} more in list.txt`)).toBe(true);
      expect(messages.at(-1)!.files).toBe(files.files);
      expect(messages.slice(0, -1).every((m) => m.files === undefined)).toBe(true);
      // The search stays near the answer instead of laying out the whole list many times.
      expect(calls.filter((shown) => shown > 200).length).toBeLessThanOrEqual(1);
      expect(calls.length).toBeLessThan(30);
    },
  );

  it('refuses a layout whose fixed parts alone take more than three messages', () => {
    const { compose } = fakeLayout(35);
    expect(() => fitNotification({ total: 5, compose, files: () => files })).toThrow(RangeError);
  });
});
