// Unit tests: nonces are deterministic, distinct and within Discord's 25 characters.
import { describe, expect, it } from 'vitest';
import { MAX_NONCE_LENGTH, nonceFor } from '../../src/discord/nonce';

describe('nonceFor (unit)', () => {
  it('is deterministic for a key and index', () => {
    expect(nonceFor('guild:1:creator:2:warning:run-3', 0)).toBe(
      nonceFor('guild:1:creator:2:warning:run-3', 0),
    );
  });

  it('differs between indexes and keys', () => {
    const key = 'custom-command-cleanup:123:456:warning:run';
    expect(nonceFor(key, 0)).not.toBe(nonceFor(key, 1));
    expect(nonceFor(key, 0)).not.toBe(nonceFor(`${key}x`, 0));
    // The separator keeps ("a1", 0) and ("a", 10) apart.
    expect(nonceFor('a1', 0)).not.toBe(nonceFor('a', 10));
  });

  it('is at most 25 alphanumeric characters, over many keys, with no collision', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const nonce = nonceFor(`key-${i % 1000}-${'x'.repeat(i % 300)}`, i % 7);
      expect(nonce.length).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
      expect(nonce).toMatch(/^[0-9a-z]+$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(20_000);
    expect(MAX_NONCE_LENGTH).toBe(25);
  });
});
