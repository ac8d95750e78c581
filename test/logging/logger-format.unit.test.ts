import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { chooseLogFormat, createLogger } from '../../src/logger';
import { projectRoot } from '../../src/local/paths';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-bot-token-value';

/** A destination that keeps what the logger wrote. */
function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

/** Logs a token, a message content and embeds, as a careless call site might. */
function logSecrets(logger: ReturnType<typeof createLogger>) {
  logger.info({ token: TOKEN, request: { token: TOKEN, content: 'private DM text' } }, 'sent');
  logger.warn({ content: 'private DM text', embeds: [{ description: 'private embed' }] }, 'retrying');
}

/** Runs a snippet in a child process with piped stdout (not a terminal), as `npm start | cat` does. */
function runPiped(code: string, env: Record<string, string> = {}) {
  const { LOG_FORMAT: _ignored, ...parentEnv } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: projectRoot,
    env: { ...parentEnv, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('log format: readable on a terminal, JSON otherwise (unit)', () => {
  it.each([
    [{ isTTY: true }, 'pretty'],
    [{ isTTY: false }, 'json'],
    [{ isTTY: undefined }, 'json'],
    [{ isTTY: true, LOG_FORMAT: '' }, 'pretty'],
    [{ isTTY: true, LOG_FORMAT: 'json' }, 'json'],
    [{ isTTY: false, LOG_FORMAT: 'pretty' }, 'pretty'],
    [{ isTTY: false, LOG_FORMAT: 'json' }, 'json'],
  ] as const)('chooseLogFormat(%j) is %s', (input, expected) => {
    expect(chooseLogFormat(input)).toBe(expected);
  });

  it('refuses any other LOG_FORMAT, naming the variable, here and in the configuration', () => {
    expect(() => chooseLogFormat({ isTTY: true, LOG_FORMAT: 'text' })).toThrow(ConfigError);
    expect(() => chooseLogFormat({ isTTY: true, LOG_FORMAT: 'text' })).toThrow(/^LOG_FORMAT: /);
    expect(() => loadConfig({ LOG_FORMAT: 'JSON' })).toThrow(/^LOG_FORMAT: expected 'pretty' or 'json'/);
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({}).logFormat).toBeUndefined();
  });

  it('pretty lines are not JSON and still redact the token, contents and embeds', () => {
    const { lines, destination } = capture();
    logSecrets(createLogger('info', 'test', { format: 'pretty', destination }));
    const output = lines.join('');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).toThrow();
    expect(output).toMatch(/INFO \(test\): sent/);
    expect(output).toMatch(/WARN \(test\): retrying/);
    expect(output).toContain('[redacted]');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain('secret-bot-token');
    expect(output).not.toContain('private DM text');
    expect(output).not.toContain('private embed');
  });

  it('JSON lines redact the same fields', () => {
    const { lines, destination } = capture();
    logSecrets(createLogger('info', 'test', { format: 'json', destination }));
    const [sent, retrying] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(sent).toMatchObject({ msg: 'sent', token: '[redacted]', request: { token: '[redacted]' } });
    expect(sent).toMatchObject({ request: { content: '[redacted]' } });
    expect(retrying).toMatchObject({ msg: 'retrying', content: '[redacted]', embeds: '[redacted]' });
    expect(lines.join('')).not.toContain(TOKEN);
  });

  const snippet = `
    const { createLogger } = await import('./src/logger.ts');
    const logger = createLogger('info', 'child');
    logger.info({ token: '${TOKEN}' }, 'hello from a pipe');
    logger.info('second line');`;

  it('a process whose stdout is a pipe prints JSON lines by default', () => {
    const child = runPiped(snippet);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const lines = child.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 30, name: 'child', msg: 'hello from a pipe', token: '[redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: 'second line' });
  });

  it('LOG_FORMAT=pretty forces readable lines on a pipe, without colours and still redacted', () => {
    const child = runPiped(snippet, { LOG_FORMAT: 'pretty' });
    expect(child.status).toBe(0);
    const lines = child.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(child\): hello from a pipe \{"token":"\[redacted\]"\}$/,
    );
    expect(lines[1]).toMatch(/INFO \(child\): second line$/);
    expect(child.stdout).not.toContain(TOKEN);
  });

  it('npm start (src/main.ts) with a bad LOG_FORMAT exits 2 with one line naming it, starting nothing', () => {
    // Servers "given" and a token set, so even a late check could not start anything here.
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        LOG_FORMAT: 'colour',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        MONGODB_URI: 'mongodb://127.0.0.1:1/',
        DISCORD_TOKEN: 'not-a-real-token',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr.trim().split('\n')).toEqual([
      "Configuration error: LOG_FORMAT: expected 'pretty' or 'json'",
    ]);
    expect(child.stdout).toBe('');
  });
});
