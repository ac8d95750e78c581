/** Every scheduled task; adding a task is one file and one entry here. */
import { customCommandCleanupTask } from './custom-command-cleanup';
import type { ScheduledTask } from './task';

export const tasks: ScheduledTask[] = [customCommandCleanupTask];

export function findTask(name: string): ScheduledTask | undefined {
  return tasks.find((task) => task.name === name);
}
