import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-policy.js';

const POLICY = { attempts: 5, delayMs: 1_000, maxDelayMs: 5_000 };

describe('retryDelayMs', () => {
  it('doubles with each failure up to the cap, half of it fixed and half random', () => {
    const lowest = (failed: number) => retryDelayMs(POLICY, failed, () => 0);
    const highest = (failed: number) => retryDelayMs(POLICY, failed, () => 1);
    expect([1, 2, 3, 4, 10].map(lowest)).toStrictEqual([500, 1_000, 2_000, 2_500, 2_500]);
    expect([1, 2, 3, 4, 10].map(highest)).toStrictEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(retryDelayMs(POLICY, 2, () => 0.5)).toBe(1_500);
  });

  it('spreads retries that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(POLICY, 3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});
