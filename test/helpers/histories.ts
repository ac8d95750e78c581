/** Saved workflow histories for replay tests (test/fixtures/histories/*.json). */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { projectRoot } from '../../src/local/paths';

export const historiesDir = path.join(projectRoot, 'test', 'fixtures', 'histories');

export interface SavedHistory {
  file: string;
  /** The file name without `.json`: the recorder names each file after its workflow id. */
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
}

/** Saves a finished workflow's history with historyToJSON (JSON.stringify loses proto types). */
export async function saveHistory(client: Client, workflowId: string, file: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(path.join(historiesDir, file), historyToJSON(history) + '\n');
}

export async function loadHistories(): Promise<SavedHistory[]> {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(await readFile(path.join(historiesDir, file), 'utf8'))),
    })),
  );
}
