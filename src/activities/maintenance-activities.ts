/**
 * The database maintenance's activities, thin over src/db and src/backup: verify and
 * repair the declared indexes, purge one guild's entries past retention in bounded
 * batches, and look at the guild's data (statistics, what breaks the contract).
 * All on the main task queue: database statements and the backup directory.
 */
import { Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { purgeExpiredBackups } from '../backup/retention';
import { collectionStats } from '../db/collection-stats';
import { countInvalidCommands, countOverdueWarnings } from '../db/contract-violations';
import { countExpired, purgeExpiredEntries, type PurgeTarget } from '../db/expired-entries';
import { checkIndexes } from '../db/index-check';
import type { GuildInspection, IndexCheck, PurgeOutcome } from '../maintenance/model';
import { heartbeating } from './bounded';

export interface MaintenanceDeps {
  db: Db;
  /** BACKUP_DIR: backups live in `<dir>/<guildId>/`. */
  backupDir: string;
  now?: () => Date;
}

export interface PurgeInput {
  guildId: string;
  target: PurgeTarget;
  retentionMs: number;
  /** Ids read and deleted per statement, and statements per run at most. */
  batchSize: number;
  maxBatches: number;
  dryRun: boolean;
}

export function createMaintenanceActivities(deps: MaintenanceDeps) {
  const now = deps.now ?? (() => new Date());
  return heartbeating({
    async maintenanceCheckIndexes(input: { dryRun: boolean }): Promise<IndexCheck> {
      return checkIndexes(deps.db, { repair: !input.dryRun });
    },

    async maintenancePurgeExpired(input: PurgeInput): Promise<PurgeOutcome> {
      const before = new Date(now().getTime() - input.retentionMs);
      if (input.dryRun) {
        const expired = await countExpired(deps.db, input.target, input.guildId, before);
        const cap = input.batchSize * input.maxBatches;
        return { target: input.target, removed: Math.min(expired, cap), capped: expired > cap };
      }
      const { deleted, done } = await purgeExpiredEntries(deps.db, input.target, input.guildId, before, {
        batchSize: input.batchSize,
        maxBatches: input.maxBatches,
        // Progress per batch, for whoever watches the run in the Web UI.
        onBatch: (removed) => Context.current().heartbeat({ target: input.target, removed }),
      });
      return { target: input.target, removed: deleted, capped: !done };
    },

    async maintenancePurgeBackups(input: {
      guildId: string;
      retentionDays: number;
      dryRun: boolean;
    }): Promise<PurgeOutcome> {
      if (input.dryRun) return { target: 'backups', removed: 0, capped: false, skipped: 'dry run' };
      const { removed } = await purgeExpiredBackups({
        dir: deps.backupDir,
        guildId: input.guildId,
        retentionDays: input.retentionDays,
        now: now(),
      });
      return { target: 'backups', removed, capped: false };
    },

    async maintenanceInspectGuild(guildId: string): Promise<GuildInspection> {
      const stats = await collectionStats(deps.db, guildId);
      const invalidCommands = await countInvalidCommands(deps.db, guildId, (checked) =>
        Context.current().heartbeat({ checked }),
      );
      const overdueWarnings = await countOverdueWarnings(deps.db, guildId, now());
      return { ...stats, invalidCommands, overdueWarnings };
    },
  });
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
