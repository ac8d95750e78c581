/**
 * The demo's custom commands in the emulator's demo guild, of varied ages, so a first
 * cleanup has something to show: warnings, an undeliverable DM, commands kept.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../db';
import { DEMO_GUILD_ID, DEMO_MEMBERS, DEMO_OUTSIDER_ID } from '../emulator';
import { DAY_MS } from '../duration';

const demoCommands: { name: string; creatorId: string; idleDays: number; content: string; uses: number }[] = [
  {
    name: 'welcome',
    creatorId: DEMO_MEMBERS.alice,
    idleDays: 2,
    content: 'Welcome to **Demo Guild**!',
    uses: 41,
  },
  {
    name: 'rules-2023',
    creatorId: DEMO_MEMBERS.alice,
    idleDays: 120,
    content: '1. Be nice\n2. No spam',
    uses: 12,
  },
  {
    name: 'faq-old',
    creatorId: DEMO_MEMBERS.alice,
    idleDays: 65,
    content: 'See the pinned messages.',
    uses: 4,
  },
  {
    name: 'meme',
    creatorId: DEMO_MEMBERS.bob,
    idleDays: 200,
    content: 'https://example.com/meme.png',
    uses: 7,
  },
  {
    name: 'lfg',
    creatorId: DEMO_MEMBERS.carol,
    idleDays: 61,
    content: 'Looking for group? Ping @here',
    uses: 3,
  },
  {
    name: 'raid-times',
    creatorId: DEMO_MEMBERS.carol,
    idleDays: 30,
    content: 'Raids: Fri 20:00 UTC',
    uses: 19,
  },
  { name: 'ancient', creatorId: DEMO_MEMBERS.dave, idleDays: 300, content: 'From the old days', uses: 1 },
  { name: 'hello', creatorId: DEMO_MEMBERS.erin, idleDays: 1, content: 'Hello there!', uses: 88 },
  { name: 'bye', creatorId: DEMO_OUTSIDER_ID, idleDays: 90, content: 'Goodbye!', uses: 2 },
];

/** Inserts the demo commands unless the demo guild already has commands; returns how many were inserted. */
export async function seedDemoCommands(db: Db, now = new Date()): Promise<number> {
  const collection = db.collection<CustomCommandDoc>(COLLECTIONS.commands);
  if ((await collection.countDocuments({ guildId: DEMO_GUILD_ID })) > 0) return 0;
  const docs = demoCommands.map(({ name, creatorId, idleDays, content, uses }): CustomCommandDoc => {
    const at = new Date(now.getTime() - idleDays * DAY_MS);
    return newCommandDoc({
      guildId: DEMO_GUILD_ID,
      name,
      content,
      creatorId,
      at,
      createdAt: new Date(at.getTime() - 10 * DAY_MS),
      useCount: uses,
    });
  });
  await collection.insertMany(docs);
  return docs.length;
}
