/**
 * The starter CLI's help and its answers to bad input: help exits 0 and documents
 * every option; a bad argument, an unknown task or a bad environment value exits 2
 * with one clear line on stderr, before anything is contacted. The last test runs
 * the real entry point in a child process for the exit code the shell sees.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEANUP_TASK } from '../../src/cleanup/policy';
import { projectRoot } from '../../src/local/paths';
import { tasks } from '../../src/tasks/registry';
import { cli, newGuildId } from './cli';

// No server answers here: a test that tried to connect would fail instead of exiting 2.
const UNREACHABLE = { TEMPORAL_ADDRESS: '127.0.0.1:1', MONGODB_URI: 'mongodb://127.0.0.1:1/' };
const GUILD = newGuildId();

describe('starter --help', () => {
  const documented: Record<string, string[]> = {
    schedule: [],
    list: ['--guild <id>', '--json'],
    trigger: ['--guild <id>', '--task <name>'],
    pause: ['--guild <id>', '--task <name>', '--note <text>'],
    unpause: ['--guild <id>', '--task <name>', '--note <text>'],
    unschedule: ['--guild <id>', '--task <name>'],
    run: ['<task>', CLEANUP_TASK, '--guild <id>', '--dry-run', '--wait', '--json'],
    restore: ['--guild <id>', '--name <name>'],
  };

  it.each(Object.entries(documented))(
    '%s --help exits 0 and documents its options',
    async (command, options) => {
      const run = await cli([command, '--help'], UNREACHABLE);

      expect(run.code).toBe(0);
      expect(run.err).toEqual([]);
      const help = run.out.join('\n');
      expect(help).toContain(`Usage: starter ${command} `);
      for (const option of [...options, '--help']) expect(help).toContain(option);
    },
  );

  it('the top-level help lists every command', async () => {
    const run = await cli(['--help'], UNREACHABLE);

    expect(run.code).toBe(0);
    for (const command of Object.keys(documented))
      expect(run.out.join('\n')).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe('bad input exits 2 with one line on stderr', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      'an unknown task',
      ['run', 'no-such-task', '--guild', GUILD],
      {},
      new RegExp(`^Unknown task 'no-such-task'\\. Tasks: ${tasks.map((t) => t.name).join(', ')}$`),
    ],
    [
      'a bad --guild on run',
      ['run', CLEANUP_TASK, '--guild', 'abc'],
      {},
      /^error: option '--guild <id>' argument 'abc' is invalid\. expected a Discord guild id \(17-20 digits\)/,
    ],
    [
      'a bad --guild on list',
      ['list', '--guild', 'abc'],
      {},
      /argument 'abc' is invalid\. expected a Discord guild id/,
    ],
    [
      'a bad --guild on pause',
      ['pause', '--guild', '12345'],
      {},
      /argument '12345' is invalid\. expected a Discord guild id/,
    ],
    [
      'a missing --guild on run',
      ['run', CLEANUP_TASK],
      {},
      /^error: required option '--guild <id>' not specified/,
    ],
    [
      'a missing --name on restore',
      ['restore', '--guild', GUILD],
      {},
      /^error: required option '--name <name>' not specified/,
    ],
    ['an unknown option', ['list', '--colour'], {}, /^error: unknown option '--colour'/],
    ['an unknown command', ['sweep'], {}, /^error: unknown command 'sweep'/],
    [
      'a bad duration',
      ['list', '--guild', GUILD],
      { CLEANUP_GRACE_PERIOD: 'soon' },
      /^Configuration error: CLEANUP_GRACE_PERIOD: expected a duration like '30 days', '12h' or '5s', got 'soon'$/,
    ],
    [
      'a bad schedule',
      ['schedule'],
      { GUILD_IDS: GUILD, CLEANUP_SCHEDULE: 'daily' },
      /^Configuration error: CLEANUP_SCHEDULE: expected a cron expression in UTC/,
    ],
    [
      'a bad guild list',
      ['schedule'],
      { GUILD_IDS: `${GUILD},abc` },
      /^Configuration error: GUILD_IDS: expected a comma-separated list of Discord ids, got 'abc'$/,
    ],
    [
      'bad guild overrides',
      ['schedule'],
      { GUILD_IDS: GUILD, CLEANUP_GUILD_OVERRIDES: '{not json' },
      /^Configuration error: CLEANUP_GUILD_OVERRIDES: expected JSON like /,
    ],
    [
      'no guild configured',
      ['schedule'],
      {},
      /^Configuration error: GUILD_IDS: expected a comma-separated list of guild ids, or 'all'$/,
    ],
  ];

  it.each(cases)('%s', async (_name, argv, env, message) => {
    const run = await cli(argv, { ...UNREACHABLE, ...env });

    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).not.toContain('\n');
    expect(run.err[0]).toMatch(message);
  });
});

describe('the entry point (npm run starter)', () => {
  const starter = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot, 'src', 'starter.ts'), ...args],
        {
          cwd: projectRoot,
          env: { ...process.env, ...UNREACHABLE, GUILD_ID: '', GUILD_IDS: '', ...env },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
      );
    });

  it('exits with the code the CLI returns: 2 on bad input with one stderr line, 0 on --help', async () => {
    const [badGuild, badEnv, help] = await Promise.all([
      starter(['list', '--guild', 'abc']),
      starter(['list'], { CLEANUP_GRACE_PERIOD: 'soon' }),
      starter(['run', '--help']),
    ]);

    expect(badGuild.code).toBe(2);
    expect(badGuild.stdout).toBe('');
    expect(badGuild.stderr.trimEnd().split('\n')).toEqual([
      "error: option '--guild <id>' argument 'abc' is invalid. expected a Discord guild id (17-20 digits) (see --help)",
    ]);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr.trimEnd().split('\n')).toEqual([
      "Configuration error: CLEANUP_GRACE_PERIOD: expected a duration like '30 days', '12h' or '5s', got 'soon'",
    ]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toContain('--dry-run');
  });
});
