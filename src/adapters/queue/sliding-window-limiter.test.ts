import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../../test-support/timing.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

describe('SlidingWindowLimiter', () => {
  it('lets at most max calls through in any window, and the rest as soon as room frees up', async () => {
    // The times the limiter granted each call, read from its own clock: on a busy machine a
    // granted call may resume later than that, which says nothing about the limiter. Waiters are
    // served one at a time, each resuming before the next is looked at, so the clock's last
    // reading when a call resumes is its grant.
    let lastReading = 0;
    const limiter = new SlidingWindowLimiter(5, 200, () => {
      lastReading = Date.now();
      return lastReading;
    });
    const times: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        await limiter.acquire();
        times.push(lastReading);
      }),
    );
    times.sort((a, b) => a - b);
    expect(busiestWindow(times, 200)).toBe(5);
    // 12 calls at 5 per 200 ms need three windows: no sooner (later is the machine's business).
    expect((times.at(-1) as number) - started).toBeGreaterThanOrEqual(399);
  });
});
