/** The README's table of tasks says what the registry does: every task, its variable and its default. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/tasks/registry';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README tasks table', () => {
  it.each(tasks.map((task) => [task.name, task]))(
    'lists %s with its schedule variable and default',
    (name, task) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `a row for ${name}`).toBeDefined();
      const cells = row!.split('|').map((cell) => cell.trim());
      expect(cells[2]).toContain(`\`${task.schedule.default}\``);
      expect(cells[3]).toBe(`\`${task.schedule.variable}\``);
    },
  );
});
