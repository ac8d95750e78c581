/**
 * What a starter subcommand gets: where to print, the configuration and a Temporal
 * client (both made on first use, closed after the command), and how to end with a
 * code other than 0. A task with commands of its own (`starter health`, `starter
 * backup`, `starter user-data`) registers them through `taskCommands`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { isSnowflake } from '../commands/snowflake';

/** A mistake of the operator's: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface CliContext {
  out(line: string): void;
  err(line: string): void;
  getConfig(): Config;
  getClient(): Promise<Client>;
  /** The process ends with this code (the highest asked for), e.g. 1 when a health check fails. */
  setExitCode(code: number): void;
}

export type CommandRegistrar = (program: Command, context: CliContext) => void;

/** commander's parser of a `--guild <id>` or `--user <id>` option: a Discord snowflake. */
export const snowflakeOption =
  (what: string) =>
  (value: string): string => {
    if (!isSnowflake(value)) throw new InvalidArgumentError(`expected a Discord ${what} id (17-20 digits)`);
    return value;
  };

export const guildIdOption = snowflakeOption('guild');
