/**
 * The deletion DM: which commands were deleted, their final statistics, and their full
 * content, so the creator can recreate any of them (the original only listed names).
 * A content of up to 2000 characters may take most of an embed, so each command is one
 * segment (statistics + code block) and the composer packs them; a content too long even
 * for a whole embed is cut over numbered parts, each in its own code block.
 */
import type { MessagePayload } from '../contract';
import { EmbedColor, FOOTER } from './colors';
import {
  FENCE_OVERHEAD,
  fence,
  formatCommandName,
  formatDate,
  formatGuildName,
  neutraliseBackticks,
  plural,
} from './escape';
import { Limits } from './limits';
import { EmbedComposer, splitText } from './split';

export interface DeletedCommand {
  name: string;
  content: string;
  useCount: number;
  createdAt: Date;
  lastUsedAt: Date;
}

export interface DeletionInput {
  guildName: string;
  commands: DeletedCommand[];
  /** The cleanup policy in one sentence, e.g. "Commands unused for 90 days are deleted 30 days after a warning." */
  policySentence: string;
  /** How to recreate a command; defaults to a hint naming `/cc-create`. */
  recreateHint?: string;
}

export const DELETION_TITLE = '🗑️ Custom Commands Deleted';

export const DEFAULT_RECREATE_HINT =
  'Create it again in the server with `/cc-create`, using the same name and the content shown above. A server admin can also restore it from the archive.';

/** No commands, no notice: returns an empty list. */
export function buildDeletionMessages(input: DeletionInput): MessagePayload[] {
  if (input.commands.length === 0) return [];
  const commands = [...input.commands].sort((a, b) => a.name.localeCompare(b.name));

  const composer = new EmbedComposer({
    color: EmbedColor.deletion,
    title: DELETION_TITLE,
    continuationTitle: `${DELETION_TITLE} (continued)`,
    footer: FOOTER,
  });

  const what = commands.length === 1 ? 'This custom command' : `These ${commands.length} custom commands`;
  composer.addText(
    `${what} of yours in ${formatGuildName(input.guildName)} ${commands.length === 1 ? 'was' : 'were'} deleted because ${commands.length === 1 ? 'it was' : 'they were'} not used. ${input.policySentence.trim()}`,
  );
  composer.addText('Each command is listed with its final statistics and its full content.', '\n\n');
  for (const command of commands) {
    for (const segment of commandSegments(command)) composer.addText(segment, '\n\n');
  }
  composer.addField('How to recreate a command', input.recreateHint ?? DEFAULT_RECREATE_HINT);
  return composer.finish();
}

function statistics(command: DeletedCommand): string {
  const lastUsed = command.useCount > 0 ? formatDate(command.lastUsedAt) : 'never';
  return `${formatCommandName(command.name)} — ${plural(command.useCount, 'use')} · created ${formatDate(command.createdAt)} · last used ${lastUsed}`;
}

/** One segment when statistics and content fit one description, else statistics then numbered parts. */
function commandSegments(command: DeletedCommand): string[] {
  const header = statistics(command);
  const body = neutraliseBackticks(command.content);
  const whole = `${header}\n${fence(body)}`;
  if (whole.length <= Limits.description) return [whole];

  // Statistics and content apart: the content then gets a whole description to itself.
  const alone = fence(body);
  if (alone.length <= Limits.description) return [header, alone];

  // Longer than any description (only a document breaking the 2000-character contract):
  // numbered parts. A name past ~100 characters breaks the contract too; labels then omit it.
  const label = command.name.length <= 100 ? formatCommandName(command.name) : 'this command';
  const partLabel = (i: number, n: number) => `Content of ${label}, part ${i} of ${n}:`;
  const labelRoom = partLabel(999, 999).length + 1;
  const parts = splitText(body, Limits.description - FENCE_OVERHEAD - labelRoom, true);
  return [header, ...parts.map((part, i) => `${partLabel(i + 1, parts.length)}\n${fence(part)}`)];
}
