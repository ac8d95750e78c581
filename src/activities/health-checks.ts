/**
 * The health check's activities: thin probes that answer a finding, never throw one, so
 * a down database or a rejected token is a result ("failing: ...") in seconds rather
 * than an activity retried for an hour. Each one is what it says: a ping, Discord's
 * preflight, the pollers Temporal sees, and the hand-over to the guild's monitor.
 */
import { performance } from 'node:perf_hooks';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Config } from '../config';
import type { DiscordGateway } from '../discord/contract';
import { DiscordFailureType } from '../discord/errors';
import type { CheckResult } from '../health/model';
import { HEALTH_TASK } from '../health/names';
import { taskSearchAttributes } from '../tasks/search-attributes';
import type { healthMonitor } from '../workflows/health-monitor';
import {
  healthMonitorWorkflowId,
  healthReportSignal,
  type HealthDelivery,
} from '../workflows/health-messages';

export interface HealthActivityDeps {
  config: Config;
  db: Db;
  temporal: Client;
  discord: DiscordGateway;
}

/** How long the ping waits for the database (server selection included) before calling it down. */
const PING_TIMEOUT_MS = 5_000;
/** A live worker polls again within about 70 s (long polls last a minute); older pollers are gone. */
const POLLER_FRESH_MS = 2 * 60_000;
/** temporal.api.enums.v1.TaskQueueType, without importing the protos at run time. */
const WORKFLOW_QUEUE = 1;
const ACTIVITY_QUEUE = 2;

/** By task queue: the Discord probe on the rate-capped Discord queue, the rest on the main one. */
export function createHealthActivities(deps: HealthActivityDeps) {
  const { healthCheckDiscord, ...data } = healthProbes(deps);
  return { data, discord: { healthCheckDiscord } };
}

type Split = ReturnType<typeof createHealthActivities>;
export type HealthActivities = Split['data'] & Split['discord'];

function healthProbes(deps: HealthActivityDeps) {
  return {
    healthPingDatabase: async (): Promise<CheckResult> => {
      const started = performance.now();
      try {
        await deps.db.command({ ping: 1 }, { timeoutMS: PING_TIMEOUT_MS });
        const latencyMs = Math.round(performance.now() - started);
        return { name: 'database', status: 'ok', detail: `ping answered in ${latencyMs} ms`, latencyMs };
      } catch (error) {
        return { name: 'database', status: 'failing', detail: `no answer to ping: ${describe(error)}` };
      }
    },

    healthCheckDiscord: async (input: {
      guildId: string;
      adminChannels: string[];
    }): Promise<CheckResult[]> => {
      const started = performance.now();
      try {
        const found = await deps.discord.preflight(input.guildId, input.adminChannels);
        const latencyMs = Math.round(performance.now() - started);
        return [
          {
            name: 'discord-api',
            status: 'ok',
            detail: `token valid, preflight in ${latencyMs} ms`,
            latencyMs,
          },
          { name: 'guild', status: 'ok', detail: `the bot is in ${found.guildName}` },
          found.adminChannel
            ? {
                name: 'admin-channel',
                status: 'ok',
                detail: `the bot can post in #${found.adminChannel.name}`,
              }
            : {
                name: 'admin-channel',
                status: 'failing',
                detail: found.degradedReason ?? 'no admin channel the bot can post in',
              },
        ];
      } catch (error) {
        const unreachableGuild =
          error instanceof ApplicationFailure && error.type === DiscordFailureType.GuildUnreachable;
        return [
          unreachableGuild
            ? { name: 'discord-api', status: 'ok', detail: 'token valid' }
            : { name: 'discord-api', status: 'failing', detail: describe(error) },
          unreachableGuild
            ? { name: 'guild', status: 'failing', detail: describe(error) }
            : { name: 'guild', status: 'unknown', detail: 'not checked: Discord API failing' },
          { name: 'admin-channel', status: 'unknown', detail: 'not checked' },
        ];
      }
    },

    healthCheckWorkers: async (): Promise<CheckResult> => {
      const { taskQueue, discordTaskQueue, namespace } = deps.config.temporal;
      const queues = [
        { label: `${taskQueue} (workflows)`, name: taskQueue, type: WORKFLOW_QUEUE },
        { label: `${taskQueue} (activities)`, name: taskQueue, type: ACTIVITY_QUEUE },
        { label: `${discordTaskQueue} (Discord)`, name: discordTaskQueue, type: ACTIVITY_QUEUE },
      ];
      const counts = await Promise.all(
        queues.map(async (queue) => ({
          label: queue.label,
          live: await livePollers(deps.temporal, namespace, queue.name, queue.type),
        })),
      );
      const empty = counts.filter((count) => count.live === 0);
      const listing = counts.map((count) => `${count.label}: ${count.live}`).join(', ');
      return empty.length === 0
        ? { name: 'worker', status: 'ok', detail: `pollers ${listing}` }
        : {
            name: 'worker',
            status: 'failing',
            detail: `no worker polls ${empty.map((count) => count.label).join(' and ')} (pollers ${listing})`,
          };
    },

    /** Starts the guild's monitor if it is not running, and hands it the report: one atomic call. */
    healthReportToMonitor: async (delivery: HealthDelivery): Promise<void> => {
      const { guildId } = delivery.report;
      await replaceStrandedMonitor(deps, guildId);
      await deps.temporal.workflow.signalWithStart<typeof healthMonitor, [HealthDelivery]>('healthMonitor', {
        workflowId: healthMonitorWorkflowId(guildId),
        taskQueue: deps.config.temporal.taskQueue,
        args: [{ guildId }],
        signal: healthReportSignal,
        signalArgs: [delivery],
        typedSearchAttributes: new TypedSearchAttributes(taskSearchAttributes(HEALTH_TASK, guildId)),
        staticSummary: `Health monitor of guild ${guildId}: check states, alerts on changes`,
      });
    },
  };
}

/** Workers that polled the queue lately. */
async function livePollers(temporal: Client, namespace: string, name: string, type: number): Promise<number> {
  const described = await temporal.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name },
    taskQueueType: type,
  });
  const now = Date.now();
  return (described.pollers ?? []).filter(
    (poller) => now - timestampMs(poller.lastAccessTime) < POLLER_FRESH_MS,
  ).length;
}

/**
 * A monitor left on a task queue no worker polls any more (TASK_QUEUE was changed) would
 * hold every report unread, forever: it is terminated, and the report that follows starts
 * a new one on this queue (which says again that monitoring is on). A monitor on another
 * queue that a worker still polls (a deployment rolling over) is left alone.
 */
async function replaceStrandedMonitor(deps: HealthActivityDeps, guildId: string): Promise<void> {
  const { taskQueue, namespace } = deps.config.temporal;
  const handle = deps.temporal.workflow.getHandle(healthMonitorWorkflowId(guildId));
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
  if (description.status.name !== 'RUNNING' || description.taskQueue === taskQueue) return;
  if ((await livePollers(deps.temporal, namespace, description.taskQueue, WORKFLOW_QUEUE)) > 0) return;
  log.warn('Health monitor stranded on a task queue no worker polls: replaced on this one', {
    guildId,
    from: description.taskQueue,
    to: taskQueue,
  });
  try {
    await handle.terminate(`no worker polls ${description.taskQueue}; replaced on ${taskQueue}`);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

function timestampMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

/** An error as one line, without credentials (a MongoDB URI's user info, a token). */
function describe(error: unknown): string {
  // Our own failures say what went wrong in their message; a driver's error class says what kind it is.
  const text =
    error instanceof ApplicationFailure
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  return text
    .replace(/(mongodb(?:\+srv)?:\/\/)[^@/\s]*@/gi, '$1[redacted]@')
    .replace(/(Bot|Bearer)\s+\S+/g, '$1 [redacted]')
    .slice(0, 300);
}
