import { QuotaExhaustedError, type QuotaExhaustion } from '../domain/quota.js';
import { localTime, localTimeWithZone } from './local-time.js';

const QUOTA_HINT =
  'chartkeeper calls Spotify again after that time: until then scheduled captures are recorded as deferred and `chartkeeper run` refuses (`run --force` tries anyway). The quota is shared by every app of your Spotify developer account; an Extended Quota app has a larger one.';

/**
 * The one error (and message) for an exhausted quota, whether Spotify has just said so or the
 * store remembers it: "Spotify's quota is exhausted until 2026-11-30 09:36 Europe/Berlin (…)",
 * the time in the configured zone, so a user reads when, not a number of seconds.
 */
export function quotaExhaustedError(
  exhaustion: QuotaExhaustion,
  timeZone: string,
  now: Date = new Date(),
): QuotaExhaustedError {
  const until = localTimeWithZone(exhaustion.until, timeZone);
  const left = Date.parse(exhaustion.until) - now.getTime();
  const from = left > 0 ? ` (${duration(left)} from now)` : '';
  const why = [
    exhaustion.reason ? `reason ${exhaustion.reason}` : null,
    exhaustion.retryAfterSeconds === null
      ? 'no Retry-After (a wait of an hour is assumed)'
      : `Retry-After ${exhaustion.retryAfterSeconds} s`,
  ]
    .filter(Boolean)
    .join(', ');
  // The zone is named once, after `until`.
  const seen = localTime(exhaustion.seenAt, timeZone, false);
  return new QuotaExhaustedError(
    exhaustion,
    `Spotify's quota is exhausted until ${until}${from}: ${exhaustion.request} answered 429 at ${seen} (${why})`,
    QUOTA_HINT,
  );
}

/** "13 h 37 min", "5 min", "40 s": how long until then, as a person says it. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
