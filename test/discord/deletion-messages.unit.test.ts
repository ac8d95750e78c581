// Unit tests (property style) of the deletion DM: at most three messages within Discord's
// limits, every deleted command's content kept whole (in a code block, or byte for byte in
// the attached deleted-commands.txt when they do not fit), small inputs unchanged.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DELETION_TITLE,
  EmbedColor,
  MAX_FILE_BYTES,
  MAX_MESSAGES_PER_NOTIFICATION,
  buildDeletionMessages,
  type DeletedCommand,
} from '../../src/discord/embeds';
import { formatCommandName } from '../../src/discord/embeds/escape';
import { deletedCommands, nastyText, seededRandom } from './embed-data';
import { smallCases } from './fixtures/small-notifications';
import {
  codeBlocks,
  deletedContents,
  embedsOf,
  expectAllValid,
  expectOnlyOurFences,
  fileText,
  filesOf,
  textOf,
} from './notification-helpers';

const policySentence =
  'Custom commands unused for 60 days get a warning, and are deleted 30 days later if still unused.';
const input = (count: number, contentLength = 2000) => ({
  guildName: 'Guild',
  commands: deletedCommands(count, count, contentLength),
  policySentence,
});
const byName = (commands: DeletedCommand[]) => [...commands].sort((a, b) => a.name.localeCompare(b.name));

/** Every command's content, byte for byte, in exactly one file, between its markers. */
function expectEveryContentInFiles(
  messages: ReturnType<typeof buildDeletionMessages>,
  commands: DeletedCommand[],
) {
  const files = filesOf(messages);
  const contents = deletedContents(fileText(messages));
  expect(contents.size).toBe(commands.length);
  for (const command of commands) {
    expect(contents.get(command.name)).toBe(command.content);
    const bytes = Buffer.from(`\n${command.content}\n`, 'utf8');
    expect(files.filter((f) => f.data.includes(bytes))).toHaveLength(1);
  }
}

describe('deletion messages (unit)', () => {
  it.each([0, 1, 24, 25, 26, 200, 1000])('fit every limit with %i commands of nasty content', (count) => {
    const data = input(count, count === 1000 ? 120 : 2000);
    const messages = buildDeletionMessages(data);
    if (count === 0) {
      expect(messages).toEqual([]);
      return;
    }
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    const text = textOf(messages);
    // The commands shown are the first by name, each with its content whole.
    const shown = codeBlocks(messages).length;
    expect(codeBlocks(messages).join('')).toBe(
      byName(data.commands)
        .slice(0, shown)
        .map((c) => c.content)
        .join(''),
    );
    if (shown < count) {
      expect(text).toContain(`… and ${count - shown} more: every deleted command is listed`);
      expectEveryContentInFiles(messages, data.commands);
    } else {
      for (const command of data.commands) expect(text).toContain(formatCommandName(command.name));
      expect(filesOf(messages)).toEqual([]);
    }
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.deletion);
    expect(messages[0]!.embeds![0]!.title).toBe(DELETION_TITLE);
    expect(text).toContain(data.policySentence);
    expect(text).toContain('How to recreate a command');
  });

  it('300 commands of 2,000 characters: three messages, every content in the file byte for byte', () => {
    const data = input(300);
    const messages = buildDeletionMessages(data);
    expect(messages).toHaveLength(MAX_MESSAGES_PER_NOTIFICATION);
    expectAllValid(messages);
    expect(filesOf(messages).map((f) => f.name)).toEqual(['deleted-commands.txt']);
    expectEveryContentInFiles(messages, data.commands);
    const text = fileText(messages);
    expect(text).toContain(policySentence);
    // Statistics of each, in name order.
    const names = [...text.matchAll(/^Command: {3}(.*)$/gm)].map((m) => m[1]);
    expect(names).toHaveLength(300);
    const first = byName(data.commands)[0]!;
    expect(text).toContain(
      `Uses:      ${first.useCount.toLocaleString('en-US')}\nCreated:   ${first.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    );
    expect(textOf(messages)).toContain('the content shown above or in the attached file');
  });

  it('splits a list past 8 MiB into deleted-commands-1.txt, -2.txt..., never cutting a content', () => {
    // 1,500 contents of 2,000 three-byte characters: 9 MB of content.
    const random = seededRandom(11);
    const commands = Array.from({ length: 1500 }, (_, i) => ({
      name: `cmd_${String(i).padStart(4, '0')}`,
      content: `#${i}\n${Array.from({ length: 1990 }, () => '€ह✓'[Math.floor(random() * 3)]).join('')}`,
      useCount: i,
      createdAt: new Date(Date.UTC(2023, 0, 1)),
      lastUsedAt: new Date(Date.UTC(2024, 0, 1)),
    }));
    const messages = buildDeletionMessages({ guildName: 'G', policySentence, commands });
    expectAllValid(messages);
    const files = filesOf(messages);
    expect(files.map((f) => f.name)).toEqual(['deleted-commands-1.txt', 'deleted-commands-2.txt']);
    expect(files[0]!.data.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
    expect(files[0]!.data.length).toBeGreaterThan(MAX_FILE_BYTES - 10_000);
    expect(files[1]!.data.toString('utf8')).toMatch(
      /^\(Part 2 of 2, continued from deleted-commands-1\.txt\.\)/,
    );
    expectEveryContentInFiles(messages, commands);
    expect(textOf(messages)).toContain(
      'in the attached files deleted-commands-1.txt and deleted-commands-2.txt.',
    );
  });

  it.each(smallCases.deletion.map((c, i) => [i, c] as const))(
    'leaves small deletions as they were, without files (case %i)',
    (_, { input: small, messages: count, sha256 }) => {
      const messages = buildDeletionMessages(small);
      expect(messages).toHaveLength(count);
      expect(messages.every((m) => !('files' in m))).toBe(true);
      expect(createHash('sha256').update(JSON.stringify(messages)).digest('hex')).toBe(sha256);
    },
  );

  it('keeps every content whole and recoverable, in name order', () => {
    for (const contentLength of [1, 100, 1999, 2000]) {
      const data = input(30, contentLength);
      const messages = buildDeletionMessages(data);
      expectAllValid(messages);
      const all = [...codeBlocks(messages)];
      const sorted = byName(data.commands);
      expect(all.join('')).toBe(
        sorted
          .slice(0, all.length)
          .map((c) => c.content)
          .join(''),
      );
      if (all.length < 30) expectEveryContentInFiles(messages, data.commands);
    }
  });

  it('neutralises backticks: a content of 2000 backticks stays inside its block', () => {
    const content = '`'.repeat(2000);
    const messages = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [{ name: 'ticks', content, useCount: 1, createdAt: new Date(0), lastUsedAt: new Date(0) }],
    });
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    expect(codeBlocks(messages).join('')).toBe(content);
  });

  it('keeps a content that holds the END line apart from it in the file', () => {
    const tricky = 'a\n----- END CONTENT -----\nb';
    const commands = deletedCommands(40, 40, 1500);
    commands[0] = { ...commands[0]!, name: 'aaa-tricky', content: tricky };
    const messages = buildDeletionMessages({ guildName: 'G', policySentence, commands });
    expectAllValid(messages);
    expect(fileText(messages)).toContain(`------ BEGIN CONTENT ------\n${tricky}\n------ END CONTENT ------`);
    expectEveryContentInFiles(messages, commands);
  });

  it('cuts a content longer than any embed into numbered parts, losing nothing', () => {
    const random = seededRandom(7);
    const content = nastyText(random, 12_000);
    const messages = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [{ name: 'huge', content, useCount: 1, createdAt: new Date(0), lastUsedAt: new Date(0) }],
    });
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    expect(codeBlocks(messages).join('')).toBe(content);
    expect(textOf(messages)).toMatch(/Content of `huge`, part 1 of \d/);
  });

  it('shows the final statistics of each command', () => {
    const [message] = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [
        {
          name: 'stats',
          content: 'hi',
          useCount: 42,
          createdAt: new Date('2024-01-02T00:00:00Z'),
          lastUsedAt: new Date('2024-03-04T00:00:00Z'),
        },
        { name: 'unused', content: '  ', useCount: 0, createdAt: new Date(0), lastUsedAt: new Date(0) },
      ],
    });
    const description = message!.embeds![0]!.description!;
    expect(description).toContain(
      '`stats` — 42 uses · created <t:1704153600:D> (2024-01-02) · last used <t:1709510400:D> (2024-03-04)',
    );
    expect(description).toContain('```\nhi\n```');
    expect(description).toContain('`unused` — 0 uses');
    expect(description).toContain('last used never');
    expect(description).toContain('*(empty)*');
  });
});
