/** Every task of the bot; adding a task is its file and one entry here. */
import { ConfigError, type Config } from '../config';
import { schedule, type ScheduleSetting } from '../config-fields';
import { backupTask } from './backup';
import { customCommandCleanupTask } from './custom-command-cleanup';
import { databaseMaintenanceTask } from './database-maintenance';
import { healthCheckTask } from './health-check';
import type { ScheduledTask } from './task';
import { usageAnalyticsTask } from './usage-analytics';

export const tasks: ScheduledTask[] = [
  customCommandCleanupTask,
  healthCheckTask,
  usageAnalyticsTask,
  backupTask,
  databaseMaintenanceTask,
];

export function findTask(name: string): ScheduledTask | undefined {
  return tasks.find((task) => task.name === name);
}

/** The tasks to schedule: all but TASKS_DISABLED, whose names must be tasks. */
export function enabledTasks(config: Config): ScheduledTask[] {
  const unknown = config.tasks.disabled.find((name) => !findTask(name));
  if (unknown !== undefined) {
    throw new ConfigError(
      'TASKS_DISABLED',
      `task names among ${tasks.map((t) => t.name).join(', ')}, got '${unknown}'`,
    );
  }
  return tasks.filter((task) => !config.tasks.disabled.includes(task.name));
}

/** When a task runs: its `<NAME>_SCHEDULE` variable, else its default. */
export function taskSchedule(config: Config, task: ScheduledTask): ScheduleSetting {
  return config.tasks.schedules[task.schedule.variable] ?? schedule.parse(task.schedule.default);
}
