/**
 * Scenario 6: every log the suite captured (worker and starter stdout/stderr, the
 * Temporal, FerretDB and PostgreSQL logs) searched for the bot token. Also searched
 * for its secret part alone (what follows the first dot), in case a line printed the
 * token split or wrapped, and for the token in base64 (an Authorization header dumped
 * as bytes).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export async function scanLogs(
  logDir: string,
  token: string,
): Promise<{ files: number; lines: number; hits: string[] }> {
  const secret = token.slice(token.indexOf('.') + 1);
  const needles = [token, secret, Buffer.from(token).toString('base64')];
  const files = (await readdir(logDir)).filter((f) => f.endsWith('.log')).sort();
  let lines = 0;
  const hits: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(logDir, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line) lines += 1;
      if (needles.some((needle) => line.includes(needle))) {
        // Never print the token itself: where it was is enough.
        hits.push(`${file}:${i + 1}: ${line.length} characters, token at column ${line.indexOf(secret) + 1}`);
      }
    });
  }
  return { files: files.length, lines, hits };
}
