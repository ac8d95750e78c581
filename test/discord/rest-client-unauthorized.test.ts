/**
 * The REST client tells its owner once when Discord rejects the bot token (401), against
 * the emulator with its token revoked: the failing call still fails (retryable, so it can
 * run again on a worker with a good token), and later calls never reach Discord.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DiscordAPIError, Routes } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiscordFailureType, toActivityFailure } from '../../src/discord/errors';
import { createRestClient } from '../../src/discord/rest-client';
import { demoWorldSeed, startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';

let emulator: DiscordEmulator;
beforeAll(async () => {
  emulator = await startDiscordEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.control.seed(demoWorldSeed());
});

/** What an operator does in the developer portal: the old token stops working. */
function revokeToken(): void {
  const seed = demoWorldSeed();
  seed.bot.token = 'MTE5NjQyMzU0MjQ3MjgzNTA3Mw.rotated.a-new-token-the-worker-does-not-have';
  emulator.control.seed(seed);
}

function client(onUnauthorized = vi.fn()) {
  const rest = createRestClient({
    token: emulator.token,
    apiUrl: emulator.apiUrl,
    timeoutMs: 5_000,
    onUnauthorized,
  });
  return { rest, onUnauthorized };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

describe('createRestClient onUnauthorized (emulator)', () => {
  it('calls the hook once on the first 401, and the call fails retryable', async () => {
    const { rest, onUnauthorized } = client();
    await rest.get(Routes.user('@me'));
    expect(onUnauthorized).not.toHaveBeenCalled();

    revokeToken();
    const error = await failureOf(rest.get(Routes.user('@me')));

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    const failure = toActivityFailure(error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: DiscordFailureType.Unauthorized, nonRetryable: false });
  });

  it('does not call it again, and later calls fail locally without a request to Discord', async () => {
    const { rest, onUnauthorized } = client();
    revokeToken();
    await failureOf(rest.get(Routes.user('@me')));
    const requestsBefore = emulator.control.counterSnapshot().requestsTotal;

    const later = await Promise.all([
      failureOf(rest.get(Routes.user('@me'))),
      failureOf(rest.post(Routes.userChannels(), { body: { recipient_id: '1196423567638659079' } })),
    ]);

    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(emulator.control.counterSnapshot().requestsTotal).toBe(requestsBefore);
    for (const error of later) {
      expect(toActivityFailure(error)).toMatchObject({
        type: DiscordFailureType.Unauthorized,
        nonRetryable: false,
      });
    }
  });

  it('is not called for other errors, nor for a 401 on a request sent without the token', async () => {
    const { rest, onUnauthorized } = client();
    const unknownGuild = await failureOf(rest.get(Routes.guild('1196423538278599999')));
    expect(unknownGuild).toMatchObject({ status: 404 });
    // No Authorization header: the emulator answers 401, which says nothing about the token.
    const anonymous = await failureOf(rest.get(Routes.user('@me'), { auth: false }));
    expect(anonymous).toMatchObject({ status: 401 });

    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(await rest.get(Routes.user('@me'))).toMatchObject({ username: 'Cleanup Bot' });
  });

  it('keeps the request error when the hook itself throws', async () => {
    const { rest } = client(
      vi.fn(() => {
        throw new Error('hook broke');
      }),
    );
    revokeToken();
    const error = await failureOf(rest.get(Routes.user('@me')));
    expect(error).toBeInstanceOf(DiscordAPIError);
  });
});
