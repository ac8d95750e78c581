/**
 * The project's custom search attributes: they make pending deletions findable in
 * the Temporal Web UI by guild, creator and command. Registered on the local dev
 * server at start-up; on another cluster, register them once with
 * `temporal operator search-attribute create` (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

export const GUILD_ID = defineSearchAttributeKey('GuildId', SearchAttributeType.KEYWORD);
export const CREATOR_ID = defineSearchAttributeKey('CreatorId', SearchAttributeType.KEYWORD);
export const COMMAND_NAME = defineSearchAttributeKey('CommandName', SearchAttributeType.KEYWORD);
export const BOT_TASK = defineSearchAttributeKey('BotTask', SearchAttributeType.KEYWORD);

export const customSearchAttributes = [GUILD_ID, CREATOR_ID, COMMAND_NAME, BOT_TASK];

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` takes them. */
export function searchAttributeFlags(): string[] {
  return customSearchAttributes.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  ]);
}
