/**
 * Users' data rights as on-demand work: no schedule, started by `starter user-data`;
 * their activities join the main task queue's.
 */
import { createUserDataEraseActivities } from '../activities/user-data-erase';
import { createUserDataExportActivities } from '../activities/user-data-export';
import type { OnDemandWork } from '../tasks/on-demand';

export const userDataWork: OnDemandWork = {
  name: 'user-data',
  activities: ({ db, temporal, config }) => ({
    data: {
      ...createUserDataExportActivities({ db }),
      ...createUserDataEraseActivities({
        db,
        temporal,
        backupDir: config.backup.dir,
        taskQueue: config.temporal.taskQueue,
      }),
    },
  }),
};
