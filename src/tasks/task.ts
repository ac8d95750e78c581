/** A periodic task of the bot: one Schedule per guild starting one workflow. */
import type { ScheduleSpec } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Config } from '../config';

export interface ScheduledTask {
  /** The name operators type: `starter run <name>`. */
  name: string;
  description: string;
  workflowType: string;
  /** Business key of the guild's schedule; its runs are `<scheduleId>-<time>`. */
  scheduleId(guildId: string): string;
  /** Workflow id of a run started by hand. */
  manualWorkflowId(guildId: string, at: Date): string;
  spec(config: Config): ScheduleSpec;
  workflowArgs(config: Config, guildId: string, options: { dryRun: boolean }): unknown[];
  searchAttributes(guildId: string): SearchAttributePair[];
  /** One line for the Web UI. */
  summary(guildId: string, options: { dryRun: boolean }): string;
}
