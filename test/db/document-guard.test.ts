/** The document guard: which raw documents honour the data contract. Pure, no database. */
import { describe, expect, it } from 'vitest';
import { asCommandDoc, newCommandDoc } from '../../src/db';

const valid = newCommandDoc({
  guildId: '111111111111111111',
  name: 'faq',
  content: 'answer',
  creatorId: '222222222222222222',
  at: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
  lastUsedAt: new Date('2026-01-03T00:00:00Z'),
  useCount: 4,
});
const warning = {
  warnedAt: new Date('2026-03-01T00:00:00Z'),
  deleteAfter: new Date('2026-03-31T00:00:00Z'),
  runKey: 'run',
  graceWorkflowId: 'grace',
};

describe('asCommandDoc', () => {
  it('accepts a document as the contract describes it, with or without a warning', () => {
    expect(asCommandDoc(valid)).toEqual(valid);
    expect(asCommandDoc({ ...valid, cleanup: warning })).toEqual({ ...valid, cleanup: warning });
  });

  it.each([
    ['a missing content', { content: undefined }],
    ['a numeric name', { name: 7 }],
    ['an empty creator', { creatorId: '' }],
    ['a numeric creator', { creatorId: 2 }],
    ['a string id', { _id: 'abc' }],
    ['a date as text', { lastUsedAt: '2026-01-01' }],
    ['an invalid date', { updatedAt: new Date(Number.NaN) }],
    ['a use count as text', { useCount: '4' }],
    ['an infinite use count', { useCount: Infinity }],
    ['half a warning', { cleanup: { runKey: 'run' } }],
    ['a null warning', { cleanup: null }],
  ])('refuses a document with %s', (_, change) => {
    expect(asCommandDoc({ ...valid, ...change })).toBeNull();
  });

  it('refuses what is not a document at all', () => {
    expect(asCommandDoc(null)).toBeNull();
    expect(asCommandDoc('faq')).toBeNull();
  });
});
