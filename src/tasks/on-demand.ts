/**
 * Work started on demand rather than by a Schedule (users' data rights): no schedule
 * or per-guild run, but activities the workers register beside the tasks'.
 */
import { userDataWork } from '../user-data/work';
import type { TaskActivities, TaskContext } from './task';

export interface OnDemandWork {
  /** Names the owner when two name one activity alike. */
  name: string;
  activities(context: TaskContext): Promise<TaskActivities> | TaskActivities;
}

export const onDemandWork: OnDemandWork[] = [userDataWork];
