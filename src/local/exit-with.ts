/** Ends a command-line tool with its `main`'s exit code, or 1 and the error's message (no stack) if it threw. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
