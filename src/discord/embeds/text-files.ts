/**
 * Plain UTF-8 text files to attach to a notification: a header, then one entry after the
 * other, split over numbered files (`commands-1.txt`, `commands-2.txt`, ...) when one file
 * would pass MAX_FILE_BYTES. An entry is never cut between files unless it alone is larger
 * than a file (only a document far outside the data contract), and then it is cut at a
 * character boundary and goes on in the next file.
 *
 * All files go on one message, so together they stay under MAX_ATTACHMENT_BYTES_PER_MESSAGE.
 * Entries past that are not written, but counted (`omitted`) and named in a last line:
 * the caller says so in the message too. Nothing is left out silently.
 */
import type { MessageFile } from '../contract';
import {
  MAX_ATTACHMENT_BYTES_PER_MESSAGE,
  MAX_FILE_BYTES,
  MAX_FILES_PER_MESSAGE,
  TEXT_FILE_CONTENT_TYPE,
} from './limits';

export interface TextFiles {
  files: MessageFile[];
  /** Entries that did not fit in the files of one message (0 in practice). */
  omitted: number;
}

export interface TextFileOptions {
  maxFileBytes?: number;
  maxTotalBytes?: number;
  maxFiles?: number;
  /** The last line when entries are left out, e.g. "12 more commands did not fit". */
  omittedNote?: (omitted: number) => string;
}

/** Room kept in every file for the lines this module adds (part numbers, the omitted note). */
const RESERVED_BYTES = 1024;

/**
 * Writes `header` and the entries (each followed by a line break) into files named
 * `<base>.txt`, or `<base>-1.txt`... when more than one is needed. Pure and deterministic:
 * the same input gives the same bytes, so a retried send attaches the same files.
 */
export function writeTextFiles(
  base: string,
  header: string,
  entries: Iterable<string>,
  options: TextFileOptions = {},
): TextFiles {
  const maxFiles = options.maxFiles ?? MAX_FILES_PER_MESSAGE;
  const fileCapacity = (options.maxFileBytes ?? MAX_FILE_BYTES) - RESERVED_BYTES;
  const totalCapacity =
    (options.maxTotalBytes ?? MAX_ATTACHMENT_BYTES_PER_MESSAGE) - RESERVED_BYTES * maxFiles;
  if (fileCapacity < RESERVED_BYTES) throw new RangeError('maxFileBytes leaves no room for entries');

  const chunks: Buffer[][] = [[]];
  let chunkBytes = 0;
  let totalBytes = 0;
  let omitted = 0;
  const put = (bytes: Buffer) => {
    chunks[chunks.length - 1]!.push(bytes);
    chunkBytes += bytes.length;
    totalBytes += bytes.length;
  };
  const nextFile = () => {
    chunks.push([]);
    chunkBytes = 0;
  };

  put(Buffer.from(`${header}\n`, 'utf8'));
  for (const entry of entries) {
    const bytes = Buffer.from(`${entry}\n`, 'utf8');
    // Once one entry is left out, so are the later ones: the files hold a prefix of the list.
    if (omitted > 0 || bytes.length > totalCapacity - totalBytes) {
      omitted++;
    } else if (bytes.length <= fileCapacity - chunkBytes) {
      put(bytes);
    } else if (bytes.length <= fileCapacity) {
      // Whole entries per file: the entry starts the next file.
      if (chunks.length < maxFiles) {
        nextFile();
        put(bytes);
      } else omitted++;
    } else if (
      chunks.length + filesToSpill(bytes.length - (fileCapacity - chunkBytes), fileCapacity) <=
      maxFiles
    ) {
      // Larger than a whole file: fill this one and go on in the next ones.
      let rest = bytes;
      for (;;) {
        const cut = utf8Boundary(rest, fileCapacity - chunkBytes);
        put(rest.subarray(0, cut));
        rest = rest.subarray(cut);
        if (rest.length === 0) break;
        nextFile();
      }
    } else omitted++;
  }
  if (omitted > 0 && options.omittedNote) put(Buffer.from(`\n${options.omittedNote(omitted)}\n`, 'utf8'));
  return { files: nameFiles(base, chunks), omitted };
}

/** How many more files `bytes` take once the current one is full (a cut may back off 3 bytes). */
function filesToSpill(bytes: number, fileCapacity: number): number {
  return Math.ceil(bytes / (fileCapacity - 3));
}

/** `base.txt` alone; else `base-1.txt`..., each later one saying where it continues from. */
function nameFiles(base: string, chunks: Buffer[][]): MessageFile[] {
  if (chunks.length === 1) return [textFile(`${base}.txt`, chunks[0]!)];
  const name = (i: number) => `${base}-${i + 1}.txt`;
  return chunks.map((parts, i) => {
    const note =
      i === 0
        ? `(This list is split over ${chunks.length} files, ${name(0)} to ${name(chunks.length - 1)}.)\n\n`
        : `(Part ${i + 1} of ${chunks.length}, continued from ${name(i - 1)}.)\n\n`;
    return textFile(name(i), [Buffer.from(note, 'utf8'), ...parts]);
  });
}

function textFile(name: string, parts: Buffer[]): MessageFile {
  return { name, contentType: TEXT_FILE_CONTENT_TYPE, data: Buffer.concat(parts) };
}

/** The largest cut at or before `max` that does not fall inside a UTF-8 sequence. */
function utf8Boundary(bytes: Buffer, max: number): number {
  let cut = Math.min(max, bytes.length);
  // Continuation bytes are 10xxxxxx: step back to the first byte of the character.
  while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/** "the attached file commands.txt", "the attached files commands-1.txt and commands-2.txt". */
export function attachedFilesPhrase(files: MessageFile[]): string {
  const names = files.map((f) => f.name);
  if (names.length <= 1) return `the attached file ${names[0] ?? ''}`.trim();
  const last = names.pop()!;
  return `the attached files ${names.join(', ')} and ${last}`;
}

/**
 * 1234 → "1,234": counts a reader takes in at a glance, the same on every machine
 * (and, unlike toLocaleString, cheap enough for every line of a 20,000-line file).
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
