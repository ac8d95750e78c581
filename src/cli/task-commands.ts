/** The starter's commands that belong to one task; adding one is an entry here. */
import type { CommandRegistrar } from './context';
import { registerBackupCommands } from '../backup/cli';
import { registerHealthCommand } from '../health/cli';
import { registerUserDataCommands } from '../user-data/cli';

export const taskCommands: CommandRegistrar[] = [
  registerBackupCommands,
  registerHealthCommand,
  registerUserDataCommands,
];
