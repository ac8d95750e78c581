/** The activity factories; workflows import only the types below. */
import { createCleanupDataActivities, temporalScheduleReader } from './cleanup-data';
import { createDiscordActivities } from './discord-notifications';
import { createWarningLifecycleActivities } from './warning-lifecycle';

export {
  createCleanupDataActivities,
  createDiscordActivities,
  createWarningLifecycleActivities,
  temporalScheduleReader,
};
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
  WarningInput,
  WarningsInput,
  WarningDelivery,
  BatchedWarning,
  DeletionNoticeInput,
  LegacyDeletionNoticeInput,
  SummaryInput,
} from './discord-notifications';
export type { WarningLifecycleDeps, StartGraceInput } from './warning-lifecycle';
export type { BackupActivities, BackupWriteInput, BackupWritten } from './backup-data';

export type CleanupDataActivities = ReturnType<typeof createCleanupDataActivities>;
export type DiscordActivities = ReturnType<typeof createDiscordActivities>;
export type WarningLifecycleActivities = ReturnType<typeof createWarningLifecycleActivities>;
export type { BackupErasure, UserDataEraseActivities, UserDataScopeInput } from './user-data-erase';
export type { UserDataExportActivities, UserDataExportInput } from './user-data-export';
export type { HealthActivities } from './health-checks';
export type { AdminReportActivities } from './admin-report';
export type { MaintenanceActivities, PurgeInput } from './maintenance-activities';
