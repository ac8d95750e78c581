/**
 * The warning of one creator in one run, in three steps that each survive a retry:
 *   1. claim: a page of creators is selected and their idle commands are marked
 *      `cleanupPending` with the run's key (one updateMany per page);
 *   2. the DM lists exactly the commands still marked (a use or an edit unmarks one);
 *   3. confirm: once the DM was delivered, the marked commands that are still idle get
 *      their `cleanup` warning (one updateMany per creator), or lose the mark.
 * Nothing here holds a creator's commands in memory: counts cross workflow
 * boundaries, the commands themselves stay in the database.
 */
import type { Collection, Filter } from 'mongodb';
import type { CustomCommandDoc } from './contract';
import { asCommandDoc } from './document-guard';

export interface ClaimedCreator {
  creatorId: string;
  /** Commands marked for this creator's warning in this run. */
  commands: number;
}

export interface ClaimedPage {
  creators: ClaimedCreator[];
  /** Resume after this creator id; null when the sweep is complete. */
  nextCreatorId: string | null;
  /** Idle documents breaking the contract (counted on the first page only). */
  skippedInvalid: number;
}

export interface MarkedCommand {
  name: string;
  lastActivity: number;
}

export interface ConfirmedWarning {
  warnedAt: Date;
  deleteAfter: Date;
  graceWorkflowId: string;
}

/**
 * The fields the cleanup reads: a document lacking one of them is skipped and counted.
 * `$type` alone also matches an array holding that type, hence the explicit no-arrays.
 */
const TYPED_FIELDS: [field: string, type: string][] = [
  ['_id', 'objectId'],
  ['name', 'string'],
  ['content', 'string'],
  ['creatorId', 'string'],
  ['useCount', 'number'],
  ['createdAt', 'date'],
  ['lastUsedAt', 'date'],
  ['updatedAt', 'date'],
];
const WELL_FORMED = {
  $and: TYPED_FIELDS.flatMap(([field, type]) => [
    { [field]: { $type: type } },
    { [field]: { $not: { $type: 'array' } } },
  ]),
} as unknown as Filter<CustomCommandDoc>;
const MALFORMED = {
  $or: TYPED_FIELDS.flatMap(([field, type]) => [
    { [field]: { $not: { $type: type } } },
    { [field]: { $type: 'array' } },
  ]),
} as unknown as Filter<CustomCommandDoc>;
/**
 * Missing, not a string, empty, or an array: such a creator can be neither paged nor
 * messaged. (`$gt` alone also matches an array holding a string, hence the explicit arrays.)
 */
const NO_CREATOR = {
  $or: [{ creatorId: { $not: { $gt: '' } } }, { creatorId: { $type: 'array' } }],
} as unknown as Filter<CustomCommandDoc>;
const PAGEABLE_AFTER = (creatorId: string) =>
  ({ creatorId: { $gt: creatorId, $not: { $type: 'array' } } }) as unknown as Filter<CustomCommandDoc>;

function idleSince(cutoff: Date): Filter<CustomCommandDoc> {
  // Inactivity runs from the later of the last use and the last edit, hence both.
  return { lastUsedAt: { $lte: cutoff }, updatedAt: { $lte: cutoff } };
}

export interface ClaimWarnPageInput {
  guildId: string;
  cutoff: Date;
  runKey: string;
  afterCreatorId: string | null;
  maxCommands: number;
  /** Count what would be claimed, mark nothing. */
  dryRun?: boolean;
}

export async function claimWarnPage(
  commands: Collection<CustomCommandDoc>,
  input: ClaimWarnPageInput,
): Promise<ClaimedPage> {
  const { guildId, cutoff, runKey, maxCommands } = input;
  if (!Number.isInteger(maxCommands) || maxCommands < 1) {
    throw new RangeError(`maxCommands must be a positive integer, got ${maxCommands}`);
  }
  const unwarned = { cleanup: { $exists: false } } as Filter<CustomCommandDoc>;
  // Marked by an earlier attempt of this same claim: a retry returns the same page.
  const claimable: Filter<CustomCommandDoc> = {
    guildId,
    ...idleSince(cutoff),
    ...unwarned,
    $or: [{ cleanupPending: { $exists: false } }, { 'cleanupPending.runKey': runKey }],
  };

  // Documents without a usable creator never enter a page: counted once, on the first page.
  const withoutCreator =
    input.afterCreatorId === null
      ? await commands.countDocuments({ guildId, ...idleSince(cutoff), ...unwarned, ...NO_CREATOR })
      : 0;

  // One more than a page: whether the last creator continues beyond it. The page's counts
  // come from this one read (of the guild's idle commands on the embedded FerretDB, which
  // sorts them itself; an index range on MongoDB), and the marking below is one statement
  // over the read ids, whatever the page's creator count.
  // Documents breaking the contract are told apart here, not in the query: on FerretDB its
  // sixteen type conditions cost more than the read itself.
  const window = await commands
    .find({ ...claimable, ...PAGEABLE_AFTER(input.afterCreatorId ?? '') })
    .sort({ creatorId: 1, _id: 1 })
    .limit(maxCommands + 1)
    .toArray();
  const { creatorIds, nextCreatorId } = wholeCreators(
    window.map((doc) => doc.creatorId),
    maxCommands,
  );
  if (creatorIds.length === 0) return { creators: [], nextCreatorId: null, skippedInvalid: withoutCreator };
  // A creator who alone fills the window has more commands than it shows: marked and counted by creator.
  if (creatorIds.length === 1 && window.length > maxCommands) {
    const creatorId = creatorIds[0]!;
    const mine = { ...claimable, creatorId };
    if (!input.dryRun) {
      await commands.updateMany(
        { ...mine, ...WELL_FORMED, cleanupPending: { $exists: false } },
        { $set: { cleanupPending: { runKey, selectedBefore: cutoff } } },
      );
    }
    const [n, invalid] = await Promise.all([
      commands.countDocuments(
        input.dryRun ? { ...mine, ...WELL_FORMED } : { guildId, creatorId, 'cleanupPending.runKey': runKey },
      ),
      commands.countDocuments({ ...mine, ...MALFORMED }),
    ]);
    return {
      creators: countsIn(creatorIds, [{ _id: creatorId, n }]),
      nextCreatorId,
      skippedInvalid: withoutCreator + invalid,
    };
  }
  const included = new Set(creatorIds);
  const mine = window.filter((doc) => included.has(doc.creatorId));
  const page = mine.filter((doc) => asCommandDoc(doc) !== null);
  const skippedInvalid = withoutCreator + mine.length - page.length;
  if (!input.dryRun && page.length > 0) {
    // Still claimable when marked: a use since the read keeps its command out of the warning.
    await commands.updateMany(
      { ...claimable, _id: { $in: page.map((doc) => doc._id) }, cleanupPending: { $exists: false } },
      { $set: { cleanupPending: { runKey, selectedBefore: cutoff } } },
    );
  }
  return { creators: countsIn(creatorIds, tally(page)), nextCreatorId, skippedInvalid };
}

function tally(window: { creatorId: string }[]): { _id: string; n: number }[] {
  const counts = new Map<string, number>();
  for (const { creatorId } of window) counts.set(creatorId, (counts.get(creatorId) ?? 0) + 1);
  return [...counts].map(([_id, n]) => ({ _id, n }));
}

function countsIn(creatorIds: string[], counts: { _id: string; n: number }[]): ClaimedCreator[] {
  const byCreator = new Map(counts.map((c) => [c._id, c.n]));
  return creatorIds
    .map((creatorId) => ({ creatorId, commands: byCreator.get(creatorId) ?? 0 }))
    .filter((c) => c.commands > 0);
}

/**
 * Cuts a window of at most maxCommands + 1 creator ids (sorted) down to whole
 * creators. A full window drops its last creator, read again from the start by the
 * next page; a creator who alone fills the window is the whole page.
 */
export function wholeCreators(
  window: string[],
  maxCommands: number,
): { creatorIds: string[]; nextCreatorId: string | null } {
  const distinct = [...new Set(window)];
  if (window.length <= maxCommands) return { creatorIds: distinct, nextCreatorId: null };
  const complete = distinct.length > 1 ? distinct.slice(0, -1) : distinct;
  return { creatorIds: complete, nextCreatorId: complete.at(-1)! };
}

/** The commands marked for this creator's warning in this run, by name, streamed. */
export async function* markedCommands(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  creatorId: string,
  runKey: string,
): AsyncGenerator<MarkedCommand> {
  const cursor = commands
    .find({ guildId, creatorId, 'cleanupPending.runKey': runKey })
    .sort({ name: 1 })
    .project<{ name: string; lastUsedAt: Date; updatedAt: Date }>({
      _id: 0,
      name: 1,
      lastUsedAt: 1,
      updatedAt: 1,
    });
  for await (const doc of cursor) {
    // Claimed documents were well formed; one rewritten badly since is left out, not fatal.
    const { name, lastUsedAt, updatedAt } = doc as { name: unknown; lastUsedAt: unknown; updatedAt: unknown };
    if (typeof name !== 'string' || !(lastUsedAt instanceof Date) || !(updatedAt instanceof Date)) continue;
    yield { name, lastActivity: Math.max(lastUsedAt.getTime(), updatedAt.getTime()) };
  }
}

export interface ConfirmWarningsInput {
  guildId: string;
  creatorId: string;
  runKey: string;
  selectedBefore: Date;
  warning: ConfirmedWarning;
  /** How many commands the DM listed (all of this run's marks of the creator), when known. */
  listed?: number;
}

/**
 * Turns this run's marks of one creator into the delivered warning, on the commands
 * still idle since selection; the others (used or edited without the bot-side API)
 * lose the mark. Idempotent; returns how many commands carry the warning.
 */
export async function confirmWarnings(
  commands: Collection<CustomCommandDoc>,
  input: ConfirmWarningsInput,
): Promise<number> {
  const { guildId, creatorId, runKey, selectedBefore, warning } = input;
  const cleanup = { ...warning, runKey, selectedBefore };
  const marked = { guildId, creatorId, 'cleanupPending.runKey': runKey } as Filter<CustomCommandDoc>;
  const { modifiedCount } = await commands.updateMany(
    { ...marked, ...idleSince(selectedBefore) },
    { $set: { cleanup }, $unset: { cleanupPending: '' } },
  );
  // Every listed command was still idle, and this statement confirmed them all: no mark is
  // left to drop and there is nothing to count (the common case: two statements less). A
  // retry finds nothing left to modify and counts.
  if (input.listed !== undefined && input.listed > 0 && modifiedCount === input.listed) return modifiedCount;
  await commands.updateMany(marked, { $unset: { cleanupPending: '' } });
  return commands.countDocuments({
    guildId,
    creatorId,
    'cleanup.runKey': runKey,
    'cleanup.warnedAt': warning.warnedAt,
  });
}

/** Drops this run's marks of one creator (their DM failed: the next run tries again). */
export async function releaseMarks(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  creatorId: string,
  runKey: string,
): Promise<number> {
  const { modifiedCount } = await commands.updateMany(
    { guildId, creatorId, 'cleanupPending.runKey': runKey },
    { $unset: { cleanupPending: '' } },
  );
  return modifiedCount;
}
