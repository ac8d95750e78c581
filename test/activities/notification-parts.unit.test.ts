/**
 * Unit tests (fake gateway and notification log, in the SDK's mock activity context):
 * a notification of several messages remembers the parts already sent in the
 * activity's heartbeat, and a retry resumes after them instead of sending them again.
 */
import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DeliveryOutcome } from '../../src/cleanup/model';
import { createDiscordActivities, type WarningDmInput } from '../../src/activities';
import type { CommandStore, NotificationLog, NotificationRecord } from '../../src/db';
import type { DiscordGateway, MessagePayload } from '../../src/discord';

const DAY = 86_400_000;

function fakes(failOnCall?: number) {
  const sent: { key: string; message: MessagePayload }[] = [];
  let calls = 0;
  const records = new Map<string, NotificationRecord>();
  const discord: Partial<DiscordGateway> = {
    isMember: () => Promise.resolve(true),
    sendDirectMessage: (_user, messages, key): Promise<DeliveryOutcome> => {
      calls += 1;
      if (calls === failOnCall) return Promise.reject(new Error('502 from Discord'));
      sent.push({ key, message: messages[0]! });
      return Promise.resolve({ status: 'sent', messageIds: [`m${sent.length}`] });
    },
  };
  const notifications: Partial<NotificationLog> = {
    get: (key) => Promise.resolve(records.get(key) ?? null),
    record: (key, outcome, now) => {
      const record = { _id: key, createdAt: now, ...outcome };
      records.set(key, record);
      return Promise.resolve(record);
    },
  };
  const activities = createDiscordActivities({
    discord: discord as DiscordGateway,
    notifications: notifications as NotificationLog,
    store: {} as CommandStore,
  });
  return { activities, sent, records };
}

// Enough commands for a warning of several messages.
const input: WarningDmInput = {
  guildId: '1196423538278531072',
  guildName: 'Demo Guild',
  creatorId: '1196423567638659079',
  runKey: 'run-1',
  deleteAt: Date.UTC(2027, 0, 1),
  now: Date.UTC(2026, 11, 1),
  commands: Array.from({ length: 400 }, (_, i) => ({
    name: `command-${i}`,
    lastActivity: Date.UTC(2026, 11, 1) - 70 * DAY,
  })),
};

describe('multi-part notifications (unit, fake gateway)', () => {
  it('heartbeats the parts sent, so a failure midway leaves them on record', async () => {
    const { activities, sent } = fakes(3);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    await expect(env.run((i: WarningDmInput) => activities.sendWarningDm(i), input)).rejects.toThrow('502');
    expect(sent.map((s) => s.key)).toEqual([
      '1196423538278531072:1196423567638659079:warning:run-1#0',
      '1196423538278531072:1196423567638659079:warning:run-1#1',
    ]);
    expect(beats.at(-1)).toEqual({ sentIds: ['m1', 'm2'] });
  });

  it('a retry resumes after the parts its heartbeat lists, and records the whole message', async () => {
    const { activities, sent, records } = fakes();
    const env = new MockActivityEnvironment({ heartbeatDetails: { sentIds: ['earlier-1', 'earlier-2'] } });
    const outcome: DeliveryOutcome = await env.run((i: WarningDmInput) => activities.sendWarningDm(i), input);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.key.endsWith('#2')).toBe(true);
    expect(outcome.status).toBe('sent');
    const ids = (outcome as { messageIds: string[] }).messageIds;
    expect(ids.slice(0, 2)).toEqual(['earlier-1', 'earlier-2']);
    expect(ids).toHaveLength(2 + sent.length);
    expect([...records.values()][0]).toMatchObject({ status: 'sent', messageIds: ids });
  });
});
