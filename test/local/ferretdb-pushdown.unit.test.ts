/** Where the build adds the range pushdown to FerretDB's query.go (no server, no Go). */
import { describe, expect, it } from 'vitest';
import { withRangePushdown } from '../../src/local/ferretdb-pushdown';

// The shape of FerretDB 1.24's operator switch, written for this test.
const SWITCH = [
  '\t\t\t\tswitch k {',
  '\t\t\t\tcase "$eq":',
  '\t\t\t\t\tfilterEqual()',
  '\t\t\t\tdefault:',
  '\t\t\t\t\t// $gt and $lt',
  '\t\t\t\t\t// TODO https://example.test/issues/1',
  '\t\t\t\t\tcontinue',
  '\t\t\t\t}',
  '',
].join('\n');

describe('withRangePushdown (no server)', () => {
  it("calls filterRange where FerretDB skips other operators, before the skip's continue", () => {
    const patched = withRangePushdown(SWITCH);
    const lines = patched.split('\n');
    const call = lines.findIndex((line) =>
      line.includes('filterRange(p, rootKey, keyOperator == "->", k, v)'),
    );
    expect(call).toBeGreaterThan(lines.indexOf('\t\t\t\tdefault:'));
    expect(lines[call]).toMatch(/^\t{5}if /);
    expect(lines.slice(call + 1, call + 4).map((l) => l.trim())).toEqual([
      'filters = append(filters, f)',
      'args = append(args, a...)',
      '}',
    ]);
    expect(lines[call + 4]).toBe('\t\t\t\t\tcontinue');
    expect(patched.replace(lines.slice(call, call + 4).join('\n') + '\n', '')).toBe(SWITCH);
  });

  it('fails, naming what to port, on a FerretDB without that spot', () => {
    expect(() => withRangePushdown(SWITCH.replace('// $gt and $lt', '// other'))).toThrow(
      /must be ported to this FerretDB version/,
    );
  });
});
