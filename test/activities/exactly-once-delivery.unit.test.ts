/**
 * Unit tests (fake notification log and fake sender, in the SDK's mock activity
 * context): each part's attempt and message id are on record, so a retry skips the
 * parts delivered, trusts the nonce for a recent unknown outcome, and checks the
 * channel for an older one before sending again.
 */
import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DeliveryOutcome } from '../../src/cleanup/model';
import { deliverParts, NONCE_TRUST_MS, type PartSender } from '../../src/activities/exactly-once-delivery';
import type { NotificationLog, NotificationRecord } from '../../src/db';
import type { MessagePayload } from '../../src/discord';
import { HOUR_MS } from '../../src/duration';

const KEY = 'guild:user:warning:run-1';
const T0 = Date.UTC(2026, 11, 1);
const messages: MessagePayload[] = [0, 1, 2].map((i) => ({ content: `part ${i}` }));

function fakeLog(initial?: Partial<NotificationRecord>) {
  let record: NotificationRecord = {
    _id: KEY,
    status: 'pending',
    parts: {},
    createdAt: new Date(T0),
    ...initial,
  };
  const setPart = (part: number, change: { attemptedAt?: Date; messageId?: string }) => {
    const key = `p${part}`;
    record = { ...record, parts: { ...record.parts, [key]: { ...record.parts?.[key], ...change } } };
    return Promise.resolve();
  };
  const log: Partial<NotificationLog> = {
    get: () => Promise.resolve(record),
    partAttempted: (_k, part, attemptedAt) => setPart(part, { attemptedAt }),
    partSent: (_k, part, messageId) => setPart(part, { messageId }),
    settle: (_k, outcome) => {
      record = { ...record, ...outcome };
      return Promise.resolve();
    },
  };
  return { log: log as NotificationLog, current: () => record };
}

function fakeSender(options: { failOnCall?: number; inChannel?: string[] } = {}) {
  const sent: string[] = [];
  const searched: number[] = [];
  let calls = 0;
  const sender: PartSender = {
    send: (message, partKey): Promise<DeliveryOutcome> => {
      calls += 1;
      if (calls === options.failOnCall) return Promise.reject(new Error('502 from Discord'));
      sent.push(partKey);
      return Promise.resolve({ status: 'sent', messageIds: [`id-${String(message.content)}`] });
    },
    channelId: () => Promise.resolve('dm-channel'),
    findPostedMessage: (_channel, message, notBefore) => {
      searched.push(notBefore);
      const found = options.inChannel?.includes(String(message.content));
      return Promise.resolve(found ? `found-${String(message.content)}` : null);
    },
  };
  return { sender, sent, searched };
}

const run = (fn: () => Promise<DeliveryOutcome>) => new MockActivityEnvironment().run(fn);

describe('exactly-once delivery of a notification (unit, fake log and sender)', () => {
  it('records each part as it goes, so a failure midway leaves the delivered parts on record', async () => {
    const { log, current } = fakeLog();
    const { sender, sent } = fakeSender({ failOnCall: 3 });
    const deps = { notifications: log, now: () => new Date(T0) };
    await expect(run(() => deliverParts(deps, current(), messages, sender))).rejects.toThrow('502');
    expect(sent).toEqual([`${KEY}#0`, `${KEY}#1`]);
    expect(current().parts).toMatchObject({ p0: { messageId: 'id-part 0' }, p1: { messageId: 'id-part 1' } });
    expect(current().parts?.p2?.attemptedAt).toBeInstanceOf(Date);
    expect(current().status).toBe('pending');
  });

  it('a retry sends only the parts not delivered, and settles with every id', async () => {
    const { log, current } = fakeLog({
      parts: { p0: { attemptedAt: new Date(T0), messageId: 'earlier-0' }, p1: { messageId: 'earlier-1' } },
    });
    const { sender, sent } = fakeSender();
    const deps = { notifications: log, now: () => new Date(T0 + 1000) };
    const outcome = await run(() => deliverParts(deps, current(), messages, sender));
    expect(sent).toEqual([`${KEY}#2`]);
    expect(outcome).toEqual({ status: 'sent', messageIds: ['earlier-0', 'earlier-1', 'id-part 2'] });
    expect(current()).toMatchObject({ status: 'sent', messageIds: ['earlier-0', 'earlier-1', 'id-part 2'] });
  });

  it('within the nonce window, a part of unknown outcome is sent again with the same nonce (Discord dedupes)', async () => {
    const { log, current } = fakeLog({ parts: { p0: { attemptedAt: new Date(T0) } } });
    const { sender, sent, searched } = fakeSender({ inChannel: ['part 0'] });
    const deps = { notifications: log, now: () => new Date(T0 + NONCE_TRUST_MS - 1000) };
    await run(() => deliverParts(deps, current(), messages, sender));
    expect(searched).toEqual([]);
    expect(sent[0]).toBe(`${KEY}#0`);
  });

  it('past the nonce window, a part already in the channel is recorded, not sent again', async () => {
    const { log, current } = fakeLog({ parts: { p0: { attemptedAt: new Date(T0) } } });
    const { sender, sent, searched } = fakeSender({ inChannel: ['part 0'] });
    const deps = { notifications: log, now: () => new Date(T0 + HOUR_MS) };
    const outcome = await run(() => deliverParts(deps, current(), messages, sender));
    expect(searched).toHaveLength(1);
    expect(searched[0]).toBeLessThanOrEqual(T0);
    expect(sent).toEqual([`${KEY}#1`, `${KEY}#2`]);
    expect(outcome).toMatchObject({ messageIds: ['found-part 0', 'id-part 1', 'id-part 2'] });
  });

  it('past the nonce window, a part not found in the channel is sent again', async () => {
    const { log, current } = fakeLog({ parts: { p0: { attemptedAt: new Date(T0) } } });
    const { sender, sent } = fakeSender({ inChannel: [] });
    const deps = { notifications: log, now: () => new Date(T0 + HOUR_MS) };
    await run(() => deliverParts(deps, current(), messages, sender));
    expect(sent).toEqual([`${KEY}#0`, `${KEY}#1`, `${KEY}#2`]);
  });

  it('stops between parts when the activity is cancelled', async () => {
    const { log, current } = fakeLog();
    const env = new MockActivityEnvironment();
    const sent: string[] = [];
    const sender: PartSender = {
      ...fakeSender().sender,
      send: (_message, partKey) => {
        sent.push(partKey);
        env.cancel();
        return Promise.resolve({ status: 'sent', messageIds: ['x'] });
      },
    };
    const deps = { notifications: log, now: () => new Date(T0) };
    await expect(env.run(() => deliverParts(deps, current(), messages, sender))).rejects.toThrow();
    expect(sent).toEqual([`${KEY}#0`]);
  });

  it('heartbeats between parts, never after the last (the completion follows at once)', async () => {
    const beats = async (parts: MessagePayload[]) => {
      const { log, current } = fakeLog();
      const env = new MockActivityEnvironment();
      const seen: unknown[] = [];
      env.on('heartbeat', (details: unknown) => seen.push(details));
      const deps = { notifications: log, now: () => new Date(T0) };
      await env.run(() => deliverParts(deps, current(), parts, fakeSender().sender));
      return seen;
    };
    expect(await beats(messages)).toEqual([{ part: 0 }, { part: 1 }]);
    expect(await beats(messages.slice(0, 1))).toEqual([]);
  });
});
