import { customCommandCleanupTask } from '../../src/tasks/custom-command-cleanup';
import { describe, expect, it } from 'vitest';
import {
  batchDeadline,
  DEFAULT_POLICY,
  deletionDeadline,
  graceWorkflowId,
  lastActivity,
  notificationKey,
  warnCutoff,
} from '../../src/cleanup/policy';
import type { CommandRef } from '../../src/cleanup/model';
import { DAY_MS } from '../../src/duration';

const now = Date.UTC(2026, 10, 26, 3, 0, 0);
const ref = (idleDays: number, editedDaysAgo = idleDays): CommandRef => ({
  id: 'a',
  name: 'a',
  lastUsedAt: now - idleDays * DAY_MS,
  updatedAt: now - editedDaysAgo * DAY_MS,
});

describe('cleanup policy (unit)', () => {
  it('measures inactivity from the later of last use and last edit', () => {
    expect(lastActivity(ref(100, 5))).toBe(now - 5 * DAY_MS);
    expect(warnCutoff(now, DEFAULT_POLICY)).toBe(now - 60 * DAY_MS);
  });

  it('never schedules a deletion earlier than the grace period after the warning (first run over old data)', () => {
    // A 200-day-old command warned now: deleted 30 days from now, not today.
    expect(deletionDeadline(ref(200), now, DEFAULT_POLICY)).toBe(now + 30 * DAY_MS);
  });

  it('never schedules a deletion before the delete threshold of inactivity', () => {
    const policy = { ...DEFAULT_POLICY, gracePeriodMs: 1 * DAY_MS };
    // Idle 61 days, warned now: 90 days of inactivity are reached in 29 days, later than the 1-day grace.
    expect(deletionDeadline(ref(61), now, policy)).toBe(now + 29 * DAY_MS);
  });

  it('gives a batch the latest deadline of its commands', () => {
    const policy = { ...DEFAULT_POLICY, gracePeriodMs: 1 * DAY_MS };
    expect(batchDeadline([ref(200), ref(61), ref(80)], now, policy)).toBe(now + 29 * DAY_MS);
  });

  it('derives readable business keys', () => {
    const runKey = 'custom-command-cleanup:111111111111111111-2026-11-26T03:00:00Z';
    expect(graceWorkflowId('111111111111111111', '222222222222222222', runKey)).toBe(
      'custom-command-grace:111111111111111111:222222222222222222:2026-11-26T03:00:00Z',
    );
    const manual = customCommandCleanupTask.manualWorkflowId('111111111111111111', new Date(now));
    expect(manual).toBe('custom-command-cleanup:111111111111111111:manual-2026-11-26T03:00:00.000Z');
    expect(graceWorkflowId('111111111111111111', '2', manual)).toBe(
      'custom-command-grace:111111111111111111:2:manual-2026-11-26T03:00:00.000Z',
    );
    expect(notificationKey('g', 'u', 'warning', runKey)).not.toBe(
      notificationKey('g', 'u', 'deletion', runKey),
    );
  });
});
