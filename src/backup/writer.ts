/**
 * Writing a backup file atomically: gzip'd lines go to a temporary name beside the
 * target, are flushed to disk, then renamed over it, and the checksum sidecar after
 * it. A retried or repeated run of the same day replaces the file whole; a crash
 * between the two renames leaves a mismatch that readers refuse, never a silent mix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { checksumLine, type BackupLocation } from './reader';

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** Marks temporary files, which listings ignore and retention sweeps. */
export const TEMPORARY_MARK = '.tmp-';

export async function writeBackupFile(
  target: BackupLocation,
  lines: AsyncIterable<string>,
): Promise<WrittenFile> {
  await mkdir(path.dirname(target.path), { recursive: true });
  const suffix = `${TEMPORARY_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = { path: target.path + suffix, checksumPath: target.checksumPath + suffix };
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.from(withNewlines(lines)),
      createGzip(),
      measure,
      createWriteStream(temporary.path),
    );
    await flushToDisk(temporary.path);
    const sha256 = hash.digest('hex');
    await writeFile(temporary.checksumPath, checksumLine(sha256, target.path));
    await rename(temporary.path, target.path);
    await rename(temporary.checksumPath, target.checksumPath);
    return { bytes, sha256 };
  } finally {
    await Promise.all([rm(temporary.path, { force: true }), rm(temporary.checksumPath, { force: true })]);
  }
}

async function* withNewlines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield line + '\n';
}

async function flushToDisk(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
