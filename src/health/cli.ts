/**
 * `starter health [--guild <id>] [--json]`: each guild's health as its monitor knows it,
 * for a person or an external monitor, which reads the exit code: 1 when anything fails,
 * when a guild has no monitor or its monitor does not answer, or when the last check is
 * stale. The monitor answers from its workflow state, so this works while the database
 * is down; it needs Temporal and a worker (a query is answered by a worker).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { guildIdOption, type CommandRegistrar } from '../cli/context';
import { resolveGuildIds } from '../guilds';
import { healthCheckTask } from '../tasks/health-check';
import { taskSchedule } from '../tasks/registry';
import { healthMonitorWorkflowId, healthStateQuery } from '../workflows/health-messages';
import type { MonitorState } from './model';
import { STALE_INTERVALS, formatGuildHealth, guildHealthView, type GuildHealthView } from './view';

/** How long a monitor gets to answer: a worker that is up answers in milliseconds. */
const QUERY_DEADLINE_MS = 10_000;

export const registerHealthCommand: CommandRegistrar = (program, context) => {
  program
    .command('health')
    .description('Print the health of each guild (exit code 1 when anything fails or is stale).')
    .option('--guild <id>', 'one guild (default: the configured guilds)', guildIdOption)
    .option(
      '--json',
      'print [{guildId, ok, checkedAt, stale, problem?, checks: [{name, ok, detail, latencyMs?, since}]}]',
    )
    .action(async (options: { guild?: string; json?: boolean }) => {
      const config = context.getConfig();
      const guildIds = options.guild ? [options.guild] : await resolveGuildIds(config);
      const client = await context.getClient();
      const views: GuildHealthView[] = [];
      for (const guildId of guildIds) {
        const staleAfterMs = STALE_INTERVALS * (await checkIntervalMs(client, config, guildId));
        const { state, problem } = await readMonitor(client, guildId);
        views.push(
          guildHealthView(guildId, state, { now: new Date(), staleAfterMs, ...(problem ? { problem } : {}) }),
        );
      }
      if (options.json) context.out(JSON.stringify(views));
      else views.flatMap(formatGuildHealth).forEach((line) => context.out(line));
      if (views.some((view) => !view.ok)) context.setExitCode(1);
    });
};

async function readMonitor(
  client: Client,
  guildId: string,
): Promise<{ state?: MonitorState; problem?: string }> {
  try {
    const handle = client.workflow.getHandle(healthMonitorWorkflowId(guildId));
    const state = await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      handle.query(healthStateQuery),
    );
    return { state };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      return { problem: 'no health monitor yet: the health check has not run for this guild' };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `the health monitor did not answer (is a worker running?): ${reason}` };
  }
}

/**
 * The time between two checks: the configured interval, or for a cron expression the
 * gap between the schedule's next two runs (an hour when the schedule cannot say).
 */
async function checkIntervalMs(client: Client, config: Config, guildId: string): Promise<number> {
  const setting = taskSchedule(config, healthCheckTask);
  if ('everyMs' in setting) return setting.everyMs;
  try {
    const described = await client.schedule.getHandle(healthCheckTask.scheduleId(guildId)).describe();
    const [next, after] = described.info.nextActionTimes;
    if (next && after) return after.getTime() - next.getTime();
  } catch {
    // No schedule: fall through.
  }
  return 60 * 60_000;
}
