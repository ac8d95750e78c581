/** The health check task's name: its schedules, search attributes and `TASKS_DISABLED` entry. */
export const HEALTH_TASK = 'health-check';
