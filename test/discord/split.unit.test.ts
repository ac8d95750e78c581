// Unit tests: the layout engine under the builders, and the limit checker itself.
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/discord/embeds';
import { EmbedComposer, clampLabel, splitText } from '../../src/discord/embeds/split';
import { nastyText, seededRandom } from './embed-data';

describe('splitText (unit)', () => {
  it('cuts at line breaks, then spaces, then anywhere, within the maximum', () => {
    expect(splitText('aaaa\nbbbb\ncccc', 10)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(splitText('', 5)).toEqual(['']);
  });

  it('keeps everything with keepAll, and never cuts an emoji in half', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const text = nastyText(random, 1 + Math.floor(random() * 3000));
      const max = 2 + Math.floor(random() * 500);
      const pieces = splitText(text, max, true);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(max);
        expect(piece).not.toMatch(/[\ud800-\udbff]$/);
      }
    }
  });

  it('clamps labels with a visible ellipsis', () => {
    expect(clampLabel('abcdef', 4)).toBe('abc…');
    expect(clampLabel('abc', 4)).toBe('abc');
  });
});

describe('EmbedComposer (unit)', () => {
  const style = { color: 1, title: 'T', continuationTitle: 'T (continued)', footer: 'F' };

  it('moves to a new embed after 25 fields and cuts long field values into continued fields', () => {
    const composer = new EmbedComposer(style);
    for (let i = 0; i < 30; i++) composer.addField(`f${i}`, 'v');
    composer.addField('long', 'x '.repeat(1500));
    const messages = composer.finish();
    for (const m of messages) expect(validateMessage(m)).toEqual([]);
    const fields = messages.flatMap((m) => m.embeds!).flatMap((e) => e.fields ?? []);
    expect(fields.filter((f) => f.name.startsWith('f'))).toHaveLength(30);
    expect(fields.filter((f) => f.name === 'long (continued)').length).toBeGreaterThanOrEqual(2);
    expect(messages.flatMap((m) => m.embeds!)[1]!.title).toBe('T (continued)');
  });

  it('puts the footer on the last embed only, and text after fields in a new embed', () => {
    const messages = new EmbedComposer(style).addText('a').addField('n', 'v').addText('b').finish();
    const embeds = messages.flatMap((m) => m.embeds!);
    expect(embeds.map((e) => e.description)).toEqual(['a', 'b']);
    expect(embeds.map((e) => e.footer?.text)).toEqual([undefined, 'F']);
  });

  it('packs random text and fields into valid messages, losing nothing', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 50; round++) {
      const composer = new EmbedComposer(style);
      const expected: string[] = [];
      for (let i = 0; i < 1 + Math.floor(random() * 80); i++) {
        const text = `#${round}.${i}# ${nastyText(random, Math.floor(random() * 5000))}`.replace(/\n/g, ' ');
        if (random() < 0.3) composer.addField(`field ${i}`, text.slice(0, 1000));
        else composer.addText(text.slice(0, 4000));
        expected.push(`#${round}.${i}#`);
      }
      const messages = composer.finish();
      const all = JSON.stringify(messages);
      for (const m of messages) expect(validateMessage(m)).toEqual([]);
      for (const marker of expected) expect(all).toContain(marker);
    }
  });
});

describe('validateMessage (unit)', () => {
  it('reports every limit it checks', () => {
    const field = { name: 'n'.repeat(257), value: 'v'.repeat(1025) };
    const problems = validateMessage({
      content: 'c'.repeat(2001),
      embeds: [
        {
          title: 't'.repeat(257),
          description: 'd'.repeat(4097),
          footer: { text: 'f'.repeat(2049) },
          fields: Array.from({ length: 26 }, () => field),
        },
        ...Array.from({ length: 10 }, () => ({ description: 'x' })),
      ],
    });
    const text = problems.join('\n');
    for (const what of [
      'content',
      'embeds:',
      'title',
      'description',
      'footer.text',
      'embeds[0].fields:',
      'fields[0].name',
      'fields[0].value',
      'characters over all embeds',
    ]) {
      expect(text).toContain(what);
    }
    expect(validateMessage({ embeds: [] })).toEqual(['message is empty']);
  });

  it('counts characters as Discord does: an emoji is one', () => {
    expect(validateMessage({ content: '😀'.repeat(2000) })).toEqual([]);
    expect(validateMessage({ embeds: [{ description: '😀'.repeat(4096) }] })).toEqual([]);
  });
});
