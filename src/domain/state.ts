import type { SpotifyAppFacts } from './diagnosis.js';
import type { QuotaExhaustion } from './quota.js';

/**
 * The small values the scheduler keeps in the store, each key declared once with the type of its
 * value (as Immich's system metadata). Keys are part of the stored data: never renamed. A key
 * marked "per chart" or "per slot" is stored under `key/scope`.
 */
export interface StateValues {
  /** Since when scheduled captures are paused (ISO 8601); absent while they run. */
  'schedule.paused': string;
  /** The latest `serve` to say it is alive, and when. */
  'serve.heartbeat': { at: string; owner: string };
  /** Where the latest `serve` answers its web UI and API (http://127.0.0.1:8080/). */
  'web.url': string;
  /**
   * The web UI's logged-in sessions, each id with when it ends (ms since 1970): a session cookie
   * is good only while its id is here, so logging out ends it on every serve of the store.
   */
  'web.sessions': Record<string, number>;
  /** Per chart: the last capture (its time, or "never") a stale-chart alert was sent for. */
  'alerts.stale': string;
  /** The refresh-token expiry of the user login an expiry alert was sent for. */
  'alerts.login-expiry': string;
  /** Per chart: the latest schedule slot handled, captured or recorded as missed. */
  'schedule.last-slot': string;
  /** Per chart: the slot up to which slots were checked for runs nobody made. */
  'schedule.checked-slot': string;
  /** Per chart and slot: a job for this slot exists but was put off while the chart was busy. */
  'schedule.waiting': 'postponed';
  /**
   * Chart keys (`source/chartId`) an import wrote charts of out of date order, each with the
   * date from which its charts are to be derived again. Set before those charts are written and
   * cleared once they are derived, so an import killed in between is completed by the next one.
   */
  'import.derive-pending': Record<string, string>;
  /**
   * Spotify's quota is exhausted until `until`: no process on the store calls Spotify before then
   * (scheduled captures are deferred, `run` refuses without --force). Kept after it passes, as the
   * latest one seen.
   */
  'spotify.quota': QuotaExhaustion;
  /** What the latest `chartkeeper doctor` learned about the Spotify app and each chart. */
  'spotify.app': SpotifyAppFacts;
}

export type StateKey = keyof StateValues;

/** The name a value is stored under. */
export function stateName(key: StateKey, scope?: string): string {
  return scope === undefined ? key : `${key}/${scope}`;
}

/** A value as stored: JSON text. */
export function encodeState(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * A stored value read back. Values written before they were kept as JSON are plain strings
 * (an ISO time, "postponed"); they are read as the strings they are.
 */
export function decodeState<K extends StateKey>(text: string): StateValues[K] {
  try {
    return JSON.parse(text) as StateValues[K];
  } catch {
    return text as StateValues[K];
  }
}
