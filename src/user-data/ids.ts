/** Business keys of the user-data workflows: ids, search attributes and summaries for the Web UI. */
import type { SearchAttributePair } from '@temporalio/common';
import { BOT_TASK, CREATOR_ID, GUILD_ID } from '../search-attributes';

export const USER_DATA_EXPORT = 'user-data-export';
export const USER_DATA_ERASE = 'user-data-erase';
export type UserDataTask = typeof USER_DATA_EXPORT | typeof USER_DATA_ERASE;

/** `<task>:<userId>:<guildId|all>:<time>`: one request, found by user in the Web UI. */
export function userDataWorkflowId(task: UserDataTask, userId: string, guildId: string | null, at: Date) {
  return `${task}:${userId}:${guildId ?? 'all'}:${at.toISOString()}`;
}

export function userDataSearchAttributes(
  task: UserDataTask,
  userId: string,
  guildId: string | null,
): SearchAttributePair[] {
  return [
    { key: BOT_TASK, value: task },
    { key: CREATOR_ID, value: userId },
    ...(guildId ? [{ key: GUILD_ID, value: guildId }] : []),
  ];
}

export function userDataSummary(task: UserDataTask, userId: string, guildId: string | null, dryRun = false) {
  const what = task === USER_DATA_EXPORT ? 'Export' : 'Erase';
  return `${what} the data of user ${userId} in ${guildId ? `guild ${guildId}` : 'every guild'}${dryRun ? ' (dry run)' : ''}`;
}
