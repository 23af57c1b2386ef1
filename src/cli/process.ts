/**
 * Calls `onStop` on the first SIGTERM or SIGINT; a second one ends the process at once (exit 130),
 * for when a bounded shutdown is still too long to wait. Returns how to stop listening.
 */
export function onStopSignal(onStop: (signal: NodeJS.Signals) => void): () => void {
  const handle = (signal: NodeJS.Signals) => {
    off();
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(130));
    onStop(signal);
  };
  const off = () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return off;
}

/** Resolves on the first SIGTERM or SIGINT (see onStopSignal). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => onStopSignal(resolve));
}

/**
 * Ends the process shortly after a bounded shutdown: a capture that did not finish in time may
 * still hold a socket or timer, and must not keep the process (or its store writes) alive.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), 200).unref();
}
