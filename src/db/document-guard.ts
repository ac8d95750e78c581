/**
 * Checks a raw `custom_commands` document against the data contract. The bot process
 * writes these documents, so a buggy bot can leave one with a missing or mistyped
 * field: reads skip (and count) such documents instead of letting one of them crash a
 * whole cleanup run. Pure: no I/O.
 */
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import type { CustomCommandDoc } from './contract';

// Ids must be non-empty: an empty creator id could never be messaged, and an empty
// string is also what the warn sweep uses as its "before every creator" cursor.
const id = z.string().min(1);
// z.date() also refuses an Invalid Date.
const instant = z.date();

const warningSchema = z.object({
  warnedAt: instant,
  deleteAfter: instant,
  runKey: z.string(),
  graceWorkflowId: z.string(),
});

const commandSchema = z.object({
  _id: z.instanceof(ObjectId),
  guildId: id,
  name: id,
  content: z.string(),
  creatorId: id,
  createdAt: instant,
  updatedAt: instant,
  lastUsedAt: instant,
  useCount: z.number().finite(),
  // Absent, or a complete warning: half a warning cannot be honoured or cleared safely.
  cleanup: warningSchema.optional(),
});

/** The typed document, or null when it breaks the contract. */
export function asCommandDoc(raw: unknown): CustomCommandDoc | null {
  const parsed = commandSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Thrown when the bot API meets a stored command that breaks the contract (nothing to return). */
export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
  constructor(guildId: string, commandName: string) {
    super(`The stored command "${commandName}" of guild ${guildId} breaks the data contract`);
  }
}
