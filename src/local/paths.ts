import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's location so scripts work from any cwd. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Locally built servers (git-ignored). */
export const toolsDir = path.join(projectRoot, '.tools');

/** Data of the local stack: SQLite files, logs, pid file (git-ignored); LOCAL_DATA_DIR moves it. */
export const dataDir = process.env.LOCAL_DATA_DIR
  ? path.resolve(process.env.LOCAL_DATA_DIR)
  : path.join(projectRoot, '.data');
