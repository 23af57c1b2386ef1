/**
 * Progress lines on stderr for long work: nothing during the first second (short work stays
 * quiet), then at most one line per second. stdout stays free for data and --json.
 */
export function progressReporter(
  describe: () => string,
  options: { everyMs?: number; now?: () => number; write?: (text: string) => void } = {},
): { tick(): void; done(): void } {
  const now = options.now ?? Date.now;
  const everyMs = options.everyMs ?? 1_000;
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  let last = now();
  let shown = false;
  return {
    tick() {
      if (now() - last < everyMs) return;
      last = now();
      shown = true;
      write(`${describe()}…\n`);
    },
    done() {
      if (shown) write(`${describe()}.\n`);
    },
  };
}
