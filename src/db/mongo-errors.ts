/** MongoDB error codes the data layer reacts to (FerretDB returns the same codes). */

/** E11000: a unique index (or `_id`) already holds this key. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
