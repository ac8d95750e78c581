/**
 * `npm run build:workflows [-- <file>]`: bundles src/workflows once, for workers started
 * with WORKFLOW_BUNDLE=<file> (default dist/workflow-bundle.js). Such a worker starts in
 * seconds instead of bundling for itself, and every worker of a deployment runs the same
 * workflow code. Rebuild on every deployment: a bundle older than the code runs the old
 * workflows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_ENTRY } from './tasks/workers';

/** Writes the bundle to `file` and returns its size in bytes. */
export async function buildWorkflowBundle(file: string): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_ENTRY,
    logger: new DefaultLogger('WARN'),
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, code);
  return Buffer.byteLength(code);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  buildWorkflowBundle(file).then(
    (bytes) =>
      console.log(
        `workflow bundle: ${file} (${(bytes / 1e6).toFixed(2)} MB); start workers with WORKFLOW_BUNDLE=${file}`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
