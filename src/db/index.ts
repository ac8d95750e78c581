/** The data layer: MongoDB (or FerretDB) behind the interfaces of contract.ts. */
export * from './contract';
export { createCommandStore } from './command-store';
export { newCommandDoc, type NewCommandFields } from './command-doc';
export { createNotificationLog } from './notification-log';
export { createRunLog } from './run-log';
export {
  CommandExistsError,
  CommandNotFoundError,
  InvalidCommandError,
  NothingToRestoreError,
  MAX_CONTENT_LENGTH,
  NAME_PATTERN,
  normalizeName,
  validContent,
  validName,
} from './command-rules';
export { asCommandDoc, InvalidDocumentError } from './document-guard';
export { archiveId } from './command-mapping';
export { createCleanupStore, type CleanupStore } from './cleanup-store';
export { createRunLock, type RunLock, type LockOutcome } from './run-lock';
export { createIncidentLog, type IncidentLog, type Incident, type IncidentKind } from './incidents';
export { createDmChannelDirectory } from './dm-channels';
