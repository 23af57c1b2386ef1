import type { RateLimiter } from '../../domain/ports/executor.js';

/** At most `max` calls in any `perMs` window, within this process. */
export class SlidingWindowLimiter implements RateLimiter {
  /** Start times of the calls in the current window, oldest first. */
  private readonly granted: number[] = [];
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly max: number,
    private readonly perMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  acquire(): Promise<void> {
    // One waiter at a time, in order of asking: fair, and no thundering herd after a wait.
    const turn = this.tail.then(() => this.take());
    this.tail = turn;
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.granted.length > 0 && (this.granted[0] as number) <= now - this.perMs) {
        this.granted.shift();
      }
      if (this.granted.length < this.max) {
        this.granted.push(now);
        return;
      }
      const wait = (this.granted[0] as number) + this.perMs - now + 1;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async close(): Promise<void> {}
}
