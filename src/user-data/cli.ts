/**
 * `starter user-data export|erase`: a user's data rights, each request a workflow on
 * the main task queue (durable, listed in the Web UI), awaited for its counts.
 */
import { resolve } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Command } from 'commander';
import { snowflakeOption, type CliContext, type CommandRegistrar } from '../cli/context';
import type { UserDataExportInput } from '../activities';
import type { UserDataEraseInput, UserDataEraseResult } from '../workflows/user-data';
import {
  USER_DATA_ERASE,
  USER_DATA_EXPORT,
  userDataSearchAttributes,
  userDataSummary,
  userDataWorkflowId,
  type UserDataTask,
} from './ids';

interface ScopeOptions {
  user: string;
  guild?: string;
  json?: boolean;
}

export const registerUserDataCommands: CommandRegistrar = (program, context) => {
  const userData = program
    .command('user-data')
    .description("A user's data rights: export or erase every record about them.");

  scoped(userData.command('export'))
    .description('Write every record about the user to a JSON file (written by the worker).')
    .option('--out <file>', 'where the worker writes it (default: user-data-<user>.json here)')
    .option('--force', 'overwrite an existing file')
    .action(async (options: ScopeOptions & { out?: string; force?: boolean }) => {
      const input: UserDataExportInput = {
        userId: options.user,
        guildId: options.guild ?? null,
        path: resolve(options.out ?? `user-data-${options.user}.json`),
        overwrite: options.force ?? false,
        requestedAt: Date.now(),
      };
      const run = await runWorkflow<{ path: string; records: Record<string, number> }>(
        context,
        USER_DATA_EXPORT,
        'userDataExport',
        input,
      );
      if (!run) return;
      const { workflowId, result } = run;
      if (options.json) return context.out(JSON.stringify({ workflowId, ...scopeOf(options), ...result }));
      context.out(`${workflowId}: wrote ${result.path}`);
      context.out(`  ${describeCounts(result.records)}`);
    });

  scoped(userData.command('erase'))
    .description(
      'Erase every record about the user and cancel their pending deletions; without --yes, only say what it would erase.',
    )
    .option('--yes', 'really erase (without it nothing changes)')
    .action(async (options: ScopeOptions & { yes?: boolean }) => {
      const dryRun = !options.yes;
      const input: UserDataEraseInput = { userId: options.user, guildId: options.guild ?? null, dryRun };
      const run = await runWorkflow<UserDataEraseResult>(
        context,
        USER_DATA_ERASE,
        'userDataErase',
        input,
        dryRun,
      );
      if (!run) return;
      const { workflowId, result } = run;
      // Done as far as it could go, not done: a damaged backup, a cleanup run that did not end.
      if (result.backups?.unverifiedFiles?.length || result.cleanupRunsStillRunning?.length)
        context.setExitCode(1);
      for (const runKey of result.cleanupRunsStillRunning ?? [])
        context.err(
          `cleanup run ${runKey} was still running after 6 hours: the erase went on without it; erase again once it has ended`,
        );
      if (options.json) return context.out(JSON.stringify({ workflowId, ...result }));
      const where = result.guildId ? `guild ${result.guildId}` : 'every guild';
      context.out(
        `${workflowId}: ${dryRun ? 'would erase' : 'erased'} the data of user ${result.userId} in ${where}`,
      );
      context.out(`  records: ${describeCounts(result.erased)}`);
      context.out(`  grace periods ${dryRun ? 'to cancel' : 'cancelled'}: ${result.cancelledGraceWorkflows}`);
      if (result.cleanupRunsAwaited)
        context.out(`  cleanup runs awaited, then erased again: ${result.cleanupRunsAwaited}`);
      if (result.backups)
        context.out(
          `  backups: ${result.backups.records} record(s) removed from ${result.backups.files} file(s)`,
        );
      for (const file of result.backups?.unverifiedFiles ?? [])
        context.err(
          `backup ${file} could not be verified and was left as it is: delete it, it may hold the user's data`,
        );
      if (dryRun) context.out('  nothing changed: run again with --yes to erase (backups are cleaned then)');
    });
};

function scoped(command: Command): Command {
  return command
    .requiredOption('--user <id>', 'the user', snowflakeOption('user'))
    .option('--guild <id>', 'only this guild (default: every guild)', snowflakeOption('guild'))
    .option('--json', 'one JSON object on stdout');
}

const scopeOf = (options: ScopeOptions) => ({ userId: options.user, guildId: options.guild ?? null });

function describeCounts(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const each = Object.entries(counts).map(([collection, n]) => `${collection} ${n}`);
  return `${total} (${each.join(', ')})`;
}

/** Starts the workflow and waits for its result; a failure is one line on stderr, exit code 1. */
async function runWorkflow<Result>(
  context: CliContext,
  task: UserDataTask,
  workflowType: string,
  input: { userId: string; guildId: string | null },
  dryRun = false,
): Promise<{ workflowId: string; result: Result } | undefined> {
  const config = context.getConfig();
  const handle = await (
    await context.getClient()
  ).workflow.start(workflowType, {
    workflowId: userDataWorkflowId(task, input.userId, input.guildId, new Date()),
    taskQueue: config.temporal.taskQueue,
    args: [input],
    typedSearchAttributes: new TypedSearchAttributes(
      userDataSearchAttributes(task, input.userId, input.guildId),
    ),
    staticSummary: userDataSummary(task, input.userId, input.guildId, dryRun),
  });
  try {
    return { workflowId: handle.workflowId, result: (await handle.result()) as Result };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    context.err(`${handle.workflowId} failed: ${rootMessage(error)}`);
    context.setExitCode(1);
    return undefined;
  }
}

function rootMessage(error: Error): string {
  let cause: Error = error;
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}
