import type { HttpSettings } from '../../config/schema.js';
import { SpotifyError } from './errors.js';

/** What one attempt of a request came to, when it was not a final answer. */
export type Retryable =
  | { kind: 'rate-limited'; waitMs: number; reason: string | null }
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

/** The error when Spotify asks for a longer wait than the budget has left. */
export function overRateBudget(
  outcome: { waitMs: number; reason: string | null },
  label: string,
  leftMs: number,
  settings: HttpSettings,
): SpotifyError {
  const budget =
    leftMs >= settings.maxRetryWaitMs
      ? `the ${seconds(settings.maxRetryWaitMs)} budget`
      : `the ${seconds(Math.max(0, leftMs))} left of the ${seconds(settings.maxRetryWaitMs)} budget`;
  const quota =
    outcome.reason === 'QUOTA_EXCEEDED'
      ? '; reason QUOTA_EXCEEDED: the request quota shared by the apps of this developer account is used up'
      : '';
  return new SpotifyError(
    'spotify-rate-limit',
    `Spotify rate limit: asked to wait ${seconds(outcome.waitMs)} for ${label}, more than ${budget} (http.maxRetryWaitMs)${quota}`,
    {
      status: 429,
      hint: 'Try again later, or raise http.maxRetryWaitMs to let chartkeeper wait longer',
    },
  );
}

/** Retry-After in milliseconds: delta-seconds as Spotify sends it, or an HTTP date. */

/** "2 s", "0.5 s": waits and budgets as users read them. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number(s.toFixed(2))} s`;
}
