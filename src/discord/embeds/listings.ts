/**
 * The plain-text listings attached when a notification's list does not fit its messages:
 * every warned command, every deleted command with its full content, every undeliverable
 * DM. A file is not markdown: text goes in unescaped, and Discord shows it as text, never
 * rendered. What could break the layout of a line (a name with a line break or padding,
 * outside the data contract) is shown JSON-quoted instead, so each entry stays one entry.
 *
 * No timestamps of their own: the same input gives the same bytes on every retry.
 */
import type { FailedDelivery } from '../../cleanup/model';
import type { DeletedCommand } from './deletion';
import { codePointLength } from './limits';
import { formatCount } from './text-files';
import type { WarningCommand } from './warning';

export interface Listing {
  header: string;
  entries: string[];
}

/** A name as the contract allows it reads as is; anything else JSON-quoted. */
export function listingName(name: string): string {
  return /^[\w-]+$/.test(name) ? name : JSON.stringify(name);
}

/** Free text (a guild name, a sentence) on one line: line breaks and other controls become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** `2025-07-01 03:00 UTC`: exact, and the same for every reader. */
export function utcDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown date';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function title(text: string): string {
  const line = oneLine(text);
  return `${line}\n${'='.repeat(Math.min(codePointLength(line), 80))}\n`;
}

/** Columns padded to the longest value (up to a bound, so one odd name does not widen every line). */
function columns(rows: string[][], maxWidth = 40): string[] {
  const widths = rows[0]!.map(() => 0);
  for (const row of rows) {
    row.forEach((cell, c) => (widths[c] = Math.min(maxWidth, Math.max(widths[c]!, codePointLength(cell)))));
  }
  return rows.map((row) =>
    row
      .map((cell, c) =>
        c === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths[c]! - codePointLength(cell))),
      )
      .join('   ')
      .trimEnd(),
  );
}

export function warningListing(guildName: string, commands: WarningCommand[]): Listing {
  const count = commands.length === 1 ? '1 command' : `${formatCount(commands.length)} commands`;
  const header = [
    title(`Custom commands of yours in ${guildName} that will be deleted unless used`),
    `${count}, by deletion date, then name. Use a command once before its deletion date and it`,
    'is kept (editing it works too).',
    '',
  ].join('\n');
  const rows = commands.map((c) => [
    listingName(c.name),
    `unused for ${c.daysUnused === 1 ? '1 day' : `${formatCount(c.daysUnused)} days`}`,
    `deleted on ${utcDateTime(c.deletionDate)}`,
  ]);
  return { header, entries: columns([['Command', 'Unused', 'Deletion date'], ...rows]) };
}

export function deletionListing(
  guildName: string,
  commands: DeletedCommand[],
  policySentence: string,
): Listing {
  const count = commands.length === 1 ? '1 command' : `${formatCount(commands.length)} commands`;
  const header = [
    title(`Custom commands of yours deleted from ${guildName}`),
    oneLine(policySentence),
    '',
    `${count}, by name, each with its final statistics and its full content exactly as it was:`,
    'the content starts on the line after BEGIN CONTENT and ends before the line break that',
    'precedes END CONTENT. To recreate a command, create it again in the server with the same',
    'name and that content; a server admin can also restore it from the archive.',
    '',
  ].join('\n');
  return { header, entries: commands.map(deletedEntry) };
}

function deletedEntry(command: DeletedCommand): string {
  const [begin, end] = contentMarkers(command.content);
  return [
    '-'.repeat(72),
    `Command:   ${listingName(command.name)}`,
    `Uses:      ${formatCount(command.useCount)}`,
    `Created:   ${utcDateTime(command.createdAt)}`,
    `Last used: ${command.useCount > 0 ? utcDateTime(command.lastUsedAt) : 'never'}`,
    `Content:   ${formatCount(codePointLength(command.content))} characters`,
    begin,
    command.content,
    end,
    '',
  ].join('\n');
}

/**
 * BEGIN/END lines that cannot be mistaken for a line of the content: the markers grow
 * until the content holds no line equal to the END marker.
 */
function contentMarkers(content: string): [string, string] {
  const lines = new Set(content.split(/\r?\n/));
  let dashes = '-----';
  while (lines.has(`${dashes} END CONTENT ${dashes}`)) dashes += '-';
  return [`${dashes} BEGIN CONTENT ${dashes}`, `${dashes} END CONTENT ${dashes}`];
}

export function undeliverableListing(
  guildName: string,
  failures: FailedDelivery[],
  reasonLabel: (failure: FailedDelivery) => string,
): Listing {
  const count = failures.length === 1 ? '1 DM' : `${formatCount(failures.length)} DMs`;
  const header = [
    title(`Undeliverable DMs of the custom command cleanup in ${guildName}`),
    `${count} could not be delivered, by phase, reason, then user id.`,
    '',
  ].join('\n');
  const rows = failures.map((f) => [
    /^\d+$/.test(f.creatorId) ? f.creatorId : JSON.stringify(f.creatorId),
    `${f.phase} DM`,
    reasonLabel(f),
  ]);
  return { header, entries: columns([['User id', 'DM', 'Reason'], ...rows]) };
}
