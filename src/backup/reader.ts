/**
 * Reading a backup back, trusting nothing: the checksum first (its sidecar must
 * exist and match), then every line for shape, the guild, and an end line whose
 * counts match what was read. Streamed: memory stays flat whatever the guild's size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  BackupCorruptError,
  BadLineError,
  parseLine,
  type BackupCounts,
  type BackupHeader,
  type BackupRecord,
} from './format';

/** A backup file and its checksum sidecar. */
export interface BackupLocation {
  path: string;
  checksumPath: string;
}

export interface BackupSummary {
  header: BackupHeader;
  counts: BackupCounts;
  sha256: string;
  bytes: number;
}

/** The sha256 and size of a file's bytes. */
export async function fileChecksum(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The sidecar's text, as `sha256sum` writes it, so `sha256sum -c` checks a backup too. */
export const checksumLine = (sha256: string, file: string) => `${sha256}  ${path.basename(file)}\n`;

async function expectedChecksum(file: BackupLocation): Promise<string> {
  let text: string;
  try {
    text = await readFile(file.checksumPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BackupCorruptError(file.path, 'its checksum file is missing');
    throw error;
  }
  const sha256 = /^([0-9a-f]{64})\b/.exec(text.trim())?.[1];
  if (!sha256) throw new BackupCorruptError(file.path, 'its checksum file is malformed');
  return sha256;
}

/**
 * The records of a backup, each checked; the summary is the generator's return value.
 * Throws BackupCorruptError (checksum, gzip, JSON, shape, guild, truncation) before or
 * while yielding: a caller that must change nothing on a bad file drains it first
 * (`verifyBackup`). `trusted` skips the checksum pass of a file just verified.
 */
export async function* readBackup(
  file: BackupLocation,
  options: { guildId?: string; trusted?: boolean } = {},
): AsyncGenerator<BackupRecord, BackupSummary, void> {
  const expected = await expectedChecksum(file);
  const actual = options.trusted
    ? { sha256: expected, bytes: (await stat(file.path)).size }
    : await fileChecksum(file.path);
  if (actual.sha256 !== expected)
    throw new BackupCorruptError(file.path, 'checksum mismatch: the file was changed or damaged');

  let header: BackupHeader | undefined;
  let end: BackupCounts | undefined;
  const counts: BackupCounts = { commands: 0, archive: 0 };
  let lineNumber = 0;
  for await (const line of gunzippedLines(file.path)) {
    lineNumber += 1;
    const parsed = parseOrRefuse(file.path, line, lineNumber, options.guildId ?? header?.guildId);
    if (end) throw new BackupCorruptError(file.path, `line ${lineNumber}: data after the end line`);
    if (parsed.t === 'header') {
      if (header) throw new BackupCorruptError(file.path, `line ${lineNumber}: a second header`);
      if (options.guildId !== undefined && parsed.guildId !== options.guildId)
        throw new BackupCorruptError(
          file.path,
          `a backup of guild ${parsed.guildId}, not ${options.guildId}`,
        );
      header = parsed;
      continue;
    }
    if (!header) throw new BackupCorruptError(file.path, 'no header line');
    if (parsed.t === 'end') {
      end = parsed.counts;
      continue;
    }
    counts[parsed.t === 'command' ? 'commands' : 'archive'] += 1;
    yield parsed;
  }
  if (!header) throw new BackupCorruptError(file.path, 'no header line');
  if (!end) throw new BackupCorruptError(file.path, 'cut short: no end line');
  if (end.commands !== counts.commands || end.archive !== counts.archive)
    throw new BackupCorruptError(file.path, 'the end line counts differ from the records');
  return { header, counts, ...actual };
}

/** Reads the whole backup to check it; its summary, or BackupCorruptError. */
export async function verifyBackup(file: BackupLocation, guildId?: string): Promise<BackupSummary> {
  const records = readBackup(file, guildId === undefined ? {} : { guildId });
  for (;;) {
    const next = await records.next();
    if (next.done) return next.value;
  }
}

function parseOrRefuse(file: string, line: string, lineNumber: number, guildId: string | undefined) {
  try {
    return parseLine(line, guildId);
  } catch (error) {
    if (error instanceof BadLineError)
      throw new BackupCorruptError(file, `line ${lineNumber}: ${error.message}`);
    throw error;
  }
}

/**
 * The longest line a backup of ours can hold: a MongoDB document is at most 16 MiB of
 * BSON, and canonical Extended JSON spells a byte in at most six characters (a control
 * character as `\u0001`). A longer line (a forged or foreign file, a gzip bomb) is refused
 * before it outgrows memory or V8's longest string (about 512 Mi characters).
 */
export const MAX_LINE_CHARS = 100 * 1024 * 1024;

/** The file's lines after gunzip; a damaged gzip stream is BackupCorruptError. */
async function* gunzippedLines(file: string): AsyncGenerator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  // The current line's pieces: joined once at its newline, not copied at every chunk.
  let pieces: string[] = [];
  let pending = 0;
  const takeLine = (last: string): string => {
    pieces.push(last);
    const line = pieces.join('');
    pieces = [];
    pending = 0;
    return line;
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = decoder.write(chunk);
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        const line = takeLine(text.slice(start, newline));
        start = newline + 1;
        if (line !== '') yield line;
      }
      pieces.push(text.slice(start));
      pending += text.length - start;
      if (pending > MAX_LINE_CHARS)
        throw new BackupCorruptError(file, `a line longer than ${MAX_LINE_CHARS} characters: not a backup`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_'))
      throw new BackupCorruptError(file, `not a valid gzip file (${(error as Error).message})`);
    throw error;
  } finally {
    source.destroy();
  }
  const last = takeLine(decoder.end());
  if (last !== '') yield last;
}
