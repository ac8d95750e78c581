// Unit tests (property style) of the warning DM: at most three messages within Discord's
// limits whatever the data, every command listed (in the embeds, or all of them in the
// attached commands.txt when they do not fit), user text escaped, small inputs unchanged.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EmbedColor,
  WARNING_TITLE,
  buildWarningMessages,
  MAX_MESSAGES_PER_NOTIFICATION,
} from '../../src/discord/embeds';
import { escapeText, formatCommandName } from '../../src/discord/embeds/escape';
import { listingName } from '../../src/discord/embeds/listings';
import { warningCommands } from './embed-data';
import { smallCases } from './fixtures/small-notifications';
import {
  embedsOf,
  expectAllValid,
  fileText,
  filesOf,
  firstColumn,
  listingRows,
  textOf,
} from './notification-helpers';

const lines = (text: string) => text.match(/^• /gm)?.length ?? 0;

describe('warning messages (unit)', () => {
  it.each([0, 1, 24, 25, 26, 200, 1000])('fit every limit and list all %i commands', (count) => {
    const commands = warningCommands(count);
    const messages = buildWarningMessages({ guildName: 'Guild **One**', commands });
    if (count === 0) {
      expect(messages).toEqual([]);
      return;
    }
    expectAllValid(messages);
    const text = textOf(messages);
    const shown = lines(text);
    if (filesOf(messages).length === 0) {
      // Every command line in the embeds, exactly once: none dropped, none repeated.
      expect(shown).toBe(count);
      for (const command of commands) expect(text).toContain(formatCommandName(command.name));
    } else {
      expect(text).toContain(
        `… and ${(count - shown).toLocaleString('en-US')} more: every command is listed`,
      );
      const names = listingRows(fileText(messages), 'Command ').map(firstColumn);
      expect(names.sort()).toEqual(commands.map((c) => c.name).sort());
    }
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.warning);
    expect(messages[0]!.embeds![0]!.title).toBe(WARNING_TITLE);
    const fieldNames = embedsOf(messages).flatMap((e) => (e.fields ?? []).map((f) => f.name));
    expect(fieldNames.filter((n) => n === 'How to keep a command')).toHaveLength(1);
    expect(fieldNames.filter((n) => n === 'Manage your commands')).toHaveLength(1);
    expect(text).toContain('/cc-mine');
  });

  it('a creator with 20,000 commands: three valid messages, the file lists all 20,000 names', () => {
    const commands = warningCommands(20_000);
    const messages = buildWarningMessages({ guildName: 'Guild', commands });
    expect(messages).toHaveLength(MAX_MESSAGES_PER_NOTIFICATION);
    expectAllValid(messages);
    const [file, ...others] = filesOf(messages);
    expect(others).toEqual([]);
    expect(file!.name).toBe('commands.txt');

    const shown = lines(textOf(messages));
    expect(shown).toBeGreaterThan(100); // the embeds are used, not left empty
    const last = messages
      .at(-1)!
      .embeds!.flatMap((e) => [e.description ?? ''])
      .join('\n');
    expect(last).toContain(
      `… and ${(20_000 - shown).toLocaleString('en-US')} more: every command is listed, with its days unused and deletion date, in the attached file commands.txt.`,
    );

    const rows = listingRows(fileText(messages), 'Command ');
    expect(rows).toHaveLength(20_000);
    expect(rows.map(firstColumn).sort()).toEqual(commands.map((c) => c.name).sort());
    // In the order of the embeds: by deletion date, then name.
    const sorted = [...commands].sort(
      (a, b) => a.deletionDate.getTime() - b.deletionDate.getTime() || a.name.localeCompare(b.name),
    );
    expect(rows.map(firstColumn)).toEqual(sorted.map((c) => c.name));
  });

  it('writes each line of the file as "name   unused for N days   deleted on <UTC time>"', () => {
    const commands = Array.from({ length: 400 }, (_, i) => ({
      name: `command-${String(i).padStart(3, '0')}`,
      daysUnused: 60 + i,
      deletionDate: new Date('2025-07-01T03:00:00Z'),
    }));
    commands.push({ name: 'two\nlines', daysUnused: 1234, deletionDate: new Date('2025-07-02T00:00:00Z') });
    const messages = buildWarningMessages({ guildName: 'The\nGuild', commands });
    expectAllValid(messages);
    const text = fileText(messages);
    expect(text.startsWith('Custom commands of yours in The Guild that will be deleted unless used\n')).toBe(
      true,
    );
    expect(text).toContain('401 commands, by deletion date, then name.');
    expect(text).toMatch(/^command-000 {3,}unused for 60 days {3,}deleted on 2025-07-01 03:00 UTC$/m);
    // Outside the contract: one line still, the name JSON-quoted; no markdown escaping in a file.
    expect(text).toContain(
      `${listingName('two\nlines')}   unused for 1,234 days   deleted on 2025-07-02 00:00 UTC`,
    );
    expect(listingName('**x**')).toBe('"**x**"');
  });

  it.each(smallCases.warning.map((c, i) => [i, c] as const))(
    'leaves small warnings as they were, without files (case %i)',
    (_, { input, messages: count, sha256 }) => {
      const messages = buildWarningMessages(input);
      expect(messages).toHaveLength(count);
      expect(filesOf(messages)).toEqual([]);
      expect(messages.every((m) => !('files' in m))).toBe(true);
      expect(createHash('sha256').update(JSON.stringify(messages)).digest('hex')).toBe(sha256);
    },
  );

  it('says when, with a Discord timestamp and the plain date, and escapes the guild name', () => {
    const deletionDate = new Date('2025-07-01T03:00:00Z');
    const [message] = buildWarningMessages({
      guildName: '__The *Guild*__',
      commands: [{ name: 'hello', daysUnused: 61, deletionDate }],
    });
    const embed = message!.embeds![0]!;
    const unix = deletionDate.getTime() / 1000;
    expect(embed.description).toContain(`will be deleted on <t:${unix}:D> (2025-07-01) unless used`);
    expect(embed.description).toContain(
      `• \`hello\` — unused for 61 days, deleted on <t:${unix}:D> (2025-07-01)`,
    );
    expect(embed.description).toContain('\\_\\_The \\*Guild\\*\\_\\_');
    expect(embed.description).toMatch(/^Your custom command in /);
  });

  it('says "from <first date> on" when the commands have different deletion dates', () => {
    const [message] = buildWarningMessages({
      guildName: 'G',
      commands: [
        { name: 'late', daysUnused: 61, deletionDate: new Date('2025-07-03T00:00:00Z') },
        { name: 'early', daysUnused: 70, deletionDate: new Date('2025-07-01T00:00:00Z') },
      ],
    });
    const description = message!.embeds![0]!.description!;
    expect(description).toContain('from <t:1751328000:D> (2025-07-01) on, each on the date shown');
    expect(description.indexOf('`early`')).toBeLessThan(description.indexOf('`late`'));
  });

  it('escapes names that break the contract instead of letting them format', () => {
    const name = '**boom** `x` ||spoiler||';
    const text = textOf(
      buildWarningMessages({
        guildName: 'G',
        commands: [{ name, daysUnused: 60, deletionDate: new Date() }],
      }),
    );
    expect(text).toContain(escapeText(name));
    expect(text).not.toContain(name);
  });

  it('survives absurd data: a 5000-character name, invalid dates, a huge guild name', () => {
    const messages = buildWarningMessages({
      guildName: 'G'.repeat(5000),
      commands: [
        { name: '*'.repeat(5000), daysUnused: 1e9, deletionDate: new Date(Number.NaN) },
        { name: 'ok', daysUnused: 60, deletionDate: new Date(Number.NaN) },
      ],
    });
    expectAllValid(messages);
    expect(textOf(messages)).toContain('an unknown date');
  });
});
