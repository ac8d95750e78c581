/** The maintenance's admin embed and CLI text: pure functions of a result. */
import { describe, expect, it } from 'vitest';
import { embedCharacters, Limits } from '../../../src/discord/embeds/limits';
import type { MaintenanceResult } from '../../../src/maintenance/model';
import {
  buildMaintenanceEmbed,
  describeMaintenance,
  needsAdminReport,
} from '../../../src/maintenance/report';

function result(changes: Partial<MaintenanceResult> = {}): MaintenanceResult {
  return {
    guildId: '1196423551234567890',
    dryRun: false,
    startedAt: 0,
    finishedAt: 1,
    indexes: { verified: 14, created: [], missing: [], problems: [] },
    purges: [{ target: 'archive', removed: 3, capped: false }],
    inspection: {
      collections: [{ collection: 'custom_commands', guildDocuments: 2, documents: 5, dataBytes: 24_576 }],
      invalidCommands: 0,
      overdueWarnings: 0,
    },
    adminReport: { status: 'not-needed' },
    ...changes,
  };
}

describe('the maintenance report', () => {
  it('is not needed when nothing was repaired and nothing looks wrong, purges included', () => {
    expect(needsAdminReport(result())).toBe(false);
  });

  it('is needed for a recreated index, a capped purge or invalid documents', () => {
    const created = { verified: 14, created: [{ collection: 'c', name: 'a_1' }], missing: [], problems: [] };
    expect(needsAdminReport(result({ indexes: created }))).toBe(true);
    expect(needsAdminReport(result({ purges: [{ target: 'archive', removed: 20_000, capped: true }] }))).toBe(
      true,
    );
    const inspection = { ...result().inspection, invalidCommands: 1 };
    expect(needsAdminReport(result({ inspection }))).toBe(true);
  });

  it('stays within one embed’s limits whatever the number of findings', () => {
    const created = Array.from({ length: 500 }, (_, i) => ({
      collection: 'custom_commands',
      name: `f${i}_1`.repeat(20),
    }));
    const problems = Array.from({ length: 500 }, () => 'x'.repeat(5000));
    const embed = buildMaintenanceEmbed(
      result({ indexes: { verified: 500, created, missing: [], problems } }),
    );
    for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(Limits.fieldValue);
    expect(embedCharacters(embed)).toBeLessThanOrEqual(Limits.charactersPerMessage);
    expect(embed.fields!.find((f) => f.name === 'Indexes recreated')!.value).toContain('… and 490 more');
  });

  it('reads in the CLI with the counts, sizes and the cap', () => {
    const text = describeMaintenance(
      'database-maintenance:1:manual-x',
      result({ purges: [{ target: 'notifications', removed: 150, capped: true }] }),
    );
    expect(text).toContain('purged: notifications 150 (capped)');
    expect(text).toContain('custom_commands: 2 / 5, 24.0 KiB');
    expect(text).toContain('looks wrong: notifications: purge stopped at its cap after 150');
  });
});
