/** The search attributes every task's runs carry, so the Web UI filters them by task and guild. */
import type { SearchAttributePair } from '@temporalio/common';
import { BOT_TASK, GUILD_ID } from '../search-attributes';

export function taskSearchAttributes(task: string, guildId: string): SearchAttributePair[] {
  return [
    { key: GUILD_ID, value: guildId },
    { key: BOT_TASK, value: task },
  ];
}

/** `<task>:<guildId>`: a task's schedule id, as the cleanup's has always been. */
export const taskScheduleId = (task: string) => (guildId: string) => `${task}:${guildId}`;

/** `<task>:<guildId>:manual-<time>`: a run started by hand, told apart from scheduled ones. */
export const taskManualWorkflowId = (task: string) => (guildId: string, at: Date) =>
  `${task}:${guildId}:manual-${at.toISOString()}`;

/**
 * What every per-guild task shares: its name, ids, search attributes, and the Web UI
 * summary `<title> of guild <id>` (marked when a dry run).
 */
export function perGuildTask(name: string, title: string) {
  return {
    name,
    scheduleId: taskScheduleId(name),
    manualWorkflowId: taskManualWorkflowId(name),
    searchAttributes: (guildId: string) => taskSearchAttributes(name, guildId),
    summary: (guildId: string, { dryRun }: { dryRun: boolean }) =>
      `${title} of guild ${guildId}${dryRun ? ' (dry run)' : ''}`,
  };
}
