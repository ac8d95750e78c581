/**
 * The starter CLI's schedule commands against the real Temporal dev server: what
 * each command prints, and what it really did to the Schedules (described back
 * through the client). On the cleanup's schedules: every other task is disabled here
 * (task-framework.test.ts covers them all together).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CLEANUP_TASK, cleanupScheduleId, DEFAULT_POLICY } from '../../src/cleanup/policy';
import { BOT_TASK, GUILD_ID } from '../../src/search-attributes';
import { tasks } from '../../src/tasks/registry';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { ALL_BUT_THE_CLEANUP } from '../helpers/tasks';
import { cli, eventually, newGuildId, type CliEnv } from './cli';
import { HOUR_MS, DAY_MS } from '../../src/duration';

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;

let temporal: TestWorkflowEnvironment;
const taskQueue = uniqueTaskQueue('starter');
/** Every guild given a schedule here: their schedules are deleted at the end. */
const createdGuilds: string[] = [];
/** Workflows started by `trigger`: terminated at the end (no worker polls their task queue). */
const startedWorkflows: string[] = [];

beforeAll(async () => {
  temporal = await createDevServerEnv();
});
afterAll(async () => {
  if (!temporal) return;
  await Promise.allSettled([
    ...createdGuilds.map((guild) => temporal.client.schedule.getHandle(cleanupScheduleId(guild)).delete()),
    ...startedWorkflows.map((id) => temporal.client.workflow.getHandle(id).terminate('test over')),
  ]);
  await temporal.teardown();
});

/** Two fresh guilds and the environment of a deployment configured for them. */
function deployment(overrides: CliEnv = {}): { guilds: [string, string]; env: CliEnv } {
  const guilds: [string, string] = [newGuildId(), newGuildId()];
  createdGuilds.push(...guilds);
  return {
    guilds,
    env: {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: inject('mongodbUri'),
      GUILD_IDS: guilds.join(','),
      TASK_QUEUE: taskQueue,
      DISCORD_TASK_QUEUE: `${taskQueue}-discord`,
      CLEANUP_SCHEDULE: '0 3 * * *',
      TASKS_DISABLED: ALL_BUT_THE_CLEANUP,
      ...overrides,
    },
  };
}

const describeSchedule = (guild: string) =>
  temporal.client.schedule.getHandle(cleanupScheduleId(guild)).describe();

/** The ids of the schedules of this guild the server lists (polled: the list is eventually consistent). */
async function listedScheduleIds(guild: string, expected: number): Promise<string[]> {
  return eventually(
    async () => {
      const ids: string[] = [];
      for await (const schedule of temporal.client.schedule.list()) {
        if (schedule.scheduleId.includes(guild)) ids.push(schedule.scheduleId);
      }
      return ids;
    },
    (ids) => ids.length === expected,
  );
}

/** The next 03:00 UTC strictly after `now`. */
function next0300Utc(now: number): number {
  const today = new Date(now);
  const at = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 3);
  return at > now ? at : at + DAY_MS;
}

describe('starter schedule', () => {
  it('creates one schedule per configured guild, as the task defines it', async () => {
    const { guilds, env } = deployment();

    const run = await cli(['schedule'], env);

    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.out).toHaveLength(2);
    guilds.forEach((guild, i) => {
      expect(run.out[i]).toMatch(
        new RegExp(`^created +${cleanupScheduleId(guild)}  next run ${ISO.source}$`),
      );
    });
    for (const guild of guilds) {
      const description = await describeSchedule(guild);
      expect(description.spec.calendars).toEqual([
        expect.objectContaining({
          hour: [{ start: 3, end: 3, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
        }),
      ]);
      expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(description.policies.catchupWindow).toBe(DAY_MS);
      expect(description.state.paused).toBe(false);
      const action = description.action;
      expect(action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'customCommandCleanup',
        workflowId: cleanupScheduleId(guild),
        taskQueue,
      });
      expect(action.args).toEqual([
        {
          guildId: guild,
          policy: DEFAULT_POLICY,
          adminChannels: ['admin', 'bot-logs'],
          discordTaskQueue: `${taskQueue}-discord`,
          dryRun: false,
        },
      ]);
      const attributes = action.typedSearchAttributes;
      expect(attributes).toBeInstanceOf(TypedSearchAttributes);
      expect((attributes as TypedSearchAttributes).get(GUILD_ID)).toBe(guild);
      expect((attributes as TypedSearchAttributes).get(BOT_TASK)).toBe(CLEANUP_TASK);
      expect(await listedScheduleIds(guild, 1)).toEqual([cleanupScheduleId(guild)]);
    }
  });

  it('is idempotent: a second run updates in place and keeps a pause set by hand', async () => {
    const { guilds, env } = deployment();
    expect((await cli(['schedule'], env)).code).toBe(0);
    await temporal.client.schedule.getHandle(cleanupScheduleId(guilds[0])).pause('paused by hand');

    const again = await cli(['schedule'], env);

    expect(again.code).toBe(0);
    expect(again.out.map((line) => line.split(/\s+/)[0])).toEqual(['updated', 'updated']);
    const paused = await describeSchedule(guilds[0]);
    expect(paused.state).toMatchObject({ paused: true, note: 'paused by hand' });
    expect((await describeSchedule(guilds[1])).state.paused).toBe(false);
    for (const guild of guilds) expect(await listedScheduleIds(guild, 1)).toHaveLength(1);
  });

  it("applies a guild's CLEANUP_GUILD_OVERRIDES to that guild's schedule only", async () => {
    const { guilds, env } = deployment();
    const overrides = { [guilds[1]]: { gracePeriod: '7 days', adminChannels: 'mod-log' } };

    const run = await cli(['schedule'], { ...env, CLEANUP_GUILD_OVERRIDES: JSON.stringify(overrides) });

    expect(run.code).toBe(0);
    const [plain, overridden] = await Promise.all(guilds.map(describeSchedule));
    expect(plain!.action.args).toEqual([
      expect.objectContaining({ policy: DEFAULT_POLICY, adminChannels: ['admin', 'bot-logs'] }),
    ]);
    expect(overridden!.action.args).toEqual([
      expect.objectContaining({
        guildId: guilds[1],
        policy: { ...DEFAULT_POLICY, gracePeriodMs: 7 * DAY_MS },
        adminChannels: ['mod-log'],
      }),
    ]);
  });

  it('a changed CLEANUP_SCHEDULE updates the spec of the existing schedules', async () => {
    const { guilds, env } = deployment();
    await cli(['schedule'], env);

    const changed = await cli(['schedule'], { ...env, CLEANUP_SCHEDULE: 'every 6h' });

    expect(changed.out.map((line) => line.split(/\s+/)[0])).toEqual(['updated', 'updated']);
    const description = await describeSchedule(guilds[0]);
    expect(description.spec.calendars ?? []).toEqual([]);
    expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 6 * HOUR_MS })]);
    const times = description.info.nextActionTimes.map((d) => d.getTime());
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times[1]! - times[0]!).toBe(6 * HOUR_MS);
    expect(times[0]! % (6 * HOUR_MS)).toBe(0);
  });
});

describe('starter list', () => {
  it('prints the next run times of the configured cron (0 3 * * *: every day at 03:00 UTC)', async () => {
    const { guilds, env } = deployment();
    await cli(['schedule'], env);
    const now = Date.now();

    const text = await cli(['list'], env);

    expect(text.code).toBe(0);
    expect(text.out).toHaveLength(2);
    const first = next0300Utc(now);
    const expectedTimes = [first, first + DAY_MS, first + 2 * DAY_MS].map((t) => new Date(t).toISOString());
    guilds.forEach((guild, i) => {
      expect(text.out[i]).toBe(`${cleanupScheduleId(guild)}  active  next: ${expectedTimes.join(', ')}`);
    });
  });

  it('--json prints one parseable JSON array of the schedules', async () => {
    const { guilds, env } = deployment();
    await cli(['schedule'], env);
    await cli(['pause', '--guild', guilds[1], '--note', 'holiday'], env);

    const json = await cli(['list', '--json'], env);

    expect(json.code).toBe(0);
    expect(json.out).toHaveLength(1);
    const states = JSON.parse(json.out[0]!) as Record<string, unknown>[];
    const next = new Date(next0300Utc(Date.now())).toISOString();
    expect(states).toEqual([
      {
        task: CLEANUP_TASK,
        guildId: guilds[0],
        scheduleId: cleanupScheduleId(guilds[0]),
        nextRunAt: next,
        paused: false,
        scheduled: true,
      },
      {
        task: CLEANUP_TASK,
        guildId: guilds[1],
        scheduleId: cleanupScheduleId(guilds[1]),
        nextRunAt: next,
        paused: true,
        scheduled: true,
      },
    ]);
  });

  it('--guild limits the list to that guild; a guild without schedule is listed as not scheduled', async () => {
    const { env } = deployment();
    const stranger = newGuildId();

    const run = await cli(['list', '--guild', stranger], env);

    expect(run).toEqual({
      code: 0,
      out: [`${cleanupScheduleId(stranger)}  not scheduled  next: -`],
      err: [],
    });
  });
});

describe('starter pause / unpause / unschedule', () => {
  it('change the real schedule state, for one guild or all', async () => {
    const { guilds, env } = deployment();
    await cli(['schedule'], env);
    const [one, two] = guilds;

    const paused = await cli(['pause', '--guild', one, '--note', 'maintenance'], env);
    expect(paused).toEqual({ code: 0, out: [`paused ${cleanupScheduleId(one)}`], err: [] });
    expect((await describeSchedule(one)).state).toMatchObject({ paused: true, note: 'maintenance' });
    expect((await describeSchedule(two)).state.paused).toBe(false);
    expect((await cli(['list', '--guild', one], env)).out[0]).toContain('  paused (maintenance)  ');

    const unpaused = await cli(['unpause', '--task', CLEANUP_TASK], env);
    expect(unpaused.out).toEqual([
      `unpaused ${cleanupScheduleId(one)}`,
      `unpaused ${cleanupScheduleId(two)}`,
    ]);
    expect((await describeSchedule(one)).state.paused).toBe(false);

    const pausedAll = await cli(['pause'], env);
    expect(pausedAll.out).toEqual([`paused ${cleanupScheduleId(one)}`, `paused ${cleanupScheduleId(two)}`]);
    for (const guild of guilds) {
      expect((await describeSchedule(guild)).state).toMatchObject({
        paused: true,
        note: 'Paused with the starter CLI',
      });
    }

    const deleted = await cli(['unschedule', '--guild', one], env);
    expect(deleted).toEqual({ code: 0, out: [`deleted ${cleanupScheduleId(one)}`], err: [] });
    await expect(describeSchedule(one)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await describeSchedule(two)).state.paused).toBe(true);
  });

  it('on a guild without schedule report "not scheduled:" and exit 0', async () => {
    const { env } = deployment();
    const nowhere = newGuildId();
    for (const command of ['pause', 'unpause', 'trigger', 'unschedule']) {
      const run = await cli([command, '--guild', nowhere], env);
      expect(run).toEqual({ code: 0, out: [`not scheduled: ${cleanupScheduleId(nowhere)}`], err: [] });
    }
    await expect(describeSchedule(nowhere)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('an unknown --task is a usage error (exit 2) and changes nothing', async () => {
    const { guilds, env } = deployment();
    await cli(['schedule'], env);

    const run = await cli(['pause', '--task', 'no-such-task'], env);

    expect(run.code).toBe(2);
    expect(run.err).toEqual([`Unknown task 'no-such-task'. Tasks: ${tasks.map((t) => t.name).join(', ')}`]);
    expect((await describeSchedule(guilds[0])).state.paused).toBe(false);
  });
});

describe('starter trigger', () => {
  it('starts a run of the schedule now: its workflow appears on the server', async () => {
    const { guilds, env } = deployment();
    const guild = guilds[0];
    await cli(['schedule'], env);

    const run = await cli(['trigger', '--guild', guild], env);

    expect(run).toEqual({ code: 0, out: [`triggered ${cleanupScheduleId(guild)}`], err: [] });
    const found = await eventually(
      async () => {
        const runs = [];
        for await (const execution of temporal.client.workflow.list({ query: `GuildId = '${guild}'` })) {
          runs.push(execution);
        }
        return runs;
      },
      (runs) => runs.length > 0,
    );
    startedWorkflows.push(...found.map((execution) => execution.workflowId));
    expect(found).toHaveLength(1);
    const execution = found[0]!;
    expect(execution.workflowId.startsWith(`${cleanupScheduleId(guild)}-`)).toBe(true);
    expect(execution.type).toBe('customCommandCleanup');
    expect(execution.taskQueue).toBe(taskQueue);
    expect(execution.typedSearchAttributes.get(BOT_TASK)).toBe(CLEANUP_TASK);
    // The schedule records the run as its own.
    const description = await describeSchedule(guild);
    expect(description.info.recentActions.map((a) => a.action.workflow.workflowId)).toContain(
      execution.workflowId,
    );
    // The other guild's schedule was not triggered.
    expect((await describeSchedule(guilds[1])).info.recentActions).toEqual([]);
  });
});
