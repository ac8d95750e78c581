/** The signal and query of grace workflows, shared by the workflows, the bot-side API and the tests. */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export type GracePhase = 'waiting' | 'deleting' | 'notifying' | 'done';
export type CommandFate = 'pending' | 'cancelled' | 'deleted' | 'kept' | 'gone';

export interface GraceStatus {
  phase: GracePhase;
  deleteAt: string;
  /** The commands the workflow names (all of them for small creators, a sample for large ones). */
  commands: { id: string; name: string; fate: CommandFate }[];
  /** Commands still waiting for the deadline, and those a use, edit or removal took out. */
  pendingCommands?: number;
  usedCommands?: number;
}

/** Sent by the bot-side API when a warned command is used, edited or removed. */
export const commandUsedSignal = defineSignal<[{ commandId: string; name?: string }]>('commandUsed');
/** Where each command of this grace period stands. */
export const graceStatusQuery = defineQuery<GraceStatus>('status');
