/**
 * The deletion DM: which commands were deleted, their final statistics, and their full
 * content, so the creator can recreate any of them: the names alone would not be enough.
 * A content of up to 2000 characters may take most of an embed, so each command is one
 * segment (statistics + code block) and the composer packs them; a content too long even
 * for a whole embed is cut over numbered parts, each in its own code block.
 * When the commands do not fit in three messages, the first ones are shown and every one,
 * with its full content, is in an attached `deleted-commands.txt`.
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
import { STOP_AT_MESSAGES, fitNotification, type Overflow } from './fit';
import { Limits } from './limits';
import { deletionListing } from './listings';
import { EmbedComposer, splitText } from './split';
import { attachedFilesPhrase, formatCount, writeTextFiles } from './text-files';

export interface DeletedCommand {
  name: string;
  content: string;
  useCount: number;
  createdAt: Date;
  lastUsedAt: Date;
}

export interface DeletionMessageInput {
  guildName: string;
  commands: DeletedCommand[];
  /** The cleanup policy in one sentence, e.g. "Commands unused for 90 days are deleted 30 days after a warning." */
  policySentence: string;
}

export const DELETION_TITLE = '🗑️ Custom Commands Deleted';
/** Base name of the attached list: `deleted-commands.txt`, or `deleted-commands-1.txt`... */
export const DELETION_FILE_BASE = 'deleted-commands';

export const RECREATE_HINT =
  'Create it again in the server with `/cc-create`, using the same name and the content shown above. A server admin can also restore it from the archive.';
/** The same, when some contents are only in the attached file. */
export const RECREATE_HINT_WITH_FILE =
  'Create it again in the server with `/cc-create`, using the same name and the content shown above or in the attached file. A server admin can also restore it from the archive.';

/** No commands, no notice: returns an empty list. */
export function buildDeletionMessages(input: DeletionMessageInput): MessagePayload[] {
  if (input.commands.length === 0) return [];
  const commands = [...input.commands].sort((a, b) => a.name.localeCompare(b.name));
  return fitNotification({
    total: commands.length,
    compose: (shown, overflow) => compose(input, commands, shown, overflow),
    files: () => {
      const listing = deletionListing(input.guildName, commands, input.policySentence);
      return writeTextFiles(DELETION_FILE_BASE, listing.header, listing.entries, {
        omittedNote: (n) =>
          `… ${formatCount(n)} more deleted commands did not fit in the files of one message: a server admin can restore any of them from the archive.`,
      });
    },
  });
}

function compose(
  input: DeletionMessageInput,
  commands: DeletedCommand[],
  shown: number,
  overflow: Overflow | null,
): MessagePayload[] {
  const composer = new EmbedComposer({
    color: EmbedColor.deletion,
    title: DELETION_TITLE,
    continuationTitle: `${DELETION_TITLE} (continued)`,
    footer: FOOTER,
    stopAtMessages: STOP_AT_MESSAGES,
  });

  const what = commands.length === 1 ? 'This custom command' : `These ${commands.length} custom commands`;
  composer.addText(
    `${what} of yours in ${formatGuildName(input.guildName)} ${commands.length === 1 ? 'was' : 'were'} deleted because ${commands.length === 1 ? 'it was' : 'they were'} not used. ${input.policySentence.trim()}`,
  );
  composer.addText('Each command is listed with its final statistics and its full content.', '\n\n');
  for (const command of commands.slice(0, shown)) {
    for (const segment of commandSegments(command)) composer.addText(segment, '\n\n');
  }
  if (overflow) composer.addText(overflowLine(overflow), '\n\n');
  const hint = overflow ? RECREATE_HINT_WITH_FILE : RECREATE_HINT;
  composer.addField('How to recreate a command', hint);
  return composer.finish();
}

/** Says how many more there are and where their content is; never a silent cut. */
function overflowLine({ hidden, files }: Overflow): string {
  const where = attachedFilesPhrase(files.files);
  const missing =
    files.omitted > 0
      ? ` (all but the last ${formatCount(files.omitted)}, too many for one message: a server admin can restore those from the archive)`
      : '';
  return `… and ${formatCount(hidden)} more: every deleted command is listed, with its statistics and its full content exactly as it was, in ${where}${missing}.`;
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
