// Generated data for the embed property tests: a seeded generator, so a failure replays.
import type { DeletedCommand, WarningCommand } from '../../src/discord/embeds';
import { DAY_MS } from '../../src/duration';

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_PIECES = [
  '```',
  '`',
  '**',
  '__',
  '~~',
  '||',
  '> ',
  '# ',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '[link](https://example.com)',
  '\\',
  '\n',
  '😀',
  'é',
  ' ',
];

/** Text of exactly `length` UTF-16 units, full of markdown, backticks and mentions. */
export function nastyText(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    text +=
      random() < 0.5
        ? NASTY_PIECES[Math.floor(random() * NASTY_PIECES.length)]!
        : String.fromCharCode(97 + Math.floor(random() * 26));
  }
  text = text.slice(0, length);
  // Do not end on half an emoji.
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? `${text.slice(0, -1)}x` : text;
}

/** Names as the contract allows, plus a few that break it (long, markdown, backticks). */
export function commandName(random: () => number, i: number): string {
  const kind = i % 10;
  if (kind === 7) return `${'n'.repeat(300)}${i}`; // 256+ characters, valid characters
  if (kind === 8) return `**bold_${i}** \`tick\` @everyone`;
  if (kind === 9) return `${nastyText(random, 40).replace(/\n/g, ' ')}-${i}`;
  return `cmd_${i}-${Math.floor(random() * 1e6).toString(36)}`;
}

export function warningCommands(count: number, seed = count): WarningCommand[] {
  const random = seededRandom(seed);
  const base = Date.UTC(2025, 5, 1, 3);
  return Array.from({ length: count }, (_, i) => ({
    name: commandName(random, i),
    daysUnused: 60 + Math.floor(random() * 400),
    deletionDate: new Date(base + Math.floor(random() * 3) * DAY_MS),
  }));
}

export function deletedCommands(count: number, seed = count, contentLength = 2000): DeletedCommand[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    name: commandName(random, i),
    content: `#${i} ${nastyText(random, Math.max(0, contentLength - 10))}`.slice(0, contentLength),
    useCount: Math.floor(random() * 1000),
    createdAt: new Date(Date.UTC(2023, 0, 1) + i * 1000),
    lastUsedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000),
  }));
}
