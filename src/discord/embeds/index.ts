/** Discord message builders: pure functions from domain data to messages within Discord's limits. */
export { EmbedColor } from './colors';
export { buildWarningMessages, WARNING_TITLE, type WarningCommand, type WarningInput } from './warning';
export { buildDeletionMessages, DELETION_TITLE, type DeletedCommand, type DeletionInput } from './deletion';
export {
  buildSummaryMessages,
  DRY_RUN_MARKER,
  SUMMARY_TITLE,
  UNDELIVERABLE_TITLE,
  formatDuration,
  type SummaryInput,
} from './summary';
export { validateMessage } from './validate';
export { Limits } from './limits';
