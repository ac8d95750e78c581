/**
 * The custom command cleanup's shared vocabulary. Everything here crosses workflow
 * boundaries (activity arguments and results, signals, queries), so it is plain
 * JSON: ids as strings, instants as epoch milliseconds. Command content never
 * appears here: it stays in MongoDB and is read by the activity that needs it.
 */

/** What a workflow knows of one command: enough to decide, nothing to leak. */
export interface CommandRef {
  /** The document's `_id` as a hex string. */
  id: string;
  name: string;
  /** `lastUsedAt` as read when the command was selected (epoch ms). */
  lastUsedAt: number;
  /** `updatedAt` as read when the command was selected (epoch ms). */
  updatedAt: number;
}

/** The commands of one creator selected together: one DM lists all of them. */
export interface CreatorBatch {
  creatorId: string;
  commands: CommandRef[];
}

/** Thresholds of one guild's cleanup, in milliseconds. */
export interface CleanupPolicy {
  /** Warn a command unused (and unedited) for this long. Default 60 days. */
  warnAfterMs: number;
  /** Delete only commands unused for at least this long at the moment of deletion. Default 90 days. */
  deleteAfterMs: number;
  /** Minimum time between the warning and the deletion. Default 30 days. */
  gracePeriodMs: number;
  /** Whether the grace period also runs out for creators who could not be warned by DM. Default true. */
  deleteWhenUndeliverable: boolean;
}

/** The warning recorded on a command (its `cleanup` field in MongoDB). */
export interface WarningRecord {
  warnedAt: number;
  /** Earliest deletion time: warnedAt + grace period. */
  deleteAfter: number;
  /** The cleanup run that warned (its workflow id): groups the warning and its deletion notice. */
  runKey: string;
  /** The grace workflow that will delete the command; signalled on use or edit. */
  graceWorkflowId: string;
}

/** Why a DM could not be delivered; permanent for the run, reported in the summary. */
export type UndeliverableReason =
  | 'dms-closed' // 50007, 50278: DMs closed or no mutual guild
  | 'unknown-user' // 10013
  | 'left-guild' // the creator is no longer a member
  | 'other'; // any other permanent error (kept short and secret-free)

export type DeliveryOutcome =
  | { status: 'sent'; messageIds: string[] }
  | { status: 'undeliverable'; reason: UndeliverableReason; detail?: string }
  /** The send itself failed beyond its retries (outage, revoked token): nothing is known to have reached the user. */
  | { status: 'failed'; detail?: string };

/** A failed delivery as the admin summary lists it. */
export interface FailedDelivery {
  creatorId: string;
  phase: 'warning' | 'deletion';
  reason: UndeliverableReason;
}

/** Failed deliveries listed by name in a run's result and summary; the rest are counted. */
export const MAX_LISTED_FAILURES = 100;

/** Counters of a cleanup run, also the `--json` result of `starter run`. */
export interface CleanupResult {
  guildId: string;
  dryRun: boolean;
  /** Creators who got (or, in a dry run, would get) a warning DM. */
  warnedCreators: number;
  warnedCommands: number;
  /** Commands deleted by grace workflows since the previous run's summary. */
  deletedCommands: number;
  /** DMs that could not be delivered in this run (warnings). */
  failedDeliveries: number;
  /** The first of them with their reasons (at most MAX_LISTED_FAILURES), for the summary. */
  failures: FailedDelivery[];
  /** Documents that break the data contract: skipped and counted, never fatal. */
  skippedInvalidDocuments: number;
  /** Admin summary status: posted, or why not (degraded run). */
  summary: {
    status: 'posted' | 'not-needed' | 'skipped-dry-run' | 'degraded';
    channelId?: string;
    reason?: string;
  };
  startedAt: number;
  finishedAt: number;
  /** `refused`: another run of the guild was in progress (named in `refusedBecause`); nothing was done. */
  status?: 'completed' | 'refused';
  refusedBecause?: string;
  /** Undeliverable DMs of this run by reason (the real totals; `failures` lists the first ones). */
  failuresByReason?: Partial<Record<UndeliverableReason | 'failed' | 'grace-not-started', number>>;
  /** What went wrong since the previous summary outside runs: deletions, deletion DMs. */
  incidents?: { total: number; listed: RunIncident[] };
  /** Warnings repaired at the start of the run. */
  reconciled?: { staleMarks: number; unwarned: number; overdue: number };
}

/** An incident as a run's result and summary list it. */
export interface RunIncident {
  kind: 'deletion-failed' | 'deletion-dm-failed' | 'grace-not-started';
  creatorId: string;
  commands: number;
  reason: string;
}
