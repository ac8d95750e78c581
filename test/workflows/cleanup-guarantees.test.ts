/**
 * The cleanup's promises under operators and faults, under time skipping with the real
 * activities on FerretDB and the Discord emulator: one run per guild at a time, no
 * warning stuck when its grace period is cancelled or terminated, a grace period that
 * counts from the delivery, failures reported and never blocking, cancellation honoured.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../src/db';
import { DEMO_CHANNELS, DEMO_MEMBERS } from '../../src/emulator';
import { DEFAULT_POLICY, graceWorkflowId } from '../../src/cleanup/policy';
import type { customCommandGrace } from '../../src/workflows';
import { customCommandCleanup, graceStatusQuery, type CleanupInput } from '../../src/workflows';
import { createCleanupHarness, GUILD, type CleanupHarness } from '../helpers/cleanup-harness';
import { DAY_MS } from '../../src/duration';

const { alice, bob, carol } = DEMO_MEMBERS;

let h: CleanupHarness;
beforeAll(async () => {
  h = await createCleanupHarness();
});
afterAll(async () => h?.teardown());
beforeEach(async () => h.reset());

const commands = () => h.database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
const dmsTo = (userId: string) => h.emulator.control.messages({ recipientId: userId });
const graceHandle = (creatorId: string, runKey: string) =>
  h.harness.env.client.workflow.getHandle<typeof customCommandGrace>(
    graceWorkflowId(GUILD, creatorId, runKey),
  );
const cleanupArgs = (): [CleanupInput] => [
  { guildId: GUILD, policy: DEFAULT_POLICY, adminChannels: ['admin'], discordTaskQueue: h.discordTaskQueue },
];

describe('one cleanup run per guild at a time', () => {
  it('refuses a second run of the guild while one is in progress, whoever started it, and DMs each creator once', async () => {
    await h.seedCommand('overlap-a', alice, 70);
    await h.seedCommand('overlap-b', bob, 70);
    // The first run's DMs meet a few 502s, so it is still running when the second starts.
    h.emulator.control.addFault({
      method: 'POST',
      path: '/users/@me/channels',
      kind: 'error',
      status: 502,
      count: 2,
    });
    const [scheduled, manual] = await h.withWorkers(async () => {
      const first = await h.lockedClock.workflow.start(customCommandCleanup, {
        workflowId: `custom-command-cleanup:${GUILD}-2026-12-02T03:00:00Z`,
        taskQueue: h.taskQueue,
        args: cleanupArgs(),
      });
      await waitFor(async () => (await h.database.db.collection(COLLECTIONS.locks).countDocuments()) === 1);
      const second = await h.lockedClock.workflow.execute(customCommandCleanup, {
        workflowId: `custom-command-cleanup:${GUILD}:manual-now`,
        taskQueue: h.taskQueue,
        args: cleanupArgs(),
      });
      return [await first.result(), second];
    });
    h.emulator.control.faults.clear();
    expect(manual).toMatchObject({ status: 'refused', warnedCreators: 0 });
    expect(manual.refusedBecause).toContain(`custom-command-cleanup:${GUILD}-2026-12-02T03:00:00Z`);
    expect(scheduled).toMatchObject({ status: 'completed', warnedCreators: 2 });
    expect(dmsTo(alice)).toHaveLength(1);
    expect(dmsTo(bob)).toHaveLength(1);
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(1);
    // The lease was given back: the next run of the guild proceeds.
    expect(await h.database.db.collection(COLLECTIONS.locks).countDocuments()).toBe(0);
    const next = await h.withWorkers(() => h.runCleanup());
    expect(next.result.status).toBe('completed');
  });
});

describe('long DMs', () => {
  it('a creator with 1,500 commands gets one DM of at most 3 messages, each sent once despite lost answers, with every command attached', async () => {
    const { erin } = DEMO_MEMBERS;
    const at = new Date((await h.serverNow()) - 70 * DAY_MS);
    await commands().insertMany(
      Array.from({ length: 1500 }, (_, i) =>
        newCommandDoc({
          guildId: GUILD,
          name: `many-${String(i).padStart(4, '0')}`,
          content: `content ${i}`,
          creatorId: erin,
          at,
          useCount: 1,
        }),
      ),
    );
    // Two messages are stored by Discord but their answers are lost: the retries must not repost them.
    h.emulator.control.addFault({
      method: 'POST',
      path: '/channels/*/messages',
      kind: 'error',
      status: 500,
      when: 'after',
      count: 2,
    });
    const { result } = await h.withWorkers(() => h.runCleanup());
    h.emulator.control.faults.clear();
    expect(result).toMatchObject({ warnedCreators: 1, warnedCommands: 1500 });
    const dms = dmsTo(erin);
    expect(dms.length).toBeGreaterThan(1);
    expect(dms.length).toBeLessThanOrEqual(3);
    expect(new Set(dms.map((m) => JSON.stringify(m.embeds))).size).toBe(dms.length);
    const files = dms.flatMap((m) => m.attachments);
    expect(files.map((f) => f.filename)).toEqual(['commands.txt']);
    const listing = await (await fetch(files[0]!.url)).text();
    expect(listing.match(/many-\d{4}/g)).toHaveLength(1500);
  });
});

describe('no warning stays stuck', () => {
  it('cancelling a grace workflow keeps its commands and clears their warnings', async () => {
    await h.seedCommand('spared', carol, 70);
    await h.withWorkers(async () => {
      const run = await h.runCleanup();
      const grace = graceHandle(carol, run.workflowId);
      await waitFor(
        async () => (await commands().countDocuments({ 'cleanup.warnedAt': { $exists: true } })) === 1,
      );
      await grace.cancel();
      const error = await grace.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    });
    const doc = await commands().findOne({ name: 'spared' });
    expect(doc).not.toBeNull();
    expect(doc).not.toHaveProperty('cleanup');
  });

  it('a terminated grace workflow: the next run repairs its warnings and warns again', async () => {
    await h.seedCommand('orphan', bob, 70);
    const second = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      await graceHandle(bob, run.workflowId).terminate('operator clicked terminate');
      return h.runCleanup();
    });
    expect(second.result.reconciled).toMatchObject({ unwarned: 1 });
    expect(second.result.warnedCommands).toBe(1);
    const doc = await commands().findOne({ name: 'orphan' });
    expect(doc?.cleanup?.graceWorkflowId).toBe(graceWorkflowId(GUILD, bob, second.workflowId));
    expect(dmsTo(bob)).toHaveLength(2);
  });

  it('a grace period shorter than the time it takes to record the warning still deletes (warning first, then the timer)', async () => {
    const hasty = await createCleanupHarness({
      ...DEFAULT_POLICY,
      deleteAfterMs: 60 * DAY_MS,
      gracePeriodMs: 1,
    });
    try {
      await hasty.seedCommand('hurried', carol, 70);
      const outcome = await hasty.withWorkers(async () => {
        const run = await hasty.runCleanup();
        return hasty.harness.env.client.workflow
          .getHandle<typeof customCommandGrace>(graceWorkflowId(GUILD, carol, run.workflowId))
          .result();
      });
      expect(outcome).toMatchObject({ deleted: 1 });
      const docs = hasty.database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
      expect(await docs.countDocuments({ cleanup: { $exists: true } })).toBe(0);
    } finally {
      await hasty.teardown();
    }
  });

  it('marks left by a run that died before its DM are cleared, and the command is warned', async () => {
    const id = await h.seedCommand('half-done', alice, 70);
    const { ObjectId } = await import('mongodb');
    await commands().updateOne(
      { _id: ObjectId.createFromHexString(id) },
      { $set: { cleanupPending: { runKey: 'custom-command-cleanup:dead-run', selectedBefore: new Date() } } },
    );
    const { result } = await h.withWorkers(() => h.runCleanup());
    expect(result.reconciled).toMatchObject({ staleMarks: 1 });
    expect(result.warnedCommands).toBe(1);
    expect(await commands().findOne({ name: 'half-done' })).not.toHaveProperty('cleanupPending');
  });
});

describe('the grace period counts from the delivery', () => {
  it('a DM delayed by retries gets a deadline a full grace period after it went out, the date it states', async () => {
    await h.seedCommand('late-news', alice, 70);
    // Eight 502s: about four minutes of backoff before the DM can go out (skipped time).
    h.emulator.control.addFault({
      method: 'POST',
      path: '/users/@me/channels',
      kind: 'error',
      status: 502,
      count: 8,
    });
    const result = await h.withWorkers(() =>
      h.harness.env.client.workflow.execute(customCommandCleanup, {
        workflowId: `custom-command-cleanup:${GUILD}:test-delayed`,
        taskQueue: h.taskQueue,
        args: cleanupArgs(),
      }),
    );
    h.emulator.control.faults.clear();
    const warning = (await commands().findOne({ name: 'late-news' }))!.cleanup!;
    expect(warning.warnedAt.getTime() - result.startedAt).toBeGreaterThanOrEqual(4 * 60 * 1000);
    expect(warning.deleteAfter.getTime() - warning.warnedAt.getTime()).toBe(30 * DAY_MS);
    const dm = JSON.stringify(dmsTo(alice)[0]!.embeds);
    expect(dm).toContain(`<t:${Math.floor(warning.deleteAfter.getTime() / 1000)}:`);
  });
});

describe('failures are reported and never block', () => {
  it('a command that cannot be deleted is skipped and reported; the others are deleted', async () => {
    await h.seedCommand('good-one', carol, 70);
    await h.seedCommand('broken-one', carol, 70);
    const outcome = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      // The bot rewrote the document with a mistyped field during the grace period.
      await commands().updateOne({ name: 'broken-one' }, { $set: { useCount: 'many' as unknown as number } });
      const result = await graceHandle(carol, run.workflowId).result();
      const next = await h.runCleanup();
      return { result, next: next.result };
    });
    expect(outcome.result).toMatchObject({ deleted: 1, failed: 1 });
    expect(await commands().findOne({ name: 'good-one' })).toBeNull();
    expect(await commands().findOne({ name: 'broken-one' })).not.toHaveProperty('cleanup');
    expect(outcome.next.incidents?.listed).toEqual([
      expect.objectContaining({ kind: 'deletion-failed', creatorId: carol, commands: 1 }),
    ]);
  });

  it('a deletion DM that cannot be delivered is listed in the next summary', async () => {
    await h.seedCommand('left-behind', bob, 70);
    const next = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      h.emulator.control.world.guilds.get(GUILD)!.members.delete(bob);
      const result = await graceHandle(bob, run.workflowId).result();
      expect(result).toMatchObject({ deleted: 1, notice: { status: 'undeliverable', reason: 'left-guild' } });
      return h.runCleanup();
    });
    expect(next.result.deletedCommands).toBe(1);
    expect(next.result.incidents).toMatchObject({
      total: 1,
      listed: [{ kind: 'deletion-dm-failed', creatorId: bob, reason: 'left-guild' }],
    });
    const summaries = h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    expect(JSON.stringify(summaries.at(-1)!.embeds)).toContain('deletion DM not delivered');
    // Each deletion is counted by one summary only.
    const third = await h.withWorkers(() => h.runCleanup());
    expect(third.result.deletedCommands).toBe(0);
    expect(third.result.incidents?.total).toBe(0);
  });

  it('counts every undeliverable DM by reason, beyond the listed ones', async () => {
    const strangers = Array.from({ length: 105 }, (_, i) => `11964239${String(i).padStart(11, '0')}`);
    for (const [i, creatorId] of strangers.entries()) await h.seedCommand(`stranger-${i}`, creatorId, 70);
    const { result } = await h.withWorkers(() => h.runCleanup({ pageSize: 60 }));
    expect(result.failedDeliveries).toBe(105);
    // Users Discord does not know: the DM itself says so (no membership request is made).
    expect(result.failuresByReason).toEqual({ 'unknown-user': 105 });
    expect(result.failures).toHaveLength(100);
    // The admins read the real total, not the length of the listed ones.
    const summary = JSON.stringify(
      h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })[0]!.embeds,
    );
    expect(summary).toContain('105 in total');
  });
});

describe('operators keep control', () => {
  it('a use takes the command out of the Web UI listing and the status query', async () => {
    await h.seedCommand('kept-alive', alice, 70);
    await h.seedCommand('forgotten', alice, 70);
    await h.withWorkers(async () => {
      const run = await h.runCleanup();
      const grace = graceHandle(alice, run.workflowId);
      await h.recordUse('kept-alive');
      await waitFor(async () => (await grace.query(graceStatusQuery)).usedCommands === 1);
      const status = await grace.query(graceStatusQuery);
      expect(status.pendingCommands).toBe(1);
      expect(status.commands.find((c) => c.name === 'kept-alive')?.fate).toBe('cancelled');
      const { searchAttributes } = await grace.describe();
      expect(searchAttributes.CommandNames).toEqual(['forgotten']);
    });
  });

  it('cancelling a run cancels it: not swallowed as failed DMs or a degraded summary', async () => {
    await h.seedCommand('never-sent', alice, 70);
    h.emulator.control.addFault({
      method: 'POST',
      path: '/channels/*/messages',
      kind: 'error',
      status: 502,
      count: 1000,
    });
    const error = await h.withWorkers(async () => {
      const run = await h.lockedClock.workflow.start(customCommandCleanup, {
        workflowId: `custom-command-cleanup:${GUILD}:test-cancel`,
        taskQueue: h.taskQueue,
        args: cleanupArgs(),
      });
      // Cancelled while its DM is being retried.
      await waitFor(
        async () => (await h.database.db.collection(COLLECTIONS.notifications).countDocuments()) > 0,
      );
      await run.cancel();
      return run.result().catch((e: unknown) => e);
    });
    h.emulator.control.faults.clear();
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(0);
    expect(await h.database.db.collection(COLLECTIONS.locks).countDocuments()).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
