/** How often a task is tried and how long to wait between tries (config `retries`). */
export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  maxDelayMs: number;
}

/**
 * The wait before the next try of a task that has failed `failedAttempts` times: exponential
 * (delayMs, 2×, 4×… capped at maxDelayMs) with "equal jitter" — half fixed, half random — so
 * workers that failed together do not all come back at the same moment, yet none comes back
 * at once.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempts: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts, 1) - 1, 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
