/** Discord message builders: pure functions from domain data to messages within Discord's limits. */
export { EmbedColor } from './colors';
export {
  buildWarningMessages,
  WARNING_FILE_BASE,
  WARNING_TITLE,
  type WarningCommand,
  type WarningInput,
} from './warning';
export {
  buildDeletionMessages,
  DELETION_FILE_BASE,
  DELETION_TITLE,
  type DeletedCommand,
  type DeletionMessageInput,
} from './deletion';
export {
  buildSummaryMessages,
  DRY_RUN_MARKER,
  SUMMARY_TITLE,
  UNDELIVERABLE_FILE_BASE,
  UNDELIVERABLE_TITLE,
  formatDurationCompact,
  type SummaryMessageInput,
} from './summary';
export { validateMessage } from './validate';
export {
  Limits,
  MAX_ATTACHMENT_BYTES_PER_MESSAGE,
  MAX_FILE_BYTES,
  MAX_FILES_PER_MESSAGE,
  MAX_MESSAGES_PER_NOTIFICATION,
  TEXT_FILE_CONTENT_TYPE,
} from './limits';
export { writeTextFiles, type TextFiles, type TextFileOptions } from './text-files';
