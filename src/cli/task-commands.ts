/** The starter's commands that belong to one task; adding one is an entry here. */
import type { CommandRegistrar } from './context';

export const taskCommands: CommandRegistrar[] = [];
