/** A new `custom_commands` document as the bot process writes it: the one place that shape is built. */
import { ObjectId } from 'mongodb';
import { normalizeName } from './command-rules';
import type { CustomCommandDoc } from './contract';

export interface NewCommandFields extends Partial<
  Omit<CustomCommandDoc, 'guildId' | 'name' | 'content' | 'creatorId'>
> {
  guildId: string;
  name: string;
  content: string;
  creatorId: string;
  /** When it was created: also its last edit and last use unless given (a new command counts as used). */
  at: Date;
}

/**
 * The document for a command created at `at` and never used since, with any field
 * overridden (a seed's age, use count or pending warning). The name is normalised as the
 * store does; the values are not validated (the store's `create` validates its input).
 */
export function newCommandDoc(fields: NewCommandFields): CustomCommandDoc {
  const { guildId, name, content, creatorId, at, ...overrides } = fields;
  const doc: CustomCommandDoc = {
    _id: new ObjectId(),
    guildId,
    name: normalizeName(name),
    content,
    creatorId,
    createdAt: at,
    updatedAt: at,
    lastUsedAt: at,
    useCount: 0,
  };
  // An override given as undefined keeps the default: the driver would store it as null.
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) Object.assign(doc, { [key]: value });
  }
  return doc;
}
