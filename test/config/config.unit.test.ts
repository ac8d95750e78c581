import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanupSettingsFor, ConfigError, loadConfig } from '../../src/config';
import { DAY_MS } from '../../src/duration';

describe('configuration from the environment (unit)', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.cleanup.policy).toEqual({
      warnAfterMs: 60 * DAY_MS,
      deleteAfterMs: 90 * DAY_MS,
      gracePeriodMs: 30 * DAY_MS,
      deleteWhenUndeliverable: true,
    });
    expect(config.cleanup.adminChannels).toEqual(['admin', 'bot-logs']);
    expect(config.cleanup.schedule).toEqual({ cron: '0 3 * * *' });
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default' });
  });

  it("reads durations in the '30 days' / '5s' form and guild lists", () => {
    const config = loadConfig({
      CLEANUP_WARN_AFTER: '5s',
      CLEANUP_DELETE_AFTER: '10 seconds',
      CLEANUP_GRACE_PERIOD: '2 minutes',
      CLEANUP_SCHEDULE: 'every 30s',
      GUILD_ID: '123456789012345678',
      GUILD_IDS: '223456789012345678, 123456789012345678',
    });
    expect(config.cleanup.policy).toMatchObject({
      warnAfterMs: 5000,
      deleteAfterMs: 10_000,
      gracePeriodMs: 120_000,
    });
    expect(config.cleanup.schedule).toEqual({ everyMs: 30_000 });
    expect(config.guildIds).toEqual(['123456789012345678', '223456789012345678']);
  });

  it.each([
    ['CLEANUP_GRACE_PERIOD', 'soon', /CLEANUP_GRACE_PERIOD: expected a duration/],
    ['CLEANUP_WARN_AFTER', '30', /CLEANUP_WARN_AFTER: expected a duration/],
    ['GUILD_ID', 'my-guild', /GUILD_ID: expected a Discord id/],
    ['GUILD_IDS', '123456789012345678,abc', /GUILD_IDS: .*'abc'/],
    ['MONGODB_URI', 'postgres://x', /MONGODB_URI: expected a mongodb/],
    ['DISCORD_API_URL', 'not a url', /DISCORD_API_URL: expected a URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['CLEANUP_SCHEDULE', 'daily', /CLEANUP_SCHEDULE: expected a cron expression/],
    ['TEMPORAL_ADDRESS', 'localhost', /TEMPORAL_ADDRESS: expected host:port/],
  ])('rejects %s=%s with one line naming the variable', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('rejects a delete threshold shorter than the warning threshold', () => {
    expect(() => loadConfig({ CLEANUP_WARN_AFTER: '60 days', CLEANUP_DELETE_AFTER: '30 days' })).toThrow(
      /CLEANUP_DELETE_AFTER/,
    );
  });

  it('takes a prebuilt workflow bundle that exists, and names WORKFLOW_BUNDLE when it does not', () => {
    expect(loadConfig({}).workflowBundle).toBeUndefined();
    const here = fileURLToPath(import.meta.url);
    expect(loadConfig({ WORKFLOW_BUNDLE: path.relative(process.cwd(), here) }).workflowBundle).toBe(here);
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'workflow-bundle.js');
    expect(() => loadConfig({ WORKFLOW_BUNDLE: missing })).toThrow(
      new RegExp(`WORKFLOW_BUNDLE.*npm run build:workflows.*${missing.replaceAll('.', '\\.')}`),
    );
  });

  it('never echoes the bot token in an error', () => {
    try {
      loadConfig({ DISCORD_TOKEN: 'secret-token-value', CLEANUP_GRACE_PERIOD: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('secret-token-value');
    }
  });
});

describe('per-guild overrides of the cleanup (unit)', () => {
  const guild = '123456789012345678';

  it('overrides the policy and admin channels of one guild only', () => {
    const config = loadConfig({
      CLEANUP_GUILD_OVERRIDES: JSON.stringify({ [guild]: { gracePeriod: '7 days', adminChannels: 'mods' } }),
    });
    expect(cleanupSettingsFor(config, guild)).toEqual({
      policy: { ...config.cleanup.policy, gracePeriodMs: 7 * DAY_MS },
      adminChannels: ['mods'],
    });
    expect(cleanupSettingsFor(config, '223456789012345678').policy.gracePeriodMs).toBe(30 * DAY_MS);
  });

  it.each([
    ['not json', /CLEANUP_GUILD_OVERRIDES: expected JSON/],
    [JSON.stringify({ 'my-guild': {} }), /CLEANUP_GUILD_OVERRIDES/],
    [JSON.stringify({ [guild]: { gracePeriod: 'soon' } }), /CLEANUP_GUILD_OVERRIDES: expected a duration/],
    [JSON.stringify({ [guild]: { grace: '7 days' } }), /CLEANUP_GUILD_OVERRIDES/],
    [JSON.stringify({ [guild]: { warnAfter: '90 days', deleteAfter: '30 days' } }), /deleteAfter/],
  ])('rejects %s', (value, message) => {
    expect(() => loadConfig({ CLEANUP_GUILD_OVERRIDES: value })).toThrow(message);
  });
});
