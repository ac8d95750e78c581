/**
 * The cleanup's activities wired to their dependencies, in one place that the worker,
 * the tests and the benchmark share: the main task queue's (MongoDB and Temporal
 * work) and the Discord task queue's.
 */
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import {
  createCleanupStore,
  createCommandStore,
  createIncidentLog,
  createNotificationLog,
  createRunLock,
  createRunLog,
} from '../db';
import type { DiscordGateway } from '../discord/contract';
import { createCleanupDataActivities, type ScheduleReader } from './cleanup-data';
import { createDiscordActivities } from './discord-notifications';
import { createWarningLifecycleActivities } from './warning-lifecycle';
import { heartbeating } from './bounded';

export interface CleanupActivityWiring {
  db: Db;
  temporal: Client;
  discord: DiscordGateway;
  schedules: ScheduleReader;
  /** Task queue of the workflows (grace workflows are started there). */
  taskQueue: string;
  archiveRetentionMs: number;
  now?: () => Date;
}

export async function createCleanupActivities(wiring: CleanupActivityWiring) {
  const { db, temporal, taskQueue, now } = wiring;
  const store = createCommandStore(db);
  const cleanup = createCleanupStore(db);
  const notifications = createNotificationLog(db);
  const incidents = createIncidentLog(db);
  // One at a time: FerretDB 1.24 mishandles concurrent index creation on one collection.
  for (const indexed of [store, cleanup, notifications, incidents]) await indexed.ensureIndexes();

  const data = heartbeating(
    {
      ...createCleanupDataActivities({
        store,
        cleanup,
        incidents,
        notifications,
        runs: createRunLog(db),
        temporal,
        schedules: wiring.schedules,
        taskQueue,
        archiveRetentionMs: wiring.archiveRetentionMs,
        ...(now ? { now } : {}),
      }),
      ...createWarningLifecycleActivities({
        cleanup,
        incidents,
        locks: createRunLock(db),
        temporal,
        taskQueue,
        ...(now ? { now } : {}),
      }),
    },
    // It heartbeats its progress after each chunk itself.
    ['deleteWarnedCommands'],
  );
  const discord = heartbeating(
    createDiscordActivities({
      discord: wiring.discord,
      notifications,
      store,
      cleanup,
      ...(now ? { now } : {}),
    }),
  );
  return { data, discord, store };
}
