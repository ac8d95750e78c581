/**
 * The activities as workflows call them: one proxy per step, with the options of
 * activity-options.ts and a summary the Web UI shows for that step.
 */
import {
  ActivityFailure,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { CleanupDataActivities, DiscordActivities, WarningLifecycleActivities } from '../activities';
import {
  dataActivityOptions,
  deletionActivityOptions,
  discordActivityOptions,
  localDataActivityOptions,
} from './activity-options';

type DataActivities = CleanupDataActivities & WarningLifecycleActivities;

export function dataActivities(options: { summary?: string } = {}) {
  return proxyActivities<DataActivities>({ ...dataActivityOptions, ...options });
}

/** Short database steps run by the workflow's own worker (see localDataActivityOptions). */
export function localDataActivities(options: { summary?: string } = {}) {
  return proxyLocalActivities<DataActivities>({ ...localDataActivityOptions, ...options });
}

/** Deletions at a grace deadline: retried until the database answers, heartbeating. */
export function deletionActivities(options: { summary?: string } = {}) {
  return proxyActivities<DataActivities>({ ...deletionActivityOptions, ...options });
}

export function discordActivities(
  taskQueue: string,
  options: Pick<ActivityOptions, 'summary' | 'retry'> = {},
) {
  return proxyActivities<DiscordActivities>({ ...discordActivityOptions(taskQueue), ...options });
}

/**
 * Why an activity failed beyond its retries, for a run that goes on without it. A
 * cancellation, or anything but an activity failure, is rethrown: cancelling a run
 * cancels it.
 */
export function failureReason(error: unknown): string {
  if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
  return error.cause?.message ?? error.message;
}
