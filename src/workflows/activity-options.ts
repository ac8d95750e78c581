/**
 * Timeouts and retry policies of the activities, declared in one place where a
 * reader of the workflows looks for them.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** MongoDB work: short, retried with backoff for an hour (a database restart, a failover). */
export const dataActivityOptions: ActivityOptions = {
  // Set-wise statements: a large creator's page on FerretDB can take minutes.
  startToCloseTimeout: '10 minutes',
  // Every data activity heartbeats while it runs: a killed worker is noticed in seconds.
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Recording a delivered warning and starting its grace workflow, once per creator: a few
 * statements and one workflow start, run by the run's own worker as a local activity (one
 * history event instead of three, and no task for the server to hand out). Retried
 * like the other data activities; backoffs past a minute wait on a durable timer.
 */
export const localDataActivityOptions: LocalActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: dataActivityOptions.retry,
};

/**
 * The deletion at a grace deadline: retried until the database answers, however
 * long. Giving up would leave warned commands neither deleted nor warned again.
 */
export const deletionActivityOptions: ActivityOptions = {
  // A large creator's deletions take a while; the heartbeat (every 5 s, with the counts so
  // far) tells a dead worker from a busy one.
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/**
 * Discord REST calls, on their own task queue so a worker option caps the request
 * rate cluster-wide. Permanent Discord errors are thrown non-retryable by the
 * activities; 429s carry Retry-After as the next retry delay; 5xx and timeouts are
 * retried for up to 12 hours, so an outage delays notifications but loses none.
 */
export function discordActivityOptions(taskQueue: string): ActivityOptions {
  return {
    taskQueue,
    // At most 3 messages (a notification never has more) of at most 15 s each.
    startToCloseTimeout: '1 minute',
    // Heartbeats between the parts of a notification are sent at once (not throttled to 30 s);
    // a worker that died mid-call is noticed this soon.
    heartbeatTimeout: '20 seconds',
    scheduleToCloseTimeout: '12 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  };
}
