/**
 * The cleanup policy as plain functions (no I/O): who is at risk, when a deletion
 * may happen, and the deterministic keys that make every step idempotent. Used by
 * workflows, activities and the starter alike.
 */
import type { CleanupPolicy, CommandRef } from './model';
import { DAY_MS } from '../duration';

export const DEFAULT_POLICY: CleanupPolicy = {
  warnAfterMs: 60 * DAY_MS,
  deleteAfterMs: 90 * DAY_MS,
  gracePeriodMs: 30 * DAY_MS,
  deleteWhenUndeliverable: true,
};

/** A command is idle since its last use or edit, whichever is later. */
export function lastActivity(command: CommandRef): number {
  return Math.max(command.lastUsedAt, command.updatedAt);
}

/** Commands whose last activity is at or before this instant are due a warning. */
export function warnCutoff(now: number, policy: CleanupPolicy): number {
  return now - policy.warnAfterMs;
}

/** At the moment of deletion, the last activity must be at or before this instant. */
export function deleteCutoff(now: number, policy: CleanupPolicy): number {
  return now - policy.deleteAfterMs;
}

/**
 * The earliest instant a warned command may be deleted: the grace period after the
 * warning, and never before the delete threshold of inactivity: on a first run over old
 * data, a command idle for years is still warned first and deleted a grace period later.
 */
export function deletionDeadline(command: CommandRef, warnedAt: number, policy: CleanupPolicy): number {
  return Math.max(warnedAt + policy.gracePeriodMs, lastActivity(command) + policy.deleteAfterMs);
}

/** One deadline for the commands warned together: the latest of theirs, so none is early. */
export function batchDeadline(commands: CommandRef[], warnedAt: number, policy: CleanupPolicy): number {
  return Math.max(
    warnedAt + policy.gracePeriodMs,
    ...commands.map((c) => deletionDeadline(c, warnedAt, policy)),
  );
}

/** The same deadline from each command's last activity alone (commands read from the database). */
export function batchDeadlineOf(
  commands: { lastActivity: number }[],
  warnedAt: number,
  policy: CleanupPolicy,
): number {
  let latest = warnedAt + policy.gracePeriodMs;
  for (const c of commands) latest = Math.max(latest, c.lastActivity + policy.deleteAfterMs);
  return latest;
}

// --- Business keys: workflow ids, schedule ids, notification keys ---------------------

export const CLEANUP_TASK = 'custom-command-cleanup';
export const GRACE_TASK = 'custom-command-grace';

/** The schedule of one guild's daily cleanup; its runs get `<scheduleId>-<scheduled time>` as workflow id. */
export function cleanupScheduleId(guildId: string): string {
  return `${CLEANUP_TASK}:${guildId}`;
}

/** The run's own part of its workflow id (the scheduled or manual time), for child ids. */
export function runStamp(runKey: string, guildId: string): string {
  const prefix = cleanupScheduleId(guildId);
  return runKey.startsWith(prefix) ? runKey.slice(prefix.length).replace(/^[-:]+/, '') || 'run' : runKey;
}

export function graceWorkflowId(guildId: string, creatorId: string, runKey: string): string {
  return `${GRACE_TASK}:${guildId}:${creatorId}:${runStamp(runKey, guildId)}`;
}

export type NotificationPhase = 'warning' | 'deletion' | 'summary';

/** One key per (guild, recipient, phase, run): the notification log and the Discord nonce derive from it. */
export function notificationKey(
  guildId: string,
  recipientId: string,
  phase: NotificationPhase,
  runKey: string,
): string {
  return `${guildId}:${recipientId}:${phase}:${runKey}`;
}
