/** Whether a workflow runs now, in Temporal's word: an id never started or long gone is not running. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

export async function isWorkflowRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
