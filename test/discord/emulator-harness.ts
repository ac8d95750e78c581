// The gateway integration tests' shared harness: one Discord emulator per test file, the
// demo world seeded again before each test, a fresh gateway (and so a fresh discord.js
// rate-limit state) when asked, and what Temporal would do with a failure.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { DiscordGateway } from '../../src/discord/contract';
import { createDiscordGateway, type CreateDiscordGatewayOptions } from '../../src/discord/gateway';
import {
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../src/emulator';

export interface EmulatorHarness {
  /** The running emulator (set once `beforeAll` has run). */
  readonly emulator: DiscordEmulator;
  gateway: (options?: Partial<CreateDiscordGatewayOptions>) => DiscordGateway;
  /** Seeds the demo world after `change`. */
  seedWith: (change: (seed: WorldSeed) => void) => void;
  /** Seeds the demo world plus `count` members with open DMs; returns their ids. */
  addMembers: (count: number) => string[];
}

/** Registers the file's hooks; call at the top level of a test file. */
export function useEmulator(): EmulatorHarness {
  let emulator: DiscordEmulator | undefined;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator!.control.seed(demoWorldSeed());
  });

  const harness: EmulatorHarness = {
    get emulator() {
      if (!emulator) throw new Error('the emulator starts in beforeAll');
      return emulator;
    },
    gateway: (options = {}) =>
      createDiscordGateway({
        token: harness.emulator.token,
        apiUrl: harness.emulator.apiUrl,
        timeoutMs: 5_000,
        ...options,
      }),
    seedWith: (change) => {
      const seed = demoWorldSeed();
      change(seed);
      harness.emulator.control.seed(seed);
    },
    addMembers: (count) => {
      const userIds = Array.from({ length: count }, (_, i) => snowflakeAt(Date.UTC(2024, 2, 1) + i, i));
      harness.seedWith((seed) => {
        seed.users = [...(seed.users ?? []), ...userIds.map((id, i) => ({ id, username: `member${i}` }))];
        const guild = seed.guilds![0]!;
        guild.members = [...(guild.members ?? []), ...userIds.map((user_id) => ({ user_id }))];
      });
      return userIds;
    },
  };
  return harness;
}

export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

/** What Temporal does with an activity's failure: retry retryable ones after `nextRetryDelay`. */
export async function withTemporalLikeRetries<T>(attempt: () => Promise<T>, maxAttempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApplicationFailure) || error.nonRetryable || i >= maxAttempts) throw error;
      const delay = typeof error.nextRetryDelay === 'number' ? error.nextRetryDelay : 100;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
