/**
 * The counts of one scenario, from ground truth: what the emulator stored (every
 * message, with its recipient, embeds, nonce and arrival time) and what the database
 * holds at the end (commands, archive). The product's own records are read only to
 * learn the run keys and to tell the two kinds of early deletion apart.
 *
 * A notification is identified as the product keys it, (guild, recipient, phase, run):
 * each message's nonce is matched against the nonce the product derives from that key
 * and the part index (src/discord/nonce.ts). A message no key explains is classified by
 * its embed title and counted as an unexpected notification of an unknown run.
 */
import type { Client } from '@temporalio/client';
import type { Db, Document } from 'mongodb';
import { COLLECTIONS } from '../../../src/db';
import { nonceFor } from '../../../src/discord/nonce';
import { notificationKey, type NotificationPhase } from '../../../src/cleanup/policy';
import type { EmulatorMessage } from '../../../src/emulator';

export interface Expectation {
  /** A user id (DMs) or the admin channel id (summaries). */
  recipient: string;
  phase: NotificationPhase;
}

export interface UseRecord {
  commandId: string;
  name: string;
  /** Just before the use was written (epoch ms). */
  at: number;
}

export interface ScenarioCounts {
  dmsExpected: number;
  dmsSent: number;
  duplicateDms: number;
  lostDms: number;
  prematureDeletions: number;
  stuckWarnings: number;
  /** What stands behind the counts, for the report. */
  details: {
    unexpected: string[];
    duplicates: string[];
    lost: string[];
    premature: string[];
    /** How many entries each rule caught, and by how much at most. */
    prematureByRule: string[];
    stuck: string[];
    unarchivedDeletions: number;
    runKeys: string[];
    messages: number;
  };
}

export interface LedgerInput {
  db: Db;
  client: Client;
  guildId: string;
  adminChannelId: string;
  messages: EmulatorMessage[];
  expectations: Expectation[];
  uses: UseRecord[];
  graceMs: number;
  deleteAfterMs: number;
  stuckMarginMs: number;
}

const MAX_PARTS = 3;
/** Evidence lines kept per kind: enough to show the pattern without flooding the report. */
const LISTED = 8;

interface Received {
  recipient: string;
  phase: NotificationPhase | 'other';
  run: string;
  /** Arrival times of each part (several when a part arrived more than once). */
  parts: Map<number, number[]>;
}

export async function evaluate(input: LedgerInput): Promise<ScenarioCounts> {
  const runKeys = await findRunKeys(input);
  const recipients = new Set<string>([input.adminChannelId, ...input.expectations.map((e) => e.recipient)]);
  for (const m of input.messages) if (m.recipient_id) recipients.add(m.recipient_id);

  // nonce -> (recipient, phase, run, part) for every key the product could have used.
  const byNonce = new Map<
    string,
    { recipient: string; phase: NotificationPhase; run: string; part: number }
  >();
  for (const run of runKeys)
    for (const recipient of recipients)
      for (const phase of ['warning', 'deletion', 'summary'] as const)
        for (let part = 0; part < MAX_PARTS; part++) {
          const key = notificationKey(input.guildId, recipient, phase, run);
          byNonce.set(nonceFor(`${key}#${part}`, 0), { recipient, phase, run, part });
        }

  const groups = new Map<string, Received>();
  for (const m of input.messages) {
    const recipient = m.recipient_id ?? m.channel_id;
    const known = m.nonce ? byNonce.get(String(m.nonce)) : undefined;
    const phase = known?.phase ?? phaseByTitle(m);
    const run = known?.run ?? 'unknown run';
    const part = known?.part ?? (/\(continued\)/.test(titleOf(m)) ? 1 : 0);
    const id = `${recipient}|${phase}|${run}`;
    const group: Received = groups.get(id) ?? { recipient, phase, run, parts: new Map<number, number[]>() };
    group.parts.set(part, [...(group.parts.get(part) ?? []), Date.parse(m.timestamp)]);
    groups.set(id, group);
  }

  // Expected notifications, matched to what arrived for the same recipient and phase.
  const details: ScenarioCounts['details'] = {
    unexpected: [],
    duplicates: [],
    lost: [],
    premature: [],
    prematureByRule: [],
    stuck: [],
    unarchivedDeletions: 0,
    runKeys,
    messages: input.messages.length,
  };
  const unmatched = new Set(groups.keys());
  let lostDms = 0;
  for (const e of input.expectations) {
    const match = [...unmatched].find((id) => {
      const g = groups.get(id)!;
      return g.recipient === e.recipient && g.phase === e.phase;
    });
    if (match) unmatched.delete(match);
    else {
      lostDms += 1;
      if (details.lost.length < LISTED) details.lost.push(`${e.phase} to ${e.recipient}`);
    }
  }
  for (const id of unmatched) {
    const g = groups.get(id)!;
    if (details.unexpected.length < LISTED)
      details.unexpected.push(`${g.phase} to ${g.recipient} (${g.run})`);
  }

  let duplicateDms = 0;
  let dmsSent = 0;
  for (const g of groups.values()) {
    const extra = Math.max(0, ...[...g.parts.values()].map((times) => times.length - 1));
    duplicateDms += extra;
    dmsSent += 1 + extra;
    if (extra > 0 && details.duplicates.length < LISTED)
      details.duplicates.push(`${g.phase} to ${g.recipient} (${g.run}): ${extra + 1} times`);
  }

  const prematureDeletions = await countPremature(input, groups, details);
  const stuckWarnings = await countStuck(input, details);
  return {
    dmsExpected: input.expectations.length,
    dmsSent,
    duplicateDms,
    lostDms,
    prematureDeletions,
    stuckWarnings,
    details,
  };
}

/** Every run of the guild: from Temporal, and from the keys the product wrote (notification log, archive). */
async function findRunKeys(input: LedgerInput): Promise<string[]> {
  const keys = new Set<string>();
  try {
    for await (const w of input.client.workflow.list({ query: `GuildId = "${input.guildId}"` })) {
      if (w.workflowId.startsWith('custom-command-cleanup:')) keys.add(w.workflowId);
    }
  } catch {
    // Visibility unavailable: the database still names the runs.
  }
  const prefix = `${input.guildId}:`;
  for (const doc of await input.db
    .collection(COLLECTIONS.notifications)
    .find({})
    .project({ _id: 1 })
    .toArray()) {
    const id = String(doc._id);
    if (!id.startsWith(prefix)) continue;
    // <guild>:<recipient>:<phase>:<run>, where the run key has colons of its own.
    keys.add(id.split(':').slice(3).join(':'));
  }
  for (const run of await input.db.collection(COLLECTIONS.archive).distinct('runKey')) keys.add(String(run));
  return [...keys].filter(Boolean).sort();
}

/**
 * Archive entries marked deleted, each checked against:
 *   - the warning DM as the emulator received it (the grace period counts from its
 *     delivery): none received, or deleted less than the grace period after it;
 *   - the warning time the product recorded, plus the grace period;
 *   - the delete threshold: idle at least that long at the moment of deletion;
 *   - the suite's own uses: a command used after its warning and before the deletion.
 * Plus commands gone from the collection without any archive entry (a deletion must be restorable).
 */
async function countPremature(
  input: LedgerInput,
  groups: Map<string, Received>,
  details: ScenarioCounts['details'],
): Promise<number> {
  const archive = await input.db
    .collection(COLLECTIONS.archive)
    .find({ guildId: input.guildId, deletedAt: { $exists: true } })
    .toArray();
  const usesById = new Map<string, number[]>();
  for (const u of input.uses) usesById.set(u.commandId, [...(usesById.get(u.commandId) ?? []), u.at]);
  let premature = 0;
  const note = (line: string) => {
    if (details.premature.length < LISTED) details.premature.push(line);
  };
  const rules = new Map<string, { count: number; maxEarlyMs: number }>();
  const caught = (rule: string, earlyMs = 0) => {
    const r = rules.get(rule) ?? { count: 0, maxEarlyMs: 0 };
    rules.set(rule, { count: r.count + 1, maxEarlyMs: Math.max(r.maxEarlyMs, earlyMs) });
  };
  for (const entry of archive) {
    const deletedAt = time(entry.deletedAt);
    const warnedAt = time(entry.warnedAt);
    const creator = String(entry.creatorId);
    const delivered = groups.get(`${creator}|warning|${String(entry.runKey)}`);
    const firstPart = delivered ? Math.min(...[...delivered.parts.values()].flat()) : undefined;
    const idleSince = Math.max(time(entry.lastUsedAt), time(entry.updatedAt));
    const usedBetween = (usesById.get(String(entry.commandId)) ?? []).filter(
      (at) => at >= Math.min(warnedAt, firstPart ?? warnedAt) && at <= deletedAt,
    );
    const reasons: string[] = [];
    if (firstPart === undefined) {
      reasons.push('no warning DM of its run was received');
      caught('deleted without a warning DM received');
    } else if (deletedAt < firstPart + input.graceMs) {
      const early = firstPart + input.graceMs - deletedAt;
      reasons.push(
        `deleted ${(early / 1000).toFixed(3)} s before the end of the grace period counted from the warning DM's arrival`,
      );
      caught("before the grace period counted from the warning DM's arrival", early);
    }
    if (deletedAt < warnedAt + input.graceMs) {
      const early = warnedAt + input.graceMs - deletedAt;
      reasons.push(`deleted ${(early / 1000).toFixed(3)} s before its recorded warnedAt + grace`);
      caught('before the recorded warnedAt + grace', early);
    }
    if (deletedAt < idleSince + input.deleteAfterMs) {
      reasons.push('idle less than the delete threshold');
      caught('idle less than the delete threshold');
    }
    if (usedBetween.length > 0) {
      reasons.push('used after its warning');
      caught('used after its warning');
    }
    if (reasons.length > 0) {
      premature += 1;
      // The instants behind the verdict, from the product's record and from the emulator.
      const instants = `warnedAt ${iso(warnedAt)}, warning DM arrived ${iso(firstPart)}, deletedAt ${iso(deletedAt)}`;
      note(`${String(entry.name)} of ${creator}: ${reasons.join('; ')} (${instants})`);
    }
  }

  // A use that the suite made is a command the product must keep: gone without an archive entry is lost.
  const present = new Set(
    (
      await input.db
        .collection(COLLECTIONS.commands)
        .find({ guildId: input.guildId })
        .project<Document>({ _id: 1 })
        .toArray()
    ).map((d) => String(d._id)),
  );
  const archived = new Set(archive.map((e) => String(e.commandId)));
  for (const u of new Map(input.uses.map((u) => [u.commandId, u])).values()) {
    if (!present.has(u.commandId) && !archived.has(u.commandId)) {
      details.unarchivedDeletions += 1;
      premature += 1;
      caught('gone without an archive entry');
      note(`${u.name}: used by the suite, then gone without an archive entry`);
    }
  }
  for (const [rule, { count, maxEarlyMs }] of rules)
    details.prematureByRule.push(
      `${count} ${rule}${maxEarlyMs > 0 ? ` (at most ${(maxEarlyMs / 1000).toFixed(3)} s early)` : ''}`,
    );
  return premature;
}

/** Commands whose warning outlived its deadline by more than the margin: each run must repair or delete them. */
async function countStuck(input: LedgerInput, details: ScenarioCounts['details']): Promise<number> {
  const before = new Date(Date.now() - input.stuckMarginMs);
  const stuck = await input.db
    .collection(COLLECTIONS.commands)
    .find({ guildId: input.guildId, 'cleanup.deleteAfter': { $lt: before } })
    .toArray();
  for (const doc of stuck.slice(0, LISTED)) {
    const cleanup = doc.cleanup as { deleteAfter: Date; graceWorkflowId?: string };
    details.stuck.push(
      `${String(doc.name)} of ${String(doc.creatorId)}: deadline ${cleanup.deleteAfter.toISOString()}, grace workflow ${cleanup.graceWorkflowId ?? '?'}`,
    );
  }
  return stuck.length;
}

function phaseByTitle(m: EmulatorMessage): NotificationPhase | 'other' {
  const title = titleOf(m);
  if (/Warning/.test(title)) return 'warning';
  if (/Deleted/.test(title)) return 'deletion';
  if (/Summary/.test(title)) return 'summary';
  return 'other';
}

function titleOf(m: EmulatorMessage): string {
  return (m.embeds as { title?: string }[])[0]?.title ?? '';
}

function iso(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? 'never' : new Date(ms).toISOString();
}

function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}
