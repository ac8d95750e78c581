/**
 * Discord's message nonce, derived from our idempotency key: with `enforce_nonce: true`
 * Discord answers a repeated nonce (within a few minutes) with the message it already
 * created, so a retried POST does not send the same DM twice.
 *
 * 128 bits of SHA-256 in base 36 take at most 25 characters (36^25 > 2^128), which is
 * Discord's limit, and keep collisions between distinct keys out of reach.
 */
import { createHash } from 'node:crypto';

export const MAX_NONCE_LENGTH = 25;

export function nonceFor(key: string, index: number): string {
  const digest = createHash('sha256').update(`${key}\u0000${index}`).digest();
  return BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(36);
}
