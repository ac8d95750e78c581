// The admin embed of the weekly analytics (pure): the chart shown from the attachment,
// names as inline code or escaped, counts with "and N more", within Discord's limits
// whatever the names; and the result as `starter run --wait` prints it.
import { describe, expect, it } from 'vitest';
import { usageAnalyticsMessage } from '../../../src/activities/analytics-report';
import { buildAnalyticsEmbed } from '../../../src/analytics/embed';
import type { UsageAnalytics } from '../../../src/analytics/model';
import { validateMessage } from '../../../src/discord/embeds';
import { usageAnalyticsTask } from '../../../src/tasks/usage-analytics';
import { DAY_MS } from '../../../src/duration';

const AT = Date.parse('2026-06-08T06:00:00Z');

function report(overrides: Partial<UsageAnalytics> = {}): UsageAnalytics {
  return {
    guildId: '1196423538278531072',
    at: AT,
    week: { from: '2026-06-01', to: '2026-06-07', previousFrom: '2026-05-25', previousTo: '2026-05-31' },
    uses: { week: 15, previousWeek: 10 },
    created: { week: 2, previousWeek: 0 },
    commands: { total: 40, usedThisWeek: 3, neverUsed: 12, atRisk: 1, pendingDeletions: 0 },
    creators: { total: 6, activeThisWeek: 2 },
    top: [
      { name: 'hello', uses: 10 },
      { name: 'welcome', uses: 5 },
    ],
    least: [{ name: 'raid', uses: 0 }],
    neverUsedNames: ['fresh', 'new-one'],
    atRiskNames: [{ name: 'ancient', at: AT + 3 * DAY_MS }],
    pendingNames: [],
    ...overrides,
  };
}

const field = (name: string, r = report()) =>
  buildAnalyticsEmbed(r).fields!.find((f) => f.name.startsWith(name))?.value;

describe('the analytics embed', () => {
  it('shows the chart from the attached PNG and the numbers with their change', () => {
    const message = usageAnalyticsMessage(report());
    expect(message.embeds![0]!.image).toEqual({ url: 'attachment://usage.png' });
    expect(message.files).toMatchObject([{ name: 'usage.png', contentType: 'image/png' }]);
    expect(validateMessage(message)).toEqual([]);
    expect(field('Uses')).toBe('15, +5 (+50%)');
    expect(field('Created')).toBe('2, +2 (new)');
    expect(field('Most used')).toBe('1. `hello`: 10\n2. `welcome`: 5');
    expect(field('Never used: 12')).toBe('`fresh`\n`new-one`\nand 10 more');
    expect(field('At risk')).toBe(`\`ancient\` due <t:${(AT + 3 * DAY_MS) / 1000}:d>`);
    expect(field('Pending deletions: 0')).toBe('None');
  });

  it('stays within Discord’s limits and shows no markdown from names that break the contract', () => {
    const hostile = `**${'x'.repeat(600)}** @everyone`;
    const many = Array.from({ length: 10 }, () => hostile);
    const message = usageAnalyticsMessage(
      report({
        top: many.map((name) => ({ name, uses: 1 })),
        least: many.map((name) => ({ name, uses: 0 })),
        neverUsedNames: many,
        atRiskNames: many.map((name) => ({ name, at: AT })),
        pendingNames: many.map((name) => ({ name, at: AT })),
      }),
    );
    expect(validateMessage(message)).toEqual([]);
    expect(field('Most used', report({ top: [{ name: hostile, uses: 1 }] }))).toContain('\\*\\*');
  });
});

describe('the result in the CLI', () => {
  it('reads as the week, its numbers and where the report went', () => {
    const text = usageAnalyticsTask.describeResult('usage-analytics:1:manual', {
      analytics: report(),
      dryRun: true,
      report: { status: 'skipped', reason: 'dry run' },
    });
    expect(text.split('\n')).toEqual([
      'usage-analytics:1:manual (dry run: nothing posted)',
      '  week: 2026-06-01 to 2026-06-07',
      '  uses: 15, +5 (+50%) on the week before',
      '  commands: 40, 3 used, 12 never used',
      '  created: 2, +2 (new)',
      '  creators: 6, 2 active',
      '  at risk within 7 days: 1; pending deletions: 0',
      '  most used: hello (10), welcome (5)',
      '  least used: raid',
      '  admin report: skipped (dry run)',
    ]);
  });
});
