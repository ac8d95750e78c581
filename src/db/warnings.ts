/**
 * Recording a warning on the commands it lists. Each command is warned only if it is
 * still as the sweep selected it: a use or an edit in between means the creator was
 * warned about a command that is no longer at risk, and the grace period must not
 * start for it.
 */
import type { AnyBulkWriteOperation, Collection, ObjectId } from 'mongodb';
import type { CommandRef, WarningRecord } from '../cleanup/model';
import { parseCommandId, toStoredWarning } from './command-mapping';
import type { CustomCommandDoc } from './contract';

export async function recordWarning(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  refs: CommandRef[],
  warning: WarningRecord,
): Promise<CommandRef[]> {
  const cleanup = toStoredWarning(warning);
  const targets = refs.flatMap((ref) => {
    const _id = parseCommandId(ref.id);
    return _id ? [{ ref, _id }] : [];
  });
  if (targets.length === 0) return [];

  const updates: AnyBulkWriteOperation<CustomCommandDoc>[] = targets.map(({ ref, _id }) => ({
    updateOne: {
      filter: {
        _id,
        guildId,
        lastUsedAt: new Date(ref.lastUsedAt),
        updatedAt: new Date(ref.updatedAt),
        'cleanup.warnedAt': { $exists: false },
      },
      update: { $set: { cleanup } },
    },
  }));
  await commands.bulkWrite(updates, { ordered: false });

  // Which commands carry this warning now, whether set just now or by an earlier
  // attempt of the same activity (a retry must report them recorded too). A use or
  // edit since clears the warning, so a command listed here is still at risk.
  const carrying = new Set<string>();
  const ids: ObjectId[] = targets.map((target) => target._id);
  const warned = commands
    .find({ _id: { $in: ids }, guildId, 'cleanup.runKey': warning.runKey })
    .project<{ _id: ObjectId }>({ _id: 1 });
  for await (const doc of warned) carrying.add(doc._id.toHexString());
  return targets.filter(({ ref }) => carrying.has(ref.id.toLowerCase())).map(({ ref }) => ref);
}
