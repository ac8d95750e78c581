/** Temporal environments for tests: time skipping on the Java test server, or the shared dev server. */
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** The workflow bundle built once by the global setup. */
export function workflowBundle(): { codePath: string } {
  return { codePath: inject('workflowBundlePath') };
}

export { advance, createTimeSkippingEnv, type TimeSkippingEnv } from './time-skipping';

/** A client environment on the shared dev server (Schedules, search attributes, integration). */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

/** A task queue name unique to one test, so workers of parallel test files never share work. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
