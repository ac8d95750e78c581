/**
 * The task framework through the starter, on the real Temporal dev server: every task
 * of the registry is scheduled for every guild, listed in one JSON shape, rescheduled
 * by its own `<NAME>_SCHEDULE` variable and disabled by TASKS_DISABLED; GUILD_IDS=all
 * asks the Discord emulator (through discord.js) which guilds the bot is in, and a
 * later `schedule` removes the schedules of a guild the bot left.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  demoWorldSeed,
  DEMO_BOT_ID,
  DEMO_OWNER_ID,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../src/emulator';
import { tasks } from '../../src/tasks/registry';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { cli, newGuildId, type CliEnv } from './cli';
import { HOUR_MS } from '../../src/duration';

let temporal: TestWorkflowEnvironment;
let emulator: DiscordEmulator;
const taskQueue = uniqueTaskQueue('framework');
const usedGuilds: string[] = [];

beforeAll(async () => {
  [temporal, emulator] = await Promise.all([createDevServerEnv(), startDiscordEmulator()]);
});
afterAll(async () => {
  await Promise.allSettled(
    usedGuilds.flatMap((guild) =>
      tasks.map((task) => temporal.client.schedule.getHandle(task.scheduleId(guild)).delete()),
    ),
  );
  await Promise.allSettled([temporal?.teardown(), emulator?.close()]);
});

function environment(guilds: string[], overrides: CliEnv = {}): CliEnv {
  usedGuilds.push(...guilds);
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: inject('mongodbUri'),
    GUILD_IDS: guilds.join(','),
    TASK_QUEUE: taskQueue,
    DISCORD_TASK_QUEUE: `${taskQueue}-discord`,
    ...overrides,
  };
}

interface Listed {
  task: string;
  guildId: string;
  scheduleId: string;
  nextRunAt: string | null;
  paused: boolean;
  scheduled: boolean;
}

async function listed(env: CliEnv): Promise<Listed[]> {
  const run = await cli(['list', '--json'], env);
  expect(run).toMatchObject({ code: 0, err: [] });
  return JSON.parse(run.out[0]!) as Listed[];
}

const exists = (scheduleId: string) =>
  temporal.client.schedule
    .getHandle(scheduleId)
    .describe()
    .then(
      () => true,
      (error: unknown) => {
        if (error instanceof ScheduleNotFoundError) return false;
        throw error;
      },
    );

describe('every task of the registry', () => {
  it('is scheduled for each guild and listed as [{task, guildId, scheduleId, nextRunAt, paused, scheduled}]', async () => {
    const guilds = [newGuildId(), newGuildId()];
    const env = environment(guilds);

    const run = await cli(['schedule', '--json'], env);

    expect(run).toMatchObject({ code: 0, err: [] });
    const changes = JSON.parse(run.out[0]!) as { scheduleId: string; change: string }[];
    const expectedIds = guilds.flatMap((guild) => tasks.map((task) => task.scheduleId(guild)));
    expect(changes.map((c) => [c.scheduleId, c.change])).toEqual(expectedIds.map((id) => [id, 'created']));
    const states = await listed(env);
    expect(states.map((s) => [s.task, s.guildId, s.scheduleId])).toEqual(
      guilds.flatMap((guild) => tasks.map((task) => [task.name, guild, task.scheduleId(guild)])),
    );
    for (const state of states) {
      expect(state).toMatchObject({ paused: false, scheduled: true });
      expect(Date.parse(state.nextRunAt!)).toBeGreaterThan(Date.now());
    }
  });

  it("each task's <NAME>_SCHEDULE reschedules that task alone", async () => {
    const guild = newGuildId();
    const overrides = Object.fromEntries(tasks.map((task, i) => [task.schedule.variable, `every ${i + 2}h`]));
    const env = environment([guild], overrides);

    expect((await cli(['schedule'], env)).code).toBe(0);

    for (const [i, task] of tasks.entries()) {
      const description = await temporal.client.schedule.getHandle(task.scheduleId(guild)).describe();
      expect(description.spec.intervals).toEqual([expect.objectContaining({ every: (i + 2) * HOUR_MS })]);
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: task.workflowType });
    }
  });

  it('TASKS_DISABLED deletes that task’s schedules on the next `schedule` and leaves it out of the list', async () => {
    const guild = newGuildId();
    const env = environment([guild]);
    await cli(['schedule'], env);
    const [disabled, ...kept] = tasks;

    const run = await cli(['schedule'], { ...env, TASKS_DISABLED: disabled!.name });

    expect(run.out).toContain(`disabled ${disabled!.scheduleId(guild)}`);
    expect(await exists(disabled!.scheduleId(guild))).toBe(false);
    for (const task of kept) expect(await exists(task.scheduleId(guild))).toBe(true);
    const states = await listed({ ...env, TASKS_DISABLED: disabled!.name });
    expect(states.map((s) => s.task)).toEqual(kept.map((t) => t.name));
  });

  it('an unknown name in TASKS_DISABLED is a configuration error naming the variable (exit 2), nothing changed', async () => {
    const guild = newGuildId();
    const env = environment([guild], { TASKS_DISABLED: 'no-such-task' });

    const run = await cli(['schedule'], env);

    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      expect.stringMatching(/^Configuration error: TASKS_DISABLED: .*'no-such-task'/),
    ]);
    for (const task of tasks) expect(await exists(task.scheduleId(guild))).toBe(false);
  });
});

describe('GUILD_IDS=all', () => {
  /** The demo world with the bot in exactly these guilds. */
  function worldWithGuilds(ids: string[]): WorldSeed {
    const demo = demoWorldSeed();
    return {
      ...demo,
      guilds: ids.map((id, i) => ({
        id,
        name: `Guild ${i + 1}`,
        owner_id: DEMO_OWNER_ID,
        members: [{ user_id: DEMO_BOT_ID }, { user_id: DEMO_OWNER_ID }],
      })),
    };
  }

  it("schedules every guild the bot is in, and removes the schedules of a guild it left, not another task queue's", async () => {
    const guilds = [newGuildId(), newGuildId(), newGuildId()];
    usedGuilds.push(...guilds);
    emulator.control.seed(worldWithGuilds(guilds));
    const env = environment([], {
      GUILD_IDS: 'all',
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_URL: emulator.apiUrl,
    });

    // Another deployment (its own task queue) in the same namespace, for a guild this bot is not in.
    const foreignGuild = newGuildId();
    const foreign = await cli(
      ['schedule'],
      environment([foreignGuild], { TASK_QUEUE: `${taskQueue}-other` }),
    );
    expect(foreign).toMatchObject({ code: 0, err: [] });

    const first = await cli(['schedule', '--json'], env);

    expect(first).toMatchObject({ code: 0, err: [] });
    for (const guild of guilds) {
      for (const task of tasks) expect(await exists(task.scheduleId(guild))).toBe(true);
    }
    expect(new Set((await listed(env)).map((s) => s.guildId))).toEqual(new Set(guilds));

    // The bot leaves the third guild.
    emulator.control.seed(worldWithGuilds(guilds.slice(0, 2)));
    const second = await cli(['schedule', '--json'], env);

    const changes = JSON.parse(second.out[0]!) as { scheduleId: string; change: string }[];
    const removed = changes.filter((c) => c.change === 'removed').map((c) => c.scheduleId);
    expect(removed.sort()).toEqual(tasks.map((task) => task.scheduleId(guilds[2]!)).sort());
    for (const task of tasks) expect(await exists(task.scheduleId(guilds[2]!))).toBe(false);
    for (const task of tasks) expect(await exists(task.scheduleId(guilds[0]!))).toBe(true);
    for (const task of tasks) expect(await exists(task.scheduleId(foreignGuild))).toBe(true);
  });

  it('without a bot token is a configuration error naming DISCORD_TOKEN', async () => {
    const run = await cli(['schedule'], environment([], { GUILD_IDS: 'all' }));

    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(/^Configuration error: DISCORD_TOKEN/)]);
  });
});
