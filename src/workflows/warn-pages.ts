/**
 * The warning phase of a cleanup run as a pipeline: while one page of creators is being
 * warned, the next page is already claimed, so Discord's budget never waits on the
 * database or on the slowest creator of a page. At most MAX_IN_FLIGHT creators are
 * warned at once, WARN_BATCH to an activity. Before the run continues as new, everything
 * in flight finishes, and
 * the creators claimed but not warned yet travel with the continuation.
 */
import { condition as waitUntil, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import type { ClaimedPage } from '../db/cleanup-store';
import { dataActivities } from './activity-proxies';
import type { CleanupInput, CleanupProgress, customCommandCleanup } from './custom-command-cleanup';
import { warnCreator, warnCreators } from './warn-creator';

/**
 * Commands per claimed page. Each claim reads the guild's idle commands once (a scan on
 * FerretDB), so fewer, larger pages cost less. The history does not grow with the page:
 * at most MAX_IN_FLIGHT creators are warned at once, and the run continues as new
 * between two creators, mid-page.
 */
export const PIPELINE_PAGE_SIZE = 1000;
/** The page of runs begun before the window: two whole pages could be in flight. */
const UNBOUNDED_PAGE_SIZE = 200;
/**
 * Creators whose warning is in flight at once. Enough to keep Discord's budget busy (25
 * creators a second at two requests each, about a second apiece), and no more: every
 * one is a pending activity in the run's state, which the Temporal server writes again
 * with each event. Measured on two cores, 10,000 creators: 100 in flight 513.6 s, 50 459.5 s,
 * 30 458.8 s (2,000 in flight made the server use half again as much CPU per creator).
 */
export const MAX_IN_FLIGHT = 50;
/**
 * Creators whose warning DMs one activity sends. Each activity costs the Temporal server a
 * task to hand out, three history events and a workflow task to take the result; ten
 * creators share them. A batch never retries: a creator it could not settle is warned alone.
 */
export const WARN_BATCH = 10;
/** The window of runs begun before it was narrowed to MAX_IN_FLIGHT. */
const WIDE_WINDOW = 100;
/** Continue as new well before the 10,000-event target, whatever the server suggests. */
export const MAX_HISTORY_EVENTS = 5000;

export async function warnInPipeline(input: CleanupInput, progress: CleanupProgress): Promise<void> {
  // Runs begun before the window warned whole pages at once and rolled over between pages.
  const bounded = patched('bounded-warn-window');
  if (bounded && !input.dryRun) return warnInWindow(input, progress);
  return warnWholePages(
    input,
    progress,
    input.pageSize ?? (bounded ? PIPELINE_PAGE_SIZE : UNBOUNDED_PAGE_SIZE),
  );
}

function claimer(input: CleanupInput, progress: CleanupProgress, pageSize: number) {
  return (afterCreatorId: string | null): Promise<ClaimedPage> =>
    dataActivities({ summary: 'Claim the next creators to warn' }).claimWarnPage({
      guildId: input.guildId,
      cutoff: progress.cutoff,
      runKey: progress.runKey,
      afterCreatorId,
      maxCommands: pageSize,
      dryRun: input.dryRun ?? false,
    });
}

function inFlightSet() {
  const inFlight = new Set<Promise<void>>();
  const track = (warning: Promise<void>) => {
    const tracked = warning.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  return { inFlight, track };
}

/**
 * At most `maxInFlight` creators at once, in the claimed order, the next page claimed
 * while this one is warned. The run continues as new between two creators: what it
 * claimed and has not warned yet travels with it, so nothing is claimed twice.
 */
async function warnInWindow(input: CleanupInput, progress: CleanupProgress): Promise<void> {
  // Runs begun before the narrower window keep the wide one: a replay must schedule alike.
  const narrow = patched('narrower-warn-window');
  const window = input.maxInFlight ?? (narrow ? MAX_IN_FLIGHT : WIDE_WINDOW);
  // Runs begun before the condition keep the race: a replay must resolve alike.
  const freeSlot = slotWaiter(patched('window-slot-condition'));
  // Runs begun before batches send one activity per creator.
  const batch = patched('batched-warning-dms') ? (input.warnBatch ?? WARN_BATCH) : 1;
  const claim = claimer(input, progress, input.pageSize ?? PIPELINE_PAGE_SIZE);
  const { inFlight, track } = inFlightSet();

  const carried = progress.claimed;
  progress.claimed = undefined;
  let queue = carried?.creators ?? [];
  let next = 0; // the queue's next creator to warn
  const resumeAfter = carried ? carried.nextCreatorId : progress.afterCreatorId;
  let claimed: Promise<ClaimedPage> | undefined =
    carried?.nextCreatorId === null ? undefined : claim(resumeAfter);
  let started = 0;
  for (;;) {
    if (next === queue.length) {
      if (!claimed) break;
      const page = await claimed;
      progress.skippedInvalidDocuments += page.skippedInvalid;
      queue = page.creators;
      next = 0;
      claimed = page.nextCreatorId !== null ? claim(page.nextCreatorId) : undefined;
      continue;
    }
    const size = Math.max(1, Math.min(batch, queue.length - next, window));
    if (inFlight.size + size > window) await freeSlot(inFlight, window - size + 1);
    if (started > 0 && historyIsLong(input)) {
      const following = claimed ? await claimed : undefined;
      if (following) progress.skippedInvalidDocuments += following.skippedInvalid;
      progress.claimed = {
        creators: [...queue.slice(next), ...(following?.creators ?? [])],
        nextCreatorId: following?.nextCreatorId ?? null,
      };
      await Promise.all(inFlight);
      await continueAsNew<typeof customCommandCleanup>({ ...input, progress });
    }
    const creators = queue.slice(next, next + size);
    next += size;
    if (creators.length === 1) track(warnCreator(input, progress, creators[0]!));
    else for (const warning of warnCreators(input, progress, creators)) track(warning);
    started += size;
    progress.afterCreatorId = creators[creators.length - 1]!.creatorId;
  }
  await Promise.all(inFlight);
  progress.afterCreatorId = null;
}

/**
 * Waits until fewer than `limit` warnings are in flight. The SDK records a stack trace
 * for every promise a workflow creates (for the Web UI's stack trace query), so a
 * Promise.race over the whole window, once per creator, cost the worker about fifty stack
 * traces a creator; a condition costs one.
 */
function slotWaiter(condition: boolean) {
  return async (inFlight: Set<Promise<void>>, limit: number): Promise<void> => {
    if (condition) return waitUntil(() => inFlight.size < limit);
    while (inFlight.size >= limit) await Promise.race(inFlight);
  };
}

/** Runs begun before the window, and dry runs: whole pages, rolled over between pages. */
async function warnWholePages(
  input: CleanupInput,
  progress: CleanupProgress,
  pageSize: number,
): Promise<void> {
  const claim = claimer(input, progress, pageSize);
  const { inFlight, track } = inFlightSet();

  let next: Promise<ClaimedPage> | undefined = claim(progress.afterCreatorId);
  while (next !== undefined) {
    const page: ClaimedPage = await next;
    progress.skippedInvalidDocuments += page.skippedInvalid;
    const more = page.nextCreatorId !== null;
    const rollOver = more && historyIsLong(input);
    next = more && !rollOver ? claim(page.nextCreatorId) : undefined;

    if (input.dryRun) {
      progress.warnedCreators += page.creators.length;
      progress.warnedCommands += page.creators.reduce((n, c) => n + c.commands, 0);
    } else {
      for (const creator of page.creators) track(warnCreator(input, progress, creator));
    }
    if (next === undefined) {
      await Promise.all(inFlight);
      progress.afterCreatorId = page.nextCreatorId;
      if (rollOver) await continueAsNew<typeof customCommandCleanup>({ ...input, progress });
      return;
    }
    while (inFlight.size > pageSize) await Promise.race(inFlight);
  }
}

/** Time to continue as new: the server suggests it, or the history passed the run's threshold. */
export function historyIsLong(input: CleanupInput): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? MAX_HISTORY_EVENTS)
  );
}
