import { apiError, type Reply } from './responses.js';

/**
 * Spotify's daily quota, exhausted on demand: until it resumes every Web API call answers 429
 * with `reason: QUOTA_EXCEEDED` and a Retry-After counting down to then (49,000 s has been seen).
 * The token endpoint is not metered.
 */
export class QuotaState {
  private until: number | null = null;

  /** Exhausts the quota for `retryAfterSeconds` from `now`. */
  exhaust(retryAfterSeconds: number, now: number = Date.now()): void {
    this.until = now + retryAfterSeconds * 1000;
  }

  /** Gives the quota back. */
  restore(): void {
    this.until = null;
  }

  /** Seconds until the quota resumes, or null while it is not exhausted. */
  secondsLeft(now: number = Date.now()): number | null {
    if (this.until === null || now >= this.until) return null;
    return Math.ceil((this.until - now) / 1000);
  }

  /** The 429 a call gets while the quota is exhausted; null when it may proceed. */
  refusal(now: number = Date.now()): Reply | null {
    const left = this.secondsLeft(now);
    if (left === null) return null;
    return quotaExceeded(left);
  }
}

/** A quota 429 as Spotify sends it since July 2026. */
export function quotaExceeded(retryAfterSeconds: number): Reply {
  return apiError(429, 'API rate limit exceeded', {
    reason: 'QUOTA_EXCEEDED',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
