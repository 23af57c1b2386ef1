import type { HttpSettings } from '../../config/schema.js';
import type { QuotaExhaustedError } from '../../domain/quota.js';
import { quotaExhaustedError } from '../../lib/quota-error.js';
import { SpotifyError } from './errors.js';

/** What one attempt of a request came to, when it was not a final answer. */
export type Retryable =
  | {
      kind: 'rate-limited';
      /** How long to wait: Retry-After, or a second when Spotify sent none. */
      waitMs: number;
      /** Retry-After as sent, or null. */
      retryAfterMs: number | null;
      reason: string | null;
    }
  | { kind: 'server-error'; status: number; waitMs: number | null; message: string | null }
  | { kind: 'timeout' }
  | { kind: 'network'; what: string }
  | { kind: 'malformed'; what: string };

/** The log line announcing a retry and its wait. */
export function retryLine(
  outcome: Retryable,
  label: string,
  waitMs: number,
  next: number,
  max: number,
): string {
  const wait = seconds(waitMs);
  const tail = `(attempt ${next}/${max})`;
  switch (outcome.kind) {
    case 'rate-limited':
      return `429 from Spotify, waiting ${wait} as Retry-After asks ${tail}`;
    case 'server-error':
      return `HTTP ${outcome.status} from Spotify for ${label}, retrying in ${wait} ${tail}`;
    case 'timeout':
      return `no answer from Spotify for ${label} in time, retrying in ${wait} ${tail}`;
    case 'network':
      return `${outcome.what} on ${label}, retrying in ${wait} ${tail}`;
    case 'malformed':
      return `malformed reply for ${label} (${outcome.what}), retrying in ${wait} ${tail}`;
  }
}

/** The error once retries are used up (attempts, or the waiting budget). */
export function exhausted(
  outcome: Retryable,
  label: string,
  attempts: number,
  settings: HttpSettings,
  overBudget = false,
): SpotifyError {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  const why = overBudget
    ? `${tries}; the ${seconds(settings.maxRetryWaitMs)} retry budget (http.maxRetryWaitMs) is used up`
    : `${tries}, the most http.maxAttempts allows`;
  const hint =
    'Usually temporary: the next capture tries again; raise http.maxAttempts, http.timeoutMs or http.maxRetryWaitMs if it keeps happening';
  switch (outcome.kind) {
    case 'rate-limited':
      return new SpotifyError(
        'spotify-rate-limit',
        `Spotify rate limit: still 429 for ${label} after ${why}`,
        {
          status: 429,
          hint: 'Wait a while before the next capture; other apps of the same developer account share the quota',
        },
      );
    case 'server-error': {
      const said = outcome.message ? ` ("${outcome.message}")` : '';
      return new SpotifyError(
        'spotify-unavailable',
        `Spotify is unavailable: HTTP ${outcome.status} for ${label}${said} after ${why}`,
        { status: outcome.status, hint },
      );
    }
    case 'timeout':
      return new SpotifyError(
        'spotify-unavailable',
        `Spotify did not answer ${label} within ${seconds(settings.timeoutMs)} (http.timeoutMs) after ${why}`,
        { hint },
      );
    case 'network':
      return new SpotifyError(
        'spotify-unavailable',
        `Could not reach Spotify for ${label}: ${outcome.what}, after ${why}`,
        {
          hint: `Check the network connection; ${hint}`,
        },
      );
    case 'malformed':
      return new SpotifyError(
        'spotify-malformed',
        `Spotify sent a malformed reply for ${label}: ${outcome.what}`,
        {
          hint: 'Spotify may have changed its API or had a glitch; if it persists, check for a newer chartkeeper version',
        },
      );
  }
}

/**
 * The error when Spotify asks for a longer wait than the budget has left after earlier waits
 * (a wait longer than the whole budget is a quota: see isQuota).
 */
export function overRateBudget(
  outcome: { waitMs: number },
  label: string,
  leftMs: number,
  settings: HttpSettings,
): SpotifyError {
  return new SpotifyError(
    'spotify-rate-limit',
    `Spotify rate limit: asked to wait ${seconds(outcome.waitMs)} for ${label}, more than the ${seconds(Math.max(0, leftMs))} left of the ${seconds(settings.maxRetryWaitMs)} budget (http.maxRetryWaitMs)`,
    {
      status: 429,
      hint: 'Try again later, or raise http.maxRetryWaitMs to let chartkeeper wait longer',
    },
  );
}

/** A quota 429 without Retry-After: assumed to last an hour (a day would skip a day's capture). */
export const QUOTA_ASSUMED_WAIT_MS = 3_600_000;

/**
 * Whether a 429 is Spotify's quota rather than its 30-second rate window: it says
 * QUOTA_EXCEEDED, or asks for a wait longer than the whole retry budget (http.maxRetryWaitMs).
 */
export function isQuota(
  outcome: { retryAfterMs: number | null; reason: string | null },
  settings: HttpSettings,
): boolean {
  if (outcome.reason === 'QUOTA_EXCEEDED') return true;
  return outcome.retryAfterMs !== null && outcome.retryAfterMs > settings.maxRetryWaitMs;
}

/** The error for a quota 429: until when, in the configured zone. */
export function quotaError(
  outcome: { retryAfterMs: number | null; reason: string | null },
  label: string,
  clock: { now?: () => number; timeZone?: string },
): QuotaExhaustedError {
  const now = clock.now?.() ?? Date.now();
  const waitMs = outcome.retryAfterMs ?? QUOTA_ASSUMED_WAIT_MS;
  return quotaExhaustedError(
    {
      until: new Date(now + waitMs).toISOString(),
      seenAt: new Date(now).toISOString(),
      reason: outcome.reason,
      retryAfterSeconds:
        outcome.retryAfterMs === null ? null : Math.round(outcome.retryAfterMs / 1000),
      request: label,
    },
    clock.timeZone ?? 'UTC',
    new Date(now),
  );
}

/** "2 s", "0.5 s": waits and budgets as users read them. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number(s.toFixed(2))} s`;
}
