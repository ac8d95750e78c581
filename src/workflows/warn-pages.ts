/**
 * The warning phase of a cleanup run as a pipeline: while one page of creators is being
 * warned, the next page is already claimed, so Discord's budget never waits on the
 * database or on the slowest creator of a page. At most about two pages of creators are
 * in flight. Before the run continues as new, everything in flight finishes, so the next
 * run starts after a creator whose warning is complete.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { ClaimedPage } from '../db/cleanup-store';
import { dataActivities } from './activity-proxies';
import type { CleanupInput, CleanupProgress, customCommandCleanup } from './custom-command-cleanup';
import { warnCreator } from './warn-creator';

/**
 * Commands per claimed page. Each claim reads the guild's idle commands once (a scan on
 * FerretDB), so fewer, larger pages cost less; a page of creators adds about 8 history
 * events each, so two pages in flight stay well under 10,000 events when the run
 * continues as new at MAX_HISTORY_EVENTS.
 */
export const PIPELINE_PAGE_SIZE = 200;
/** Continue as new well before the 10,000-event target, whatever the server suggests. */
export const MAX_HISTORY_EVENTS = 5000;

export async function warnInPipeline(input: CleanupInput, progress: CleanupProgress): Promise<void> {
  const pageSize = input.pageSize ?? PIPELINE_PAGE_SIZE;
  const claim = (afterCreatorId: string | null): Promise<ClaimedPage> =>
    dataActivities({ summary: 'Claim the next creators to warn' }).claimWarnPage({
      guildId: input.guildId,
      cutoff: progress.cutoff,
      runKey: progress.runKey,
      afterCreatorId,
      maxCommands: pageSize,
      dryRun: input.dryRun ?? false,
    });
  const inFlight = new Set<Promise<void>>();
  const track = (warning: Promise<void>) => {
    const tracked = warning.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

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
