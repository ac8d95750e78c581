/**
 * The export of a user's records, as an activity: the file is written where the worker
 * runs, and only counts go back into the workflow's history.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from 'mongodb';
import { ExportFileExistsError, writeExportFile } from '../user-data/export-file';
import type { UserScope } from '../user-data/records';
import { userDocuments, type RecordCounts } from '../user-data/store';
import { heartbeating } from './bounded';

export interface UserDataExportInput {
  userId: string;
  guildId: string | null;
  /** Absolute, as the starter resolved it. */
  path: string;
  overwrite: boolean;
  /** When the export was asked for (epoch ms): written in the file. */
  requestedAt: number;
}

export function createUserDataExportActivities(deps: { db: Db }) {
  return heartbeating({
    async userDataExportFile(input: UserDataExportInput): Promise<{ path: string; records: RecordCounts }> {
      const context = Context.current();
      const scope: UserScope = { userId: input.userId, ...(input.guildId ? { guildId: input.guildId } : {}) };
      try {
        const records = await writeExportFile(
          input.path,
          {
            exportId: context.info.workflowExecution?.workflowId ?? 'unknown',
            userId: input.userId,
            guildId: input.guildId,
            exportedAt: new Date(input.requestedAt).toISOString(),
          },
          userDocuments(deps.db, scope),
          { overwrite: input.overwrite },
        );
        return { path: input.path, records };
      } catch (error) {
        // The operator's to fix (another path, --force, a directory that exists): no retry helps.
        const code = (error as NodeJS.ErrnoException).code;
        if (
          error instanceof ExportFileExistsError ||
          code === 'ENOENT' ||
          code === 'EACCES' ||
          code === 'ENOTDIR'
        ) {
          throw ApplicationFailure.nonRetryable((error as Error).message, 'UserDataExportRefused');
        }
        throw error;
      }
    },
  });
}

export type UserDataExportActivities = ReturnType<typeof createUserDataExportActivities>;
