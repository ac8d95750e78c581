/**
 * The backup file's lines, gzip'd JSON lines:
 *
 *   {"t":"header","format":1,"guildId":"…","createdAt":"<ISO>"}
 *   {"t":"command","doc":{…}}   one per custom command (custom_commands)
 *   {"t":"archive","doc":{…}}   one per archive entry (deleted_custom_commands)
 *   {"t":"end","counts":{"commands":N,"archive":M}}
 *
 * Documents are MongoDB canonical Extended JSON, so ids, dates and number types come
 * back exactly as they were. The end line is last: a file without it was cut short.
 */
import { BSON, type Document } from 'mongodb';

const { EJSON } = BSON;

export const BACKUP_FORMAT = 1;

export interface BackupCounts {
  commands: number;
  archive: number;
}

export interface BackupHeader {
  t: 'header';
  format: number;
  guildId: string;
  createdAt: string;
}

export type BackupRecord = { t: 'command'; doc: Document } | { t: 'archive'; doc: Document };

/** A file that cannot be trusted: restore and erase refuse it, naming why. */
export class BackupCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'BackupCorruptError';
  }
}

export const headerLine = (guildId: string, createdAt: Date): string =>
  JSON.stringify({ t: 'header', format: BACKUP_FORMAT, guildId, createdAt: createdAt.toISOString() });

export const recordLine = (record: BackupRecord): string => EJSON.stringify(record, { relaxed: false });

export const endLine = (counts: BackupCounts): string => JSON.stringify({ t: 'end', counts });

export type ParsedLine = BackupHeader | BackupRecord | { t: 'end'; counts: BackupCounts };

/** Why a line is wrong; the reader adds the file and line number. */
export class BadLineError extends Error {}

const bad = (reason: string): never => {
  throw new BadLineError(reason);
};

/** One line, checked for shape; throws BadLineError saying what is wrong. */
export function parseLine(line: string, guildId: string | undefined): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad('a line is not valid JSON');
  }
  const t = (value as { t?: unknown } | null)?.t;
  if (t === 'header') {
    const h = value as BackupHeader;
    if (h.format !== BACKUP_FORMAT) return bad(`unsupported format ${String(h.format)}`);
    if (typeof h.guildId !== 'string' || Number.isNaN(Date.parse(h.createdAt)))
      return bad('a malformed header');
    return h;
  }
  if (t === 'end') {
    const counts = (value as { counts?: BackupCounts }).counts;
    if (!Number.isInteger(counts?.commands) || !Number.isInteger(counts?.archive))
      return bad('a malformed end line');
    return value as ParsedLine;
  }
  if (t === 'command' || t === 'archive') {
    // Type-preserving: Int32, Double, Long and ObjectId come back as themselves, not as numbers.
    let doc: Document | undefined;
    try {
      doc = EJSON.deserialize((value as { doc?: Document }).doc ?? {}, { relaxed: false }) as Document;
    } catch {
      return bad(`a ${t} record that is not Extended JSON`);
    }
    if (!isRecordDoc(doc, t)) return bad(`a malformed ${t} record`);
    if (guildId !== undefined && doc.guildId !== guildId)
      return bad(`a ${t} of another guild (${String(doc.guildId)})`);
    return { t, doc };
  }
  return bad('a line of unknown kind');
}

function isRecordDoc(doc: Document | undefined, t: 'command' | 'archive'): doc is Document {
  if (typeof doc !== 'object' || doc === null || doc._id === undefined) return false;
  if (typeof doc.guildId !== 'string' || typeof doc.name !== 'string' || typeof doc.creatorId !== 'string')
    return false;
  return t === 'archive' ? typeof doc._id === 'string' : true;
}
