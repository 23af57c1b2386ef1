import { ChartkeeperError } from './errors.js';

/**
 * Spotify said the app's request quota is used up (a 429 with `reason: QUOTA_EXCEEDED`, or a
 * Retry-After longer than chartkeeper would ever wait inside a run), and when calls may resume.
 * Kept in the store (state `spotify.quota`) so that every process on it stops calling Spotify.
 */
export interface QuotaExhaustion {
  /** When Spotify may be called again (ISO 8601). */
  until: string;
  /** When Spotify said so (ISO 8601). */
  seenAt: string;
  /** Spotify's `reason` ("QUOTA_EXCEEDED"), or null when only the long Retry-After told. */
  reason: string | null;
  /** The Retry-After Spotify sent, in seconds; null when it sent none (a wait was assumed). */
  retryAfterSeconds: number | null;
  /** The request that met it ("GET /playlists/…"), never holding a secret. */
  request: string;
}

/** Spotify's quota is exhausted: no call may be made before `exhaustion.until`. */
export class QuotaExhaustedError extends ChartkeeperError {
  readonly exhaustion: QuotaExhaustion;

  constructor(exhaustion: QuotaExhaustion, message: string, hint: string) {
    // Permanent for this run: waiting hours inside a run would hold a worker and its lease.
    super('spotify-quota', message, { hint, permanent: true });
    this.name = 'QuotaExhaustedError';
    this.exhaustion = exhaustion;
  }
}

/** Whether the exhaustion still holds at `now`. */
export function quotaInForce(exhaustion: QuotaExhaustion | null, now: Date): boolean {
  return exhaustion !== null && Date.parse(exhaustion.until) > now.getTime();
}
