/**
 * SIGINT/SIGTERM/SIGHUP handling for the entry points: the first signal starts a graceful
 * stop; the handlers stay installed until the process ends, so a second signal (a
 * terminal sends Ctrl-C to npm, tsx and node alike) cannot kill it halfway through
 * closing what it started. A third one forces the exit. SIGHUP (the terminal closed)
 * would otherwise end the process at once and leave the local servers it started running.
 */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const ignore = () => undefined;

export function onShutdownSignal(stop: () => void): void {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received += 1;
    // The terminal is gone: a write to it fails (EIO), which must not end the stop halfway.
    if (signal === 'SIGHUP')
      for (const stream of [process.stdout, process.stderr]) stream.on('error', ignore);
    if (received === 1) stop();
    else if (received >= 3) {
      console.error(`${signal} again: exiting now`);
      process.exit(130);
    }
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
}
