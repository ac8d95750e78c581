/** Tests of the cleanup alone: every other task disabled, so none posts in the admin channel meanwhile. */
import { CLEANUP_TASK } from '../../src/cleanup/policy';
import { tasks } from '../../src/tasks/registry';

/** TASKS_DISABLED's value for a deployment that runs the cleanup only. */
export const ALL_BUT_THE_CLEANUP = tasks
  .filter((task) => task.name !== CLEANUP_TASK)
  .map((task) => task.name)
  .join(',');
