/** A configuration value that is wrong: the message names the variable and what is expected. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: expected ${expected}`);
  }
}
