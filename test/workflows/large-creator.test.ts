/**
 * One creator with 20,000 idle commands, under time skipping with the real activities
 * on FerretDB and the Discord emulator: nothing grows with a creator's command count
 * (no payload near Temporal's 2 MiB limit, no list in workflow history), the warning
 * and the deletion notice are one DM each, at most 3 messages, with every command in
 * the attached file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../src/db';
import { DEMO_MEMBERS } from '../../src/emulator';
import { graceWorkflowId } from '../../src/cleanup/policy';
import type { customCommandGrace } from '../../src/workflows';
import { createCleanupHarness, GUILD, type CleanupHarness } from '../helpers/cleanup-harness';
import { DAY_MS } from '../../src/duration';

const COMMANDS = 20_000;
const { frank } = DEMO_MEMBERS;

let h: CleanupHarness;
beforeAll(async () => {
  h = await createCleanupHarness();
});
afterAll(async () => h?.teardown());

describe('a creator with 20,000 idle commands', () => {
  it('is warned once, every command deleted after the grace period, one deletion DM with the file', async () => {
    const at = new Date((await h.serverNow()) - 70 * DAY_MS);
    const docs = Array.from({ length: COMMANDS }, (_, i) =>
      newCommandDoc({
        guildId: GUILD,
        name: `bulk-${String(i).padStart(5, '0')}`,
        content: `content number ${i}`,
        creatorId: frank,
        at,
        useCount: 1,
      }),
    );
    const commands = h.database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
    for (let i = 0; i < docs.length; i += 5000) await commands.insertMany(docs.slice(i, i + 5000));

    const outcome = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      const grace = h.harness.env.client.workflow.getHandle<typeof customCommandGrace>(
        graceWorkflowId(GUILD, frank, run.workflowId),
      );
      const history = await h.harness.env.client.workflow.getHandle(run.workflowId).fetchHistory();
      return { run, deletion: await grace.result(), historyBytes: JSON.stringify(history).length };
    });

    expect(outcome.run.result).toMatchObject({ warnedCreators: 1, warnedCommands: COMMANDS });
    expect(outcome.deletion).toMatchObject({ deleted: COMMANDS, failed: 0 });
    // No list of commands in the run's history: it stays small whatever the creator's size.
    expect(outcome.historyBytes).toBeLessThan(200_000);
    expect(await commands.countDocuments({ creatorId: frank })).toBe(0);
    expect(await h.database.db.collection(COLLECTIONS.archive).countDocuments({ creatorId: frank })).toBe(
      COMMANDS,
    );

    const dms = h.emulator.control.messages({ recipientId: frank });
    const [warning, deletion] = groupByNotification(dms.map((m) => m.embeds));
    expect(warning!.length).toBeLessThanOrEqual(3);
    expect(deletion!.length).toBeLessThanOrEqual(3);
    const files = dms.flatMap((m) => m.attachments);
    const warningFile = await fetchAll(files.filter((f) => f.filename.startsWith('commands')));
    const deletionFile = await fetchAll(files.filter((f) => f.filename.startsWith('deleted-commands')));
    for (const name of [docs[0]!.name, docs[9_999]!.name, docs[COMMANDS - 1]!.name]) {
      expect(warningFile).toContain(name);
      expect(deletionFile).toContain(name);
    }
    expect(deletionFile).toContain(`content number ${COMMANDS - 1}`);
    expect(warningFile.match(/bulk-\d{5}/g)).toHaveLength(COMMANDS);
  }, 900_000);
});

/** The warning's messages, then the deletion notice's (their embeds' titles tell them apart). */
function groupByNotification(embeds: unknown[][]): unknown[][][] {
  const isDeletion = (e: unknown[]) => JSON.stringify(e).includes('Deleted');
  return [embeds.filter((e) => !isDeletion(e)), embeds.filter(isDeletion)];
}

async function fetchAll(files: { url: string }[]): Promise<string> {
  const texts = await Promise.all(files.map(async (f) => (await fetch(f.url)).text()));
  return texts.join('\n');
}
