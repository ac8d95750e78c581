// Unit tests: the DM channel cache stays bounded and forgets the least recently used first.
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/discord/bounded-map';

describe('BoundedMap (unit)', () => {
  it('evicts the least recently used entry past its capacity', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('remembers nothing with capacity 0, and forgets on delete', () => {
    const none = new BoundedMap<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    const map = new BoundedMap<string, number>(5);
    map.set('a', 1);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });
});
