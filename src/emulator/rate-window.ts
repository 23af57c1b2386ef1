/** What the emulator's rate limit saw: calls let through and refused, and when. */
export interface RateWindowStats {
  max: number;
  windowMs: number;
  admitted: number;
  refused: number;
  /** Epoch milliseconds of the first and latest admitted call, or null before any. */
  firstAt: number | null;
  lastAt: number | null;
}

/**
 * Spotify's rolling-window rate limit, made strict and known: at most `max` API calls in any
 * `windowMs`; the next one gets 429 with Retry-After. For checking that clients stay under it.
 */
export class RateWindow {
  private readonly admittedAt: number[] = [];
  private readonly stats: RateWindowStats;

  constructor(max: number, windowMs: number) {
    this.stats = { max, windowMs, admitted: 0, refused: 0, firstAt: null, lastAt: null };
  }

  /** 0 when the call is let through (and counted), else milliseconds until one would be. */
  admit(now: number): number {
    const { max, windowMs } = this.stats;
    while (this.admittedAt.length > 0 && (this.admittedAt[0] as number) <= now - windowMs) {
      this.admittedAt.shift();
    }
    if (this.admittedAt.length >= max) {
      this.stats.refused += 1;
      return (this.admittedAt[0] as number) + windowMs - now;
    }
    this.admittedAt.push(now);
    this.stats.admitted += 1;
    this.stats.firstAt ??= now;
    this.stats.lastAt = now;
    return 0;
  }

  snapshot(): RateWindowStats {
    return { ...this.stats };
  }
}
