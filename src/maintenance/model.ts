/** The database maintenance's run, as the workflow, the activities, the CLI and the admin embed see it. */
import type { IndexCheck } from '../db/index-check';
import type { CollectionStats } from '../db/collection-stats';

export type { IndexCheck, IndexRef } from '../db/index-check';
export type { CollectionStats } from '../db/collection-stats';

/** What one retention purge removed (or, in a dry run, would remove). */
export interface PurgeOutcome {
  /** A collection name, or `backups`. */
  target: string;
  removed: number;
  /** The run's batch cap stopped it with more left: the next run continues. */
  capped: boolean;
  /** Why it did not run (a dry run does not list backup files). */
  skipped?: string;
}

/** The guild's data as found: statistics, and what breaks the data contract. */
export interface GuildInspection {
  collections: CollectionStats[];
  /** Why sizes are missing, when the database would not tell them. */
  sizesUnavailable?: string;
  /** Commands of the guild that break the data contract (the cleanup skips them). */
  invalidCommands: number;
  /** Warned commands more than a day past their deletion deadline: their grace period is not running. */
  overdueWarnings: number;
}

export type MaintenanceReport =
  | { status: 'not-needed' }
  | { status: 'posted'; channelId: string }
  | { status: 'skipped' | 'failed'; reason: string };

export interface MaintenanceResult {
  guildId: string;
  dryRun: boolean;
  startedAt: number;
  finishedAt: number;
  indexes: IndexCheck;
  purges: PurgeOutcome[];
  inspection: GuildInspection;
  adminReport: MaintenanceReport;
}
