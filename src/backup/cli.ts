/**
 * `starter backup list|restore`: the guild's backups, read from the backup directory,
 * and a restore written straight to the database (as `starter restore` does), so they
 * work with no worker running. A file that fails any check is refused whole: one line
 * on stderr, exit code 1, nothing changed.
 */
import type { Command } from 'commander';
import { guildIdOption, type CliContext, type CommandRegistrar } from '../cli/context';
import { connectMongo } from '../connections';
import { describeBackups, findBackup, type BackupListing } from './catalog';
import { BackupCorruptError } from './format';
import { restoreGuildBackup, type RestoreResult } from './restore';

export const registerBackupCommands: CommandRegistrar = (program, context) => {
  const backup = program
    .command('backup')
    .description("A guild's backups (BACKUP_DIR): list them, restore one.");

  backup
    .command('list')
    .description('List the backups of a guild, newest first, each verified.')
    .requiredOption('--guild <id>', 'the guild', guildIdOption)
    .option(
      '--json',
      'one JSON object: {guildId, dir, backups: [{name, day, path, ok, problem?, createdAt, bytes, sha256, commands, archive}]}',
    )
    .action(async (options: { guild: string; json?: boolean }) => {
      const { dir } = context.getConfig().backup;
      const backups = await describeBackups(dir, options.guild);
      if (options.json) return context.out(JSON.stringify({ guildId: options.guild, dir, backups }));
      if (backups.length === 0) return context.out(`No backup of guild ${options.guild} in ${dir}`);
      backups.forEach((b) => context.out(listingLine(b)));
      if (backups.some((b) => !b.ok)) context.setExitCode(1);
    });

  restoreOptions(backup.command('restore'))
    .description(
      'Restore what is missing from a backup (default: the newest); a command newer in the database is kept unless --overwrite.',
    )
    .action(async (options: RestoreOptions) => {
      const config = context.getConfig();
      const file = await findBackup(config.backup.dir, options.guild, options.from);
      const { mongo, db } = await connectMongo(config);
      let result: RestoreResult;
      try {
        result = await restoreGuildBackup({
          db,
          file,
          guildId: options.guild,
          dryRun: options.dryRun ?? false,
          overwrite: options.overwrite ?? false,
        });
      } catch (error) {
        if (!(error instanceof BackupCorruptError)) throw error;
        context.err(`Backup ${file.name} refused, nothing changed: ${error.reason} (${error.file})`);
        return context.setExitCode(1);
      } finally {
        await mongo.close();
      }
      if (options.json) return context.out(JSON.stringify({ backup: file.name, path: file.path, ...result }));
      printRestore(context, file.name, result);
    });
};

interface RestoreOptions {
  guild: string;
  from?: string;
  dryRun?: boolean;
  overwrite?: boolean;
  json?: boolean;
}

function restoreOptions(command: Command): Command {
  return command
    .requiredOption('--guild <id>', 'the guild', guildIdOption)
    .option('--from <backup>', 'a backup name (<guildId>-<YYYY-MM-DD>), a day, or a file path')
    .option('--dry-run', 'count what would be restored; change nothing')
    .option('--overwrite', 'replace commands that are newer in the database than in the backup')
    .option(
      '--json',
      'one JSON object: {backup, path, guildId, createdAt, dryRun, overwrite, commands: {restored, overwritten, keptNewer, alreadyPresent}, archive: {restored, alreadyPresent}}',
    );
}

function listingLine(b: BackupListing): string {
  if (!b.ok) return `${b.name}  CORRUPT: ${b.problem}`;
  return `${b.name}  ${b.commands} command(s), ${b.archive} archive entr${b.archive === 1 ? 'y' : 'ies'}, ${b.bytes} bytes, taken ${b.createdAt}`;
}

function printRestore(context: CliContext, name: string, r: RestoreResult): void {
  const would = r.dryRun ? 'would be ' : '';
  context.out(
    `${r.dryRun ? 'Dry run of the restore' : 'Restored'} from ${name} (taken ${r.createdAt}) into guild ${r.guildId}`,
  );
  context.out(
    `  commands: ${r.commands.restored} ${would}restored, ${r.commands.alreadyPresent} already present, ` +
      (r.overwrite
        ? `${r.commands.overwritten} newer ${would}overwritten`
        : `${r.commands.keptNewer} newer kept (--overwrite replaces them)`),
  );
  context.out(
    `  archive entries: ${r.archive.restored} ${would}restored, ${r.archive.alreadyPresent} already present`,
  );
  if (r.dryRun) context.out('  nothing changed: run again without --dry-run to restore');
}
