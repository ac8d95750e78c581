/** The demo's workflow runs, asked of its Temporal through the client's visibility queries. */
import { Connection, WorkflowClient } from '@temporalio/client';

export const NAMESPACE = 'default';
const POLL_MS = 1000;

export interface RunRef {
  workflowId: string;
  runId: string;
}

export async function withTemporal<T>(
  address: string,
  use: (client: WorkflowClient) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new WorkflowClient({ connection, namespace: NAMESPACE }));
  } finally {
    await connection.close();
  }
}

/** The first completed run of a workflow type, once there is one. */
export async function completedRun(
  client: WorkflowClient,
  workflowType: string,
  timeoutMs: number,
): Promise<RunRef> {
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed'`;
  return poll(`a completed ${workflowType} run`, timeoutMs, async () => {
    for await (const execution of client.list({ query, pageSize: 1 }))
      return { workflowId: execution.workflowId, runId: execution.runId };
    return undefined;
  });
}

/** Resolves once no run of the workflow type is running (the grace periods all over: every deletion DM sent). */
export async function noneRunning(
  client: WorkflowClient,
  workflowType: string,
  timeoutMs: number,
): Promise<void> {
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;
  await poll(`every ${workflowType} run to end`, timeoutMs, async () =>
    (await client.count(query)).count === 0 ? true : undefined,
  );
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
