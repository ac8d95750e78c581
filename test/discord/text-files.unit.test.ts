// Unit tests of the attached text files: numbered files past the size limit, entries kept
// whole, an oversized entry cut only at a character boundary, and an explained end when
// even the files of one message are not enough. Small limits stand in for the real 8 MiB.
import { describe, expect, it } from 'vitest';
import { TEXT_FILE_CONTENT_TYPE, writeTextFiles } from '../../src/discord/embeds';
import { attachedFilesPhrase, formatCount } from '../../src/discord/embeds/text-files';

const text = (data: Buffer) => data.toString('utf8');

describe('writeTextFiles (unit)', () => {
  it('writes one file named after its base when everything fits', () => {
    const { files, omitted } = writeTextFiles('commands', 'Header', ['a', 'b']);
    expect(omitted).toBe(0);
    expect(files).toEqual([
      { name: 'commands.txt', contentType: TEXT_FILE_CONTENT_TYPE, data: Buffer.from('Header\na\nb\n') },
    ]);
  });

  it('splits into numbered files of at most maxFileBytes, keeping every entry whole and in order', () => {
    const entries = Array.from({ length: 500 }, (_, i) => `entry ${i} ${'é'.repeat(i % 50)}`);
    const { files, omitted } = writeTextFiles('list', 'Header', entries, {
      maxFileBytes: 4096,
      maxTotalBytes: 1_000_000,
    });
    expect(omitted).toBe(0);
    expect(files.length).toBeGreaterThan(5);
    files.forEach((file, i) => {
      expect(file.name).toBe(`list-${i + 1}.txt`);
      expect(file.data.length).toBeLessThanOrEqual(4096);
    });
    expect(text(files[0]!.data)).toMatch(
      /^\(This list is split over \d+ files, list-1\.txt to list-\d+\.txt\.\)\n\nHeader\n/,
    );
    expect(text(files[1]!.data)).toMatch(/^\(Part 2 of \d+, continued from list-1\.txt\.\)\n\n/);
    const lines = files.flatMap((f) => text(f.data).split('\n')).filter((l) => l.startsWith('entry '));
    expect(lines).toEqual(entries);
  });

  it('cuts an entry larger than a whole file over the next files, at character boundaries only', () => {
    const huge = '😀é'.repeat(3000); // 18,000 bytes
    const { files, omitted } = writeTextFiles('big', 'H', ['before', huge, 'after'], {
      maxFileBytes: 4096,
      maxTotalBytes: 100_000,
    });
    expect(omitted).toBe(0);
    for (const file of files) {
      expect(file.data.length).toBeLessThanOrEqual(4096);
      expect(Buffer.from(text(file.data), 'utf8').equals(file.data)).toBe(true); // no broken character
    }
    const body = Buffer.concat(files.map((f) => f.data.subarray(f.data.indexOf('\n\n') + 2)));
    expect(text(body)).toBe(`H\nbefore\n${huge}\nafter\n`);
  });

  it('stops at the bytes one message may carry and says how many entries are left out', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => `entry ${i} ${'x'.repeat(100)}`);
    const { files, omitted } = writeTextFiles('cut', 'Header', entries, {
      maxFileBytes: 8192,
      maxTotalBytes: 30_000,
      omittedNote: (n) => `… ${n} more entries did not fit.`,
    });
    expect(omitted).toBeGreaterThan(0);
    const all = files.map((f) => text(f.data)).join('');
    const written = all.split('\n').filter((l) => l.startsWith('entry ')).length;
    expect(written + omitted).toBe(1000);
    expect(all.trimEnd().endsWith(`… ${omitted} more entries did not fit.`)).toBe(true);
    expect(files.reduce((sum, f) => sum + f.data.length, 0)).toBeLessThanOrEqual(30_000);
    // What is written is the beginning of the list, in order.
    expect(all).toContain(`entry ${written - 1} `);
    expect(all).not.toContain(`entry ${written} `);
  });

  it('never writes more files than a message takes', () => {
    const entries = Array.from({ length: 100 }, (_, i) => `${i} ${'y'.repeat(1500)}`);
    const { files, omitted } = writeTextFiles('few', 'H', entries, {
      maxFileBytes: 4096,
      maxTotalBytes: 1_000_000,
      maxFiles: 3,
    });
    expect(files).toHaveLength(3);
    expect(omitted).toBeGreaterThan(0);
  });

  it('gives the same bytes for the same input (a retry attaches the same file)', () => {
    const entries = ['one', 'two', 'three'];
    expect(writeTextFiles('a', 'H', entries)).toEqual(writeTextFiles('a', 'H', entries));
  });
});

describe('file phrases (unit)', () => {
  it('names the attached files for the overflow line', () => {
    const file = (name: string) => ({ name, contentType: TEXT_FILE_CONTENT_TYPE, data: Buffer.from('') });
    expect(attachedFilesPhrase([file('commands.txt')])).toBe('the attached file commands.txt');
    expect(attachedFilesPhrase([file('c-1.txt'), file('c-2.txt'), file('c-3.txt')])).toBe(
      'the attached files c-1.txt, c-2.txt and c-3.txt',
    );
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(20_000_000)).toBe('20,000,000');
  });
});
