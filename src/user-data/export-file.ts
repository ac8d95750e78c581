/**
 * The export file, written where the worker runs: streamed to a temporary file beside
 * the target, then put in place at once (a reader never sees half a file). An existing
 * file is kept unless `overwrite`, or unless it is this same export's (a retried
 * activity finishes its own work).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Document } from 'mongodb';
import type { RecordCounts } from './store';

export class ExportFileExistsError extends Error {}

export interface ExportHeader {
  /** The workflow that wrote it: a retry recognises its own file. */
  exportId: string;
  userId: string;
  guildId: string | null;
  exportedAt: string;
}

export async function writeExportFile(
  path: string,
  header: ExportHeader,
  sections: AsyncIterable<{ collection: string; documents: AsyncIterable<Document> }>,
  options: { overwrite: boolean },
): Promise<RecordCounts> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  const counts: RecordCounts = {};
  try {
    // The header on the first line, so `isOwnExport` reads it without parsing the rest.
    await file.write(`{"export":${JSON.stringify(header)},\n"collections":{`);
    let firstSection = true;
    for await (const { collection, documents } of sections) {
      await file.write(`${firstSection ? '' : ','}\n${JSON.stringify(collection)}:[`);
      firstSection = false;
      let count = 0;
      for await (const document of documents) {
        await file.write(`${count ? ',' : ''}\n${JSON.stringify(document)}`);
        count += 1;
      }
      await file.write(count ? '\n]' : ']');
      counts[collection] = count;
    }
    await file.write('\n}}\n');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await putInPlace(temporary, path, options.overwrite || (await isOwnExport(path, header.exportId)));
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return counts;
}

async function putInPlace(temporary: string, path: string, overwrite: boolean): Promise<void> {
  if (overwrite) return rename(temporary, path);
  try {
    // A hard link fails when the target exists: no window where another file is replaced.
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ExportFileExistsError(`${path} exists; choose another --out or overwrite it with --force`);
    }
    throw error;
  }
}

async function isOwnExport(path: string, exportId: string): Promise<boolean> {
  try {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', end: 4096 }) });
    for await (const line of lines) {
      lines.close();
      return line.startsWith(`{"export":{"exportId":${JSON.stringify(exportId)},`);
    }
    return false;
  } catch {
    return false;
  }
}
