/**
 * The cleanup policy walked over simulated months under time skipping, with the real
 * activities on FerretDB and the Discord emulator (real discord.js over HTTP).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { COLLECTIONS, type ArchivedCommand, type CustomCommandDoc } from '../../src/db';
import { DEMO_CHANNELS, DEMO_DMS_CLOSED_USER_ID, DEMO_MEMBERS, DEMO_OUTSIDER_ID } from '../../src/emulator';
import { DEFAULT_POLICY, graceWorkflowId } from '../../src/cleanup/policy';
import type { customCommandGrace } from '../../src/workflows';
import { customCommandCleanup, graceStatusQuery } from '../../src/workflows';
import { createCleanupHarness, GUILD, NEXT_RUN_AT, type CleanupHarness } from '../helpers/cleanup-harness';
import { DAY_MS } from '../../src/duration';

const { alice, bob, carol } = DEMO_MEMBERS;

let h: CleanupHarness;
beforeAll(async () => {
  h = await createCleanupHarness();
});
afterAll(async () => h?.teardown());
beforeEach(async () => h.reset());

const commands = () => h.database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
const archive = () => h.database.db.collection<ArchivedCommand>(COLLECTIONS.archive);
const dmsTo = (userId: string) => h.emulator.control.messages({ recipientId: userId });
const embedText = (embeds: unknown[]) =>
  (embeds as APIEmbed[])
    .map((e) =>
      [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].join(
        '\n',
      ),
    )
    .join('\n');
const graceHandle = (creatorId: string, runKey: string) =>
  h.harness.env.client.workflow.getHandle<typeof customCommandGrace>(
    graceWorkflowId(GUILD, creatorId, runKey),
  );

describe('custom command cleanup over simulated months', () => {
  it('warns at 60 days of inactivity, once per creator, listing all their idle commands', async () => {
    await h.seedCommand('old-one', alice, 61);
    await h.seedCommand('old-two', alice, 75);
    await h.seedCommand('fresh', alice, 59);
    await h.seedCommand('bobs', bob, 90);

    const { result, status } = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      // A query is answered by a worker: ask while they run.
      return { ...run, status: await graceHandle(alice, run.workflowId).query(graceStatusQuery) };
    });

    expect(result).toMatchObject({
      warnedCreators: 2,
      warnedCommands: 3,
      deletedCommands: 0,
      failedDeliveries: 0,
    });
    const aliceDms = dmsTo(alice);
    expect(aliceDms).toHaveLength(1);
    const text = embedText(aliceDms[0]!.embeds);
    expect(text).toContain('old-one');
    expect(text).toContain('old-two');
    expect(text).not.toContain('fresh');
    expect(dmsTo(bob)).toHaveLength(1);
    // The warnings are recorded and a grace period runs for each creator.
    expect(await commands().countDocuments({ 'cleanup.warnedAt': { $exists: true } })).toBe(3);
    expect(await commands().findOne({ name: 'fresh' })).not.toHaveProperty('cleanup');
    expect(status.phase).toBe('waiting');
    expect(status.commands.map((c) => c.fate)).toEqual(['pending', 'pending']);
    // One admin summary, with the schedule's next run time (not now + 1 day).
    const summaries = h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    expect(summaries).toHaveLength(1);
    expect(JSON.stringify(summaries[0]!.embeds)).toContain(String(Math.floor(NEXT_RUN_AT / 1000)));
  });

  it('deletes after the grace period, archives, and DMs the content so it can be recreated', async () => {
    const id = await h.seedCommand('gone-soon', carol, 61, 'Hello **world** from carol');
    const { workflowId } = await h.withWorkers(async () => {
      const run = await h.runCleanup();
      // Awaiting the grace workflow skips the 30 days to its deadline.
      const outcome = await graceHandle(carol, run.workflowId).result();
      expect(outcome).toMatchObject({ deleted: 1, kept: 0 });
      return run;
    });
    expect(await commands().countDocuments({ name: 'gone-soon' })).toBe(0);
    const archived = await archive().findOne({ commandId: id });
    expect(archived).toMatchObject({ name: 'gone-soon', content: 'Hello **world** from carol', useCount: 3 });
    expect(archived!.deletedAt).toBeInstanceOf(Date);
    // Two DMs in all: the warning, then the deletion with the content, verbatim in a code block.
    const dms = dmsTo(carol);
    expect(dms).toHaveLength(2);
    expect(embedText(dms[1]!.embeds)).toContain('Hello **world** from carol');
    // The next run reports the deletion in its summary.
    const next = await h.withWorkers(() => h.runCleanup());
    expect(next.result.deletedCommands).toBe(1);
    expect(workflowId).not.toBe(next.workflowId);
  });

  it('keeps a command used during the grace period', async () => {
    await h.seedCommand('saved', alice, 70);
    await h.withWorkers(async () => {
      const run = await h.runCleanup();
      await h.harness.advance(10);
      await h.recordUse('saved');
      const outcome = await graceHandle(alice, run.workflowId).result();
      expect(outcome).toMatchObject({ deleted: 0, kept: 1 });
    });
    const kept = await commands().findOne({ name: 'saved' });
    expect(kept).not.toBeNull();
    expect(kept).not.toHaveProperty('cleanup');
    expect(kept!.useCount).toBe(4);
    expect(dmsTo(alice)).toHaveLength(1); // the warning only, no deletion notice
  });

  it('on a first run over a 200-day-old command, warns and does not delete until the grace period ends', async () => {
    await h.seedCommand('ancient', bob, 200);
    await h.withWorkers(async () => {
      const run = await h.runCleanup();
      expect(run.result.warnedCommands).toBe(1);
      expect(await commands().countDocuments({ name: 'ancient' })).toBe(1);
      const grace = graceHandle(bob, run.workflowId);
      const warned = await commands().findOne({ name: 'ancient' });
      const status = await grace.query(graceStatusQuery);
      // The deadline is the full grace period after the warning.
      expect(new Date(status.deleteAt).getTime() - warned!.cleanup!.warnedAt.getTime()).toBe(30 * DAY_MS);
      await h.harness.advance(29);
      expect(await commands().countDocuments({ name: 'ancient' })).toBe(1);
      expect((await grace.query(graceStatusQuery)).phase).toBe('waiting');
      expect(await grace.result()).toMatchObject({ deleted: 1 });
    });
    expect(await commands().countDocuments({ name: 'ancient' })).toBe(0);
  });

  it('warns again a command that was warned, used, then idle again, before any deletion', async () => {
    await h.seedCommand('comeback', carol, 65);
    await h.withWorkers(async () => {
      const first = await h.runCleanup();
      await h.harness.advance(5);
      await h.recordUse('comeback');
      expect(await graceHandle(carol, first.workflowId).result()).toMatchObject({ deleted: 0 });
      await h.harness.advance(61);
      const second = await h.runCleanup();
      expect(second.result.warnedCommands).toBe(1);
    });
    expect(await commands().countDocuments({ name: 'comeback' })).toBe(1);
    const dms = dmsTo(carol);
    expect(dms).toHaveLength(2);
    expect(dms.every((m) => embedText(m.embeds).includes('comeback'))).toBe(true);
    expect(await archive().countDocuments({})).toBe(0);
  });

  it('records DMs closed, unknown user and a creator sharing no guild, and goes on with the others', async () => {
    const unknownUser = '1196423999999999999';
    await h.seedCommand('closed', DEMO_DMS_CLOSED_USER_ID, 70);
    await h.seedCommand('stranger', DEMO_OUTSIDER_ID, 70);
    await h.seedCommand('ghost', unknownUser, 70);
    await h.seedCommand('fine', alice, 70);

    const { result } = await h.withWorkers(() => h.runCleanup());

    expect(result.warnedCreators).toBe(1);
    expect(result.failedDeliveries).toBe(3);
    const reasons = Object.fromEntries(result.failures.map((f) => [f.creatorId, f.reason]));
    expect(reasons).toEqual({
      [DEMO_DMS_CLOSED_USER_ID]: 'dms-closed',
      // Without a membership request, Discord's answer to the DM says it: a creator who
      // shares no guild with the bot gets "cannot send messages" (50007, as bots see it).
      [DEMO_OUTSIDER_ID]: 'dms-closed',
      [unknownUser]: 'unknown-user',
    });
    expect(dmsTo(alice)).toHaveLength(1);
    // The grace period still applies to unreachable creators (the default policy).
    expect(await commands().countDocuments({ 'cleanup.warnedAt': { $exists: true } })).toBe(4);
    const summary = h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    expect(JSON.stringify(summary.map((m) => m.embeds))).toContain(DEMO_DMS_CLOSED_USER_ID);
  });

  it('a DM that fails outright (not a per-user reason) starts no grace period: the next run retries', async () => {
    await h.seedCommand('unlucky', alice, 70);
    // Discord answers 502 to every attempt for longer than the activity's 12-hour retry window.
    const fault = h.emulator.control.addFault({
      method: 'POST',
      path: '/users/@me/channels',
      kind: 'error',
      status: 502,
      count: 10_000,
    });

    // Through the time-skipping client: the 12 hours of retries pass in skipped time.
    const result = await h.withWorkers(() =>
      h.harness.env.client.workflow.execute(customCommandCleanup, {
        workflowId: `custom-command-cleanup:${GUILD}:test-outage`,
        taskQueue: h.taskQueue,
        args: [
          {
            guildId: GUILD,
            policy: DEFAULT_POLICY,
            adminChannels: ['admin'],
            discordTaskQueue: h.discordTaskQueue,
          },
        ],
      }),
    );
    h.emulator.control.faults.clear();
    expect(fault.count).toBeGreaterThan(0);

    expect(result).toMatchObject({ warnedCreators: 0, failedDeliveries: 1 });
    expect(result.failures).toEqual([{ creatorId: alice, phase: 'warning', reason: 'other' }]);
    expect(await commands().findOne({ name: 'unlucky' })).not.toHaveProperty('cleanup');
    const retried = await h.withWorkers(() => h.runCleanup());
    expect(retried.result.warnedCreators).toBe(1);
    expect(dmsTo(alice)).toHaveLength(1);
  });

  it('a dry run reports the same counts and changes and sends nothing', async () => {
    await h.seedCommand('maybe', alice, 80);
    await h.seedCommand('perhaps', bob, 61);
    const before = await commands().find().sort({ name: 1 }).toArray();

    const { result } = await h.withWorkers(() => h.runCleanup({ dryRun: true }));

    expect(result).toMatchObject({ dryRun: true, warnedCreators: 2, warnedCommands: 2 });
    expect(result.summary.status).toBe('skipped-dry-run');
    expect(h.emulator.control.messages()).toEqual([]);
    expect(await commands().find().sort({ name: 1 }).toArray()).toEqual(before);
    expect(await h.database.db.collection(COLLECTIONS.notifications).countDocuments({})).toBe(0);
  });
});

describe('a large sweep', () => {
  beforeEach(async () => h.reset());

  it('pages by creator and continues as new, counting every creator once', async () => {
    const extra = ['1196423584415875083', '1196423588610179084'];
    const owners = [alice, bob, carol, ...extra];
    for (const [i, creator] of owners.entries()) {
      await h.seedCommand(`page-${i}-a`, creator, 70);
      await h.seedCommand(`page-${i}-b`, creator, 70);
    }
    const { result, workflowId } = await h.withWorkers(() =>
      h.runCleanup({ pageSize: 2, continueAsNewAfterEvents: 20 }),
    );
    expect(result).toMatchObject({ warnedCreators: owners.length, warnedCommands: 2 * owners.length });
    for (const creator of owners) expect(dmsTo(creator)).toHaveLength(1);
    // The run really continued as new: its first execution ended that way.
    const handle = h.harness.env.client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    const firstRunId = description.raw.workflowExecutionInfo?.firstRunId;
    expect(firstRunId).toBeTruthy();
    expect(description.runId).not.toBe(firstRunId);
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(1);
  });

  it('continues as new between two creators of one page, warning each creator once', async () => {
    const extra = ['1196423584415875083', '1196423588610179084'];
    const owners = [alice, bob, carol, ...extra];
    for (const [i, creator] of owners.entries()) await h.seedCommand(`mid-page-${i}`, creator, 70);
    // One page holds every creator; one warning at a time fills the history between two of them.
    const { result, workflowId } = await h.withWorkers(() =>
      h.runCleanup({ pageSize: 100, maxInFlight: 1, continueAsNewAfterEvents: 30 }),
    );
    expect(result).toMatchObject({ warnedCreators: owners.length, warnedCommands: owners.length });
    for (const creator of owners) expect(dmsTo(creator)).toHaveLength(1);
    const handle = h.harness.env.client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    // Five commands fit one page: without a roll-over inside it, the run would never continue as new.
    expect(description.runId).not.toBe(description.raw.workflowExecutionInfo?.firstRunId);
  });

  it('with CLEANUP_DELETE_UNDELIVERABLE off, does not start a grace period for an unreachable creator', async () => {
    const strict = await createCleanupHarness({ ...DEFAULT_POLICY, deleteWhenUndeliverable: false });
    try {
      await strict.seedCommand('closed', DEMO_DMS_CLOSED_USER_ID, 70);
      await strict.seedCommand('open', alice, 70);
      const { result } = await strict.withWorkers(() => strict.runCleanup());
      expect(result.failedDeliveries).toBe(1);
      const docs = strict.database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
      expect(await docs.findOne({ name: 'closed' })).not.toHaveProperty('cleanup');
      expect((await docs.findOne({ name: 'open' }))?.cleanup).toBeDefined();
    } finally {
      await strict.teardown();
    }
  });
});
