/**
 * The build of the embedded FerretDB adds range and existence pushdown to its
 * PostgreSQL backend (tools/ferretdb/_pushdown/range_pushdown.go): FerretDB 1.24 sends
 * only equalities to PostgreSQL, so every range filter of the cleanup (idle since a
 * cutoff) read and decoded the whole collection in Go.
 *
 * Nothing of FerretDB is copied into this project: at build time the published module's
 * query.go gets one call to our function where FerretDB skips `$gt`/`$lt` (its own
 * comment marks the spot), in a copy of the module that the build uses instead, with our
 * file beside it. A FerretDB version without that spot fails the build, loudly.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const QUERY_FILE = path.join('internal', 'backends', 'postgresql', 'query.go');

/** Where FerretDB's prepareWhereClause gives up on an operator other than $eq and $ne. */
const SKIPPED_OPERATOR = /(\n(\t+)default:\n\t+\/\/ \$gt and \$lt\n\t+\/\/ TODO [^\n]+\n)(\t+)continue\n/;

export function withRangePushdown(querySource: string): string {
  const match = SKIPPED_OPERATOR.exec(querySource);
  if (!match) {
    throw new Error(
      `FerretDB's ${QUERY_FILE} has no "$gt and $lt" default case to extend: the range pushdown ` +
        `(tools/ferretdb/_pushdown) must be ported to this FerretDB version`,
    );
  }
  const indent = match[3]!;
  const call =
    `${indent}if f, a := filterRange(p, rootKey, keyOperator == "->", k, v); f != "" {\n` +
    `${indent}\tfilters = append(filters, f)\n` +
    `${indent}\targs = append(args, a...)\n` +
    `${indent}}\n`;
  return querySource.replace(SKIPPED_OPERATOR, `${match[1]}${call}${indent}continue\n`);
}

/**
 * Prepares the build: a copy of the pinned FerretDB module with the pushdown added, and
 * a go.mod for `go build -modfile` that is ours plus a `replace` to that copy (Go refuses
 * to overlay files of its module cache). Returns the go.mod's path. `moduleDir` is our
 * embedding module (tools/ferretdb), whose go.mod pins FerretDB.
 */
export async function prepareRangePushdownBuild(moduleDir: string, workDir: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', FERRETDB_MODULE], { cwd: moduleDir });
  const published = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!published)
    throw new Error(`go mod download ${FERRETDB_MODULE} gave no directory: ${stdout.slice(0, 300)}`);

  const source = path.join(workDir, 'ferretdb');
  await rm(workDir, { recursive: true, force: true });
  await cp(published, source, { recursive: true });
  await chmodWritable(source);
  const query = path.join(source, QUERY_FILE);
  await writeFile(query, withRangePushdown(await readFile(query, 'utf8')));
  await copyFile(
    path.join(moduleDir, '_pushdown', 'range_pushdown.go'),
    path.join(path.dirname(query), 'range_pushdown.go'),
  );

  const modfile = path.join(workDir, 'go.mod');
  const ours = await readFile(path.join(moduleDir, 'go.mod'), 'utf8');
  await writeFile(modfile, `${ours}\nreplace ${FERRETDB_MODULE} => ${source}\n`);
  await copyFile(path.join(moduleDir, 'go.sum'), path.join(workDir, 'go.sum'));
  return modfile;
}

/** The module cache's files are read-only; the copy's must be writable to patch and remove. */
async function chmodWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chmodWritable(full);
    else await chmod(full, 0o644);
  }
}
