/** The table of a user's records covers the whole data contract, once per collection. */
import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../../src/db/contract';
import { USER_RECORDS } from '../../../src/user-data/records';

describe('USER_RECORDS', () => {
  it('names every collection of COLLECTIONS exactly once', () => {
    const declared = USER_RECORDS.map((rule) => rule.collection);
    expect(new Set(declared).size).toBe(declared.length);
    for (const collection of Object.values(COLLECTIONS)) {
      expect(declared, `${collection} has no entry in src/user-data/records.ts`).toContain(collection);
    }
    expect(declared.filter((name) => !Object.values<string>(COLLECTIONS).includes(name))).toEqual([]);
  });

  it('finds withdrawals before the commands and archive entries they are found through', () => {
    const order = USER_RECORDS.map((rule) => rule.collection);
    expect(order.indexOf(COLLECTIONS.withdrawals)).toBeLessThan(order.indexOf(COLLECTIONS.commands));
    expect(order.indexOf(COLLECTIONS.withdrawals)).toBeLessThan(order.indexOf(COLLECTIONS.archive));
  });
});
