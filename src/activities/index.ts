/** The activity factories; workflows import only the types below. */
import { createCleanupDataActivities, temporalScheduleReader } from './cleanup-data';
import { createDiscordActivities } from './discord-notifications';

export { createCleanupDataActivities, createDiscordActivities, temporalScheduleReader };
export type {
  CleanupDataDeps,
  ScheduleReader,
  DeletionInput,
  DeletionReport,
  RecordWarningsInput,
  RunFacts,
} from './cleanup-data';
export type {
  DiscordActivityDeps,
  WarningDmInput,
  DeletionDmInput,
  SummaryInput,
} from './discord-notifications';

export type CleanupDataActivities = ReturnType<typeof createCleanupDataActivities>;
export type DiscordActivities = ReturnType<typeof createDiscordActivities>;
