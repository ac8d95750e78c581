/**
 * The entry points' signal handling, with the signals emitted in-process (process.emit)
 * and process.exit faked: SIGHUP stops gracefully like SIGINT and SIGTERM, a second
 * signal does not stop twice, a third forces the exit.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { onShutdownSignal, SHUTDOWN_SIGNALS } from '../../src/shutdown';

const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));

afterEach(() => {
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  vi.restoreAllMocks();
});

it.each(SHUTDOWN_SIGNALS)('%s starts one graceful stop; a third signal forces the exit', (signal) => {
  const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const stop = vi.fn();
  onShutdownSignal(stop);

  process.emit(signal, signal);
  expect(stop).toHaveBeenCalledTimes(1);
  process.emit('SIGINT', 'SIGINT');
  expect(stop).toHaveBeenCalledTimes(1);
  expect(exit).not.toHaveBeenCalled();
  process.emit('SIGTERM', 'SIGTERM');
  expect(exit).toHaveBeenCalledWith(130);
});
