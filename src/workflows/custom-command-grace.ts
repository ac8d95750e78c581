/**
 * The grace period of one creator's commands warned in one cleanup run, read as the
 * process it runs:
 *   1. wait: a durable timer to the deadline the warning DM stated, which survives
 *      worker and server restarts; a use, edit or removal of a command (the
 *      `commandUsed` signal from the bot-side API) takes it out;
 *   2. delete: at the deadline, the commands still idle are archived and deleted in
 *      chunks (a use a millisecond earlier wins); one that cannot be deleted is
 *      skipped and reported;
 *   3. notify: the creator gets one DM with every deleted command's content.
 * The commands stay in the database: the workflow holds counts and a few names for
 * the Web UI, and continues as new if signals pile up in its history. Cancelled (in
 * the Web UI, say), it keeps every command and clears their warnings.
 */
import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CleanupPolicy, DeliveryOutcome } from '../cleanup/model';
import { COMMAND_NAMES } from '../search-attributes';
import { commandUsedSignal, graceStatusQuery, type CommandFate, type GracePhase } from './grace-messages';
import {
  customCommandGraceV1,
  type GraceInputV1,
  type GraceResultV1,
} from './legacy/custom-command-grace-v1';
import { dataActivities, deletionActivities, discordActivities, failureReason } from './activity-proxies';

export * from './grace-messages';
export type { GraceInputV1, GraceResultV1 };

export interface GraceInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  /** The cleanup run that warned: keys the warning, the archive entries and the deletion DM. */
  runKey: string;
  graceWorkflowId: string;
  /** When the warning was delivered (epoch ms). */
  warnedAt: number;
  /** The deadline the warning DM stated. */
  deleteAt: number;
  /** The run's idle cutoff: a use or edit since moves a command's activity past it. */
  selectedBefore: number;
  commandCount: number;
  /** Names shown in the Web UI (the search attribute's budget). */
  listed: string[];
  policy: CleanupPolicy;
  discordTaskQueue: string;
  /** Carried across continue-as-new. */
  used?: { count: number; names: string[] };
}

export interface GraceResult {
  deleted: number;
  kept: number;
  gone: number;
  failed: number;
  notice?: DeliveryOutcome;
}

/** Continue as new well before the history grows large (signals add events). */
const MAX_HISTORY_EVENTS = 2000;

export async function customCommandGrace(
  input: GraceInput | GraceInputV1,
): Promise<GraceResult | GraceResultV1> {
  // Workflows started with every command in their input finish as they began.
  if ('commands' in input) return customCommandGraceV1(input);
  const state = new GraceState(input);
  try {
    const outcome = await waitForDeadline(input, state);
    if (outcome === 'continue')
      return await continueAsNew<typeof customCommandGrace>({ ...input, used: state.used });
    if (outcome === 'all-used')
      return state.finish({ deleted: 0, kept: input.commandCount, gone: 0, failed: 0 });
    const counts = await deleteIdleCommands(input, state);
    const notice = counts.deleted > 0 ? await notifyCreator(input, state, counts.deleted) : undefined;
    return state.finish({ ...counts, notice });
  } catch (error) {
    if (isCancellation(error)) await keepEverything(input);
    throw error;
  }
}

class GraceState {
  phase: GracePhase = 'waiting';
  used: { count: number; names: string[] };

  constructor(private readonly input: GraceInput) {
    this.used = input.used ?? { count: 0, names: [] };
    setHandler(commandUsedSignal, ({ name }) => {
      // Late signals (after the deletion) change nothing: the conditional delete already decided.
      if (this.phase !== 'waiting') return;
      this.used.count += 1;
      if (name !== undefined && input.listed.includes(name) && !this.used.names.includes(name)) {
        this.used.names.push(name);
        upsertSearchAttributes([{ key: COMMAND_NAMES, value: this.pendingNames() }]);
      }
    });
    setHandler(graceStatusQuery, () => ({
      phase: this.phase,
      deleteAt: new Date(input.deleteAt).toISOString(),
      commands: input.listed.map((name) => ({ id: '', name, fate: this.fateOf(name) })),
      pendingCommands: Math.max(0, input.commandCount - this.used.count),
      usedCommands: this.used.count,
    }));
  }

  allUsed(): boolean {
    return this.used.count >= this.input.commandCount;
  }

  finish(result: GraceResult): GraceResult {
    this.phase = 'done';
    return result;
  }

  private pendingNames(): string[] {
    return this.input.listed.filter((name) => !this.used.names.includes(name));
  }

  private fateOf(name: string): CommandFate {
    if (this.used.names.includes(name)) return 'cancelled';
    return this.phase === 'done' ? 'deleted' : 'pending';
  }
}

async function waitForDeadline(
  input: GraceInput,
  state: GraceState,
): Promise<'deadline' | 'all-used' | 'continue'> {
  const historyFull = () => workflowInfo().historyLength > MAX_HISTORY_EVENTS;
  await condition(() => state.allUsed() || historyFull(), Math.max(1, input.deleteAt - Date.now()));
  if (state.allUsed()) return 'all-used';
  if (Date.now() < input.deleteAt) return 'continue';
  return 'deadline';
}

async function deleteIdleCommands(input: GraceInput, state: GraceState) {
  state.phase = 'deleting';
  return deletionActivities({
    summary: `Delete the idle commands of ${input.creatorId}`,
  }).deleteWarnedCommands({
    guildId: input.guildId,
    creatorId: input.creatorId,
    runKey: input.runKey,
    warnedAt: input.warnedAt,
    selectedBefore: input.selectedBefore,
    policy: input.policy,
    at: Date.now(),
  });
}

/** The deletion stands even when its notice cannot be delivered: reported in the next summary. */
async function notifyCreator(
  input: GraceInput,
  state: GraceState,
  deleted: number,
): Promise<DeliveryOutcome> {
  state.phase = 'notifying';
  const { guildId, guildName, creatorId, runKey, policy } = input;
  let notice: DeliveryOutcome;
  try {
    notice = await discordActivities(input.discordTaskQueue, {
      summary: `Deletion DM to ${creatorId}: ${deleted} command(s)`,
    }).sendDeletionDm({ guildId, guildName, creatorId, runKey, policy });
  } catch (error) {
    const reason = failureReason(error);
    log.warn('Deletion DM failed beyond retries', { reason });
    notice = { status: 'failed', detail: reason };
  }
  if (notice.status !== 'sent') {
    const reason = notice.status === 'undeliverable' ? notice.reason : 'failed';
    await dataActivities({
      summary: `Report the undelivered deletion DM of ${creatorId}`,
    }).reportDeletionNotice({
      guildId,
      creatorId,
      runKey,
      commands: deleted,
      reason,
    });
  }
  return notice;
}

/** Cancelled: every command is kept and unwarned (a later run warns them again if still idle). */
async function keepEverything(input: GraceInput): Promise<void> {
  await CancellationScope.nonCancellable(() =>
    dataActivities({
      summary: `Keep the commands of ${input.creatorId}: grace period cancelled`,
    }).abandonGracePeriod({
      guildId: input.guildId,
      creatorId: input.creatorId,
      runKey: input.runKey,
      reason: 'grace period cancelled',
      report: false,
    }),
  );
}
