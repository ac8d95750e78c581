// Unit tests: discord.js errors, built the way discord.js builds them, become the right
// Temporal failures, retryable or not, and never carry the token or message contents.
import { ApplicationFailure } from '@temporalio/common';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DiscordFailureType, toActivityFailure } from '../../src/discord/errors';
import { classifyUndeliverable } from '../../src/discord/undeliverable';

const SECRET_CONTENT = 'my secret command content @everyone';
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const URL = 'http://127.0.0.1:8787/api/v10/channels/123456789012345678/messages';
const body = {
  body: { content: SECRET_CONTENT, embeds: [{ description: SECRET_CONTENT }] },
  files: undefined,
};

function apiError(status: number, code: number, message: string, errors?: unknown): DiscordAPIError {
  return new DiscordAPIError(
    { code, message, ...(errors ? { errors } : {}) } as never,
    code,
    status,
    'POST',
    URL,
    body,
  );
}

function failure(error: unknown): ApplicationFailure {
  const result = toActivityFailure(error);
  expect(result).toBeInstanceOf(ApplicationFailure);
  const failure = result as ApplicationFailure;
  const visible = JSON.stringify({ message: failure.message, details: failure.details, type: failure.type });
  expect(visible).not.toContain(SECRET_CONTENT);
  expect(visible).not.toContain(TOKEN);
  return failure;
}

describe('toActivityFailure (unit)', () => {
  it.each([
    [403, 50001, 'Missing Access', DiscordFailureType.Forbidden],
    [403, 50013, 'Missing Permissions', DiscordFailureType.Forbidden],
    [403, 50007, 'Cannot send messages to this user', DiscordFailureType.Forbidden],
    [404, 10003, 'Unknown Channel', DiscordFailureType.NotFound],
    [404, 10004, 'Unknown Guild', DiscordFailureType.NotFound],
    [404, 10013, 'Unknown User', DiscordFailureType.NotFound],
    [400, 50006, 'Cannot send an empty message', DiscordFailureType.Rejected],
  ])('makes %i / %i non-retryable', (status, code, message, type) => {
    const f = failure(apiError(status, code, message));
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain(message);
    expect(f.message).toContain('POST /api/v10/channels/123456789012345678/messages');
  });

  it('keeps a 401 retryable: the worker that met it stops, another with a good token takes the work', () => {
    const f = failure(apiError(401, 0, 'Unauthorized'));
    expect(f.type).toBe(DiscordFailureType.Unauthorized);
    expect(f.nonRetryable).toBe(false);
  });

  it('reports the keys of a 50035 error tree, not its values', () => {
    const f = failure(
      apiError(400, 50035, 'Invalid Form Body', {
        embeds: {
          '0': {
            description: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }],
            },
          },
        },
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
      }),
    );
    expect(f.type).toBe(DiscordFailureType.InvalidRequest);
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain('embeds[0].description: BASE_TYPE_MAX_LENGTH');
    expect(f.message).toContain('content: BASE_TYPE_MAX_LENGTH');
  });

  it('retries 40003 (opening DMs too fast) after a delay', () => {
    const f = failure(apiError(403, 40003, 'You are opening direct messages too fast.'));
    expect(f.type).toBe(DiscordFailureType.RateLimited);
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBeGreaterThan(0);
  });

  it('retries 5xx (HTTPError)', () => {
    const f = failure(new HTTPError(502, 'Bad Gateway', 'POST', URL, body));
    expect(f.type).toBe(DiscordFailureType.ServerError);
    expect(f.nonRetryable).toBe(false);
    expect(f.message).toContain('502');
  });

  it('retries a 429 after Retry-After', () => {
    const error = new RateLimitError({
      timeToReset: 2500,
      limit: 5,
      method: 'POST',
      hash: 'abc',
      url: URL,
      route: '/channels/:id/messages',
      majorParameter: '123456789012345678',
      global: false,
      retryAfter: 2550,
      sublimitTimeout: 0,
      scope: 'user',
    });
    const f = failure(error);
    expect(f.type).toBe(DiscordFailureType.RateLimited);
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBe(2550);
    // A 429 without Retry-After must not become a tight loop.
    const bare = failure(Object.assign(error, { retryAfter: 0 }));
    expect(bare.nextRetryDelay).toBe(1000);
  });

  it('retries timeouts and connection resets', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(failure(abort).type).toBe(DiscordFailureType.Timeout);
    expect(failure(abort).nonRetryable).toBe(false);

    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(failure(reset).type).toBe(DiscordFailureType.NetworkError);
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(failure(wrapped).type).toBe(DiscordFailureType.NetworkError);
    expect(failure(wrapped).message).toContain('ECONNREFUSED');
    expect(failure(wrapped).nonRetryable).toBe(false);
  });

  it('treats the token discord.js dropped after a 401 as unauthorized', () => {
    const f = failure(new Error('Expected token to be set for this request, but none was present'));
    expect(f.type).toBe(DiscordFailureType.Unauthorized);
    expect(f.nonRetryable).toBe(false);
  });

  it('redacts tokens from unexpected errors and keeps failures it is given', () => {
    const f = failure(new Error(`boom with Bot ${TOKEN} and ${TOKEN}`));
    expect(f.type).toBe(DiscordFailureType.Unexpected);
    const given = ApplicationFailure.nonRetryable('mine', 'Mine');
    expect(toActivityFailure(given)).toBe(given);
    expect(failure('a string').type).toBe(DiscordFailureType.Unexpected);
  });
});

describe('classifyUndeliverable (unit)', () => {
  it('recognises closed DMs, no mutual guild (left) and unknown users, nothing else', () => {
    expect(classifyUndeliverable(apiError(403, 50007, 'Cannot send messages to this user'))).toBe(
      'dms-closed',
    );
    expect(classifyUndeliverable(apiError(403, 50278, 'No mutual guilds'))).toBe('left-guild');
    expect(classifyUndeliverable(apiError(404, 10013, 'Unknown User'))).toBe('unknown-user');
    expect(classifyUndeliverable(apiError(403, 50013, 'Missing Permissions'))).toBeNull();
    expect(classifyUndeliverable(new HTTPError(500, 'x', 'POST', URL, body))).toBeNull();
    expect(classifyUndeliverable(new Error('x'))).toBeNull();
  });
});
