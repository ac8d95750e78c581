/**
 * `npm run starter -- <command>`: the operator CLI. Schedules every task for every
 * configured guild (idempotent), lists them with their next run times, triggers,
 * pauses, unpauses and deletes them, runs one task once, restores an archived command.
 */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { guildIdOption, UsageError, type CliContext } from './cli/context';
import { taskCommands } from './cli/task-commands';
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { ConfigError, loadConfig, type Config } from './config';
import { connectMongo, connectTemporalClient } from './connections';
import { createCommandStore } from './db';
import { actOnSchedule, describeSchedule, reconcileSchedules, type ScheduleAction } from './schedules';
import { enabledTasks, findTask, tasks } from './tasks/registry';
import { resolveGuildIds } from './guilds';
import type { ScheduledTask } from './tasks/task';

/** The guilds a command acts on: --guild, else GUILD_ID / GUILD_IDS (`all`: every guild the bot is in). */
async function guildsFor(config: Config, guild?: string): Promise<string[]> {
  return guild ? [guild] : resolveGuildIds(config);
}

function taskNamed(name: string): ScheduledTask {
  const task = findTask(name);
  if (!task) throw new UsageError(`Unknown task '${name}'. Tasks: ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

export function buildCli(
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
  setExitCode: (code: number) => void = () => undefined,
): { program: Command; close: () => Promise<void> } {
  let config: Config | undefined;
  let client: Client | undefined;
  const getConfig = () => (config ??= loadConfig());
  const getClient = async () => (client ??= await connectTemporalClient(getConfig()));
  const context: CliContext = { out, err, getConfig, getClient, setExitCode };

  const program = new Command('starter')
    .description('Operate the Discord bot tasks on Temporal: schedules, runs, restores.')
    // Set before the subcommands are added: they copy it. Help goes to `out`; a usage
    // error is one line on `err` (no help dump after it).
    .configureOutput({
      writeOut: (text) => out(text.replace(/\n$/, '')),
      writeErr: (text) => err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`),
    });

  program
    .command('schedule')
    .description(
      'Create or update the schedule of every enabled task for every configured guild (idempotent); ' +
        'delete those of disabled tasks and, with GUILD_IDS=all, of guilds the bot left.',
    )
    .option('--json', 'one JSON array on stdout')
    .action(async (options: { json?: boolean }) => {
      const cfg = getConfig();
      const guildIds = await guildsFor(cfg);
      const changes = await reconcileSchedules(await getClient(), cfg, guildIds);
      if (options.json) return out(JSON.stringify(changes));
      for (const c of changes) {
        out(
          `${c.change.padEnd(7)} ${c.scheduleId}${c.change === 'created' || c.change === 'updated' ? `  next run ${c.nextRunAt ?? '-'}` : ''}`,
        );
      }
    });

  program
    .command('list')
    .description('List the schedules of the configured guilds with their next run times.')
    .option('--guild <id>', 'only this guild', guildIdOption)
    .option('--json', 'one JSON array on stdout: [{task, guildId, scheduleId, nextRunAt, paused, scheduled}]')
    .action(async (options: { guild?: string; json?: boolean }) => {
      const cfg = getConfig();
      const states = [];
      for (const guildId of await guildsFor(cfg, options.guild)) {
        for (const task of enabledTasks(cfg))
          states.push(await describeSchedule(await getClient(), task, guildId));
      }
      if (options.json) {
        return out(
          JSON.stringify(
            states.map((s) => ({
              task: s.task,
              guildId: s.guildId,
              scheduleId: s.scheduleId,
              nextRunAt: s.nextRunTimes[0]?.toISOString() ?? null,
              paused: s.paused,
              scheduled: s.exists,
            })),
          ),
        );
      }
      for (const s of states) {
        const status = !s.exists ? 'not scheduled' : s.paused ? `paused (${s.note ?? ''})` : 'active';
        const next =
          s.nextRunTimes
            .slice(0, 3)
            .map((d) => d.toISOString())
            .join(', ') || '-';
        out(`${s.scheduleId}  ${status}  next: ${next}`);
      }
    });

  const scheduleAction = (name: ScheduleAction, verb: string, description: string) =>
    program
      .command(name === 'delete' ? 'unschedule' : name)
      .description(description)
      .option('--guild <id>', 'only this guild (default: every configured guild)', guildIdOption)
      .option('--task <name>', 'only this task (default: every enabled task)')
      .option('--note <text>', 'why (pause/unpause), shown in the Web UI')
      .action(async (options: { guild?: string; task?: string; note?: string }) => {
        const cfg = getConfig();
        const selected = options.task ? [taskNamed(options.task)] : enabledTasks(cfg);
        for (const guildId of await guildsFor(cfg, options.guild)) {
          for (const task of selected) {
            const done = await actOnSchedule(await getClient(), task, guildId, name, options.note);
            out(`${done ? verb : 'not scheduled:'} ${task.scheduleId(guildId)}`);
          }
        }
      });
  scheduleAction('trigger', 'triggered', 'Start a run of the schedule now (skipped if one is running).');
  scheduleAction('pause', 'paused', 'Pause schedules (runs stop until unpaused).');
  scheduleAction('unpause', 'unpaused', 'Unpause schedules.');
  scheduleAction('delete', 'deleted', 'Delete schedules (running workflows and grace periods go on).');

  program
    .command('run')
    .description('Run one task once for one guild, outside its schedule.')
    .argument('<task>', `the task: ${tasks.map((t) => t.name).join(', ')}`)
    .requiredOption('--guild <id>', 'the guild', guildIdOption)
    .option('--dry-run', 'compute and report everything, change and send nothing')
    .option('--wait', 'wait for the result')
    .option('--json', 'print one JSON object on stdout')
    .action(
      async (
        taskName: string,
        options: { guild: string; dryRun?: boolean; wait?: boolean; json?: boolean },
      ) => {
        const cfg = getConfig();
        const task = taskNamed(taskName);
        const dryRun = options.dryRun ?? false;
        // Two real runs of one guild at once would both DM the same creators (the schedule's
        // SKIP policy does not cover runs started by hand). A dry run changes nothing: always allowed.
        if (!dryRun) {
          const running = await runningRuns(await getClient(), task, options.guild);
          if (running.length > 0) {
            throw new UsageError(
              `A ${task.name} run of guild ${options.guild} is in progress (${running.join(', ')}); wait for it or use --dry-run.`,
            );
          }
        }
        const handle = await (
          await getClient()
        ).workflow.start(task.workflowType, {
          workflowId: task.manualWorkflowId(options.guild, new Date()),
          taskQueue: cfg.temporal.taskQueue,
          args: task.workflowArgs(cfg, options.guild, { dryRun }),
          typedSearchAttributes: new TypedSearchAttributes(task.searchAttributes(options.guild)),
          staticSummary: task.summary(options.guild, { dryRun }),
        });
        if (!options.wait) {
          if (options.json)
            return out(JSON.stringify({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId }));
          return out(`started ${handle.workflowId}`);
        }
        const result: unknown = await handle.result();
        if (options.json)
          return out(JSON.stringify({ workflowId: handle.workflowId, ...(result as object) }));
        out(task.describeResult(handle.workflowId, result));
      },
    );

  program
    .command('restore')
    .description('Restore an archived (deleted) custom command.')
    .requiredOption('--guild <id>', 'the guild', guildIdOption)
    .requiredOption('--name <name>', 'the command name')
    .action(async (options: { guild: string; name: string }) => {
      const { mongo, db } = await connectMongo(getConfig());
      try {
        const restored = await createCommandStore(db).restore(options.guild, options.name, new Date());
        out(`restored '${restored.name}' in guild ${restored.guildId} (creator ${restored.creatorId})`);
      } finally {
        await mongo.close();
      }
    });

  for (const register of taskCommands) register(program, context);
  // Closed after a failed command too: an open channel would keep the process alive.
  const close = async () => {
    await client?.connection.close();
    client = undefined;
  };
  return { program, close };
}

/** Runs of a task for a guild still running (scheduled or by hand), found by search attributes. */
async function runningRuns(client: Client, task: ScheduledTask, guildId: string): Promise<string[]> {
  const ids: string[] = [];
  const query = `BotTask = "${task.name}" AND GuildId = "${guildId}" AND ExecutionStatus = "Running"`;
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

/** Runs the CLI; returns the exit code (2 for usage and configuration errors). */
export async function runCli(
  argv: string[],
  io: { out?: (line: string) => void; err?: (line: string) => void } = {},
): Promise<number> {
  const err = io.err ?? console.error;
  let exitCode = 0;
  const { program, close } = buildCli(io.out, err, (code) => (exitCode = Math.max(exitCode, code)));
  // Each (sub)command needs its own override: commander would process.exit(1) on their errors.
  const overrideExits = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(overrideExits);
  };
  overrideExits(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      err(`Configuration error: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError) {
      err(error.message);
      return 2;
    }
    err(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await close().catch(() => undefined);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
