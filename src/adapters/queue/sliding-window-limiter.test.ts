import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../../test-support/timing.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

describe('SlidingWindowLimiter', () => {
  it('lets at most max calls through in any window, and the rest as soon as room frees up', async () => {
    const limiter = new SlidingWindowLimiter(5, 200);
    const times: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        await limiter.acquire();
        times.push(Date.now());
      }),
    );
    times.sort((a, b) => a - b);
    expect(busiestWindow(times, 200)).toBe(5);
    // 12 calls at 5 per 200 ms need three windows: no sooner (later is the machine's business).
    expect((times.at(-1) as number) - started).toBeGreaterThanOrEqual(399);
  });
});
