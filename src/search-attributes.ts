/**
 * The project's custom search attributes: they make pending deletions findable in
 * the Temporal Web UI by guild, creator and command. Registered on the local dev
 * server at start-up; on another cluster, register them once with
 * `temporal operator search-attribute create` (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

export const GUILD_ID = defineSearchAttributeKey('GuildId', SearchAttributeType.KEYWORD);
export const CREATOR_ID = defineSearchAttributeKey('CreatorId', SearchAttributeType.KEYWORD);
// A list: one grace workflow holds all the commands of one creator warned in one run.
export const COMMAND_NAMES = defineSearchAttributeKey('CommandNames', SearchAttributeType.KEYWORD_LIST);
export const BOT_TASK = defineSearchAttributeKey('BotTask', SearchAttributeType.KEYWORD);

export const customSearchAttributes = [GUILD_ID, CREATOR_ID, COMMAND_NAMES, BOT_TASK];

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` takes them. */
export function searchAttributeFlags(): string[] {
  return customSearchAttributes.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  ]);
}
