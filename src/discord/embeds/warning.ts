/**
 * The warning DM: which of the creator's commands will be deleted, when exactly, and how to
 * keep them. Every command is listed (a creator must be able to see what will be lost),
 * each with its own deletion date: in the embeds when they fit in three messages, else the
 * first ones there and all of them in an attached `commands.txt`.
 */
import type { MessagePayload } from '../contract';
import { EmbedColor, FOOTER } from './colors';
import { formatCommandName, formatDate, formatGuildName, plural } from './escape';
import { STOP_AT_MESSAGES, fitNotification, type Overflow } from './fit';
import { warningListing } from './listings';
import { EmbedComposer } from './split';
import { attachedFilesPhrase, formatCount, writeTextFiles } from './text-files';
import { DAY_MS } from '../../duration';

export interface WarningCommand {
  name: string;
  daysUnused: number;
  deletionDate: Date;
}

export interface WarningInput {
  guildName: string;
  commands: WarningCommand[];
}

export const WARNING_TITLE = '⚠️ Custom Command Cleanup Warning';
/** Base name of the attached list: `commands.txt`, or `commands-1.txt`... */
export const WARNING_FILE_BASE = 'commands';

export const KEEP_HINT =
  'Use a command once before its deletion date and it is kept: its inactivity clock starts again and this warning no longer applies to it. Editing it works too.';
export const MANAGE_HINT =
  'Run `/cc-mine` in the server to see all your custom commands, edit them, or delete the ones you no longer need.';

/** No commands, no warning: returns an empty list. */
export function buildWarningMessages(input: WarningInput): MessagePayload[] {
  if (input.commands.length === 0) return [];
  const commands = [...input.commands].sort(
    (a, b) => a.deletionDate.getTime() - b.deletionDate.getTime() || a.name.localeCompare(b.name),
  );
  return fitNotification({
    total: commands.length,
    compose: (shown, overflow) => compose(input, commands, shown, overflow),
    files: () => {
      const listing = warningListing(input.guildName, commands);
      return writeTextFiles(WARNING_FILE_BASE, listing.header, listing.entries, {
        omittedNote: (n) => `… ${formatCount(n)} more commands did not fit in the files of one message.`,
      });
    },
  });
}

function compose(
  input: WarningInput,
  commands: WarningCommand[],
  shown: number,
  overflow: Overflow | null,
): MessagePayload[] {
  const composer = new EmbedComposer({
    color: EmbedColor.warning,
    title: WARNING_TITLE,
    continuationTitle: `${WARNING_TITLE} (continued)`,
    footer: FOOTER,
    stopAtMessages: STOP_AT_MESSAGES,
  });

  composer.addText(introduction(input.guildName, commands));
  commands.slice(0, shown).forEach((command, i) => {
    composer.addText(
      `• ${formatCommandName(command.name)} — unused for ${plural(command.daysUnused, 'day')}, deleted on ${formatDate(command.deletionDate)}`,
      i === 0 ? '\n\n' : '\n',
    );
  });
  if (overflow) composer.addText(overflowLine(overflow), shown === 0 ? '\n\n' : '\n');
  composer.addField('How to keep a command', KEEP_HINT);
  composer.addField('Manage your commands', MANAGE_HINT);
  return composer.finish();
}

/** Says how many more there are and where they all are; never a silent cut. */
function overflowLine({ hidden, files }: Overflow): string {
  const where = attachedFilesPhrase(files.files);
  const missing =
    files.omitted > 0
      ? ` (all but the last ${formatCount(files.omitted)}, too many for one message: run \`/cc-mine\` in the server to see them)`
      : '';
  return `… and ${formatCount(hidden)} more: every command is listed, with its days unused and deletion date, in ${where}${missing}.`;
}

function introduction(guildName: string, commands: WarningCommand[]): string {
  const first = commands[0]!.deletionDate;
  const sameDate = commands.every((c) => sameDay(c.deletionDate, first));
  const count = commands.length === 1 ? 'Your custom command' : `Your ${commands.length} custom commands`;
  const verb = commands.length === 1 ? 'has' : 'have';
  const when = sameDate ? `on ${formatDate(first)}` : `from ${formatDate(first)} on, each on the date shown`;
  return `${count} in ${formatGuildName(guildName)} ${verb} not been used for a long time and will be deleted ${when} unless used before then:`;
}

function sameDay(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / DAY_MS) === Math.floor(b.getTime() / DAY_MS);
}
