import type { ChartKey } from './chart.js';
import type { ErrorCode } from './errors.js';

/*
 * What `chartkeeper doctor` finds out, as data: the CLI prints it, `--json` emits it, and what it
 * learns of the Spotify app is kept in the store (state `spotify.app`) for the status page.
 */

/** How one check came out; `skipped`: not applicable (no queue configured) or not possible. */
export type CheckStatus = 'ok' | 'failed' | 'skipped';

/** One line of the report: what was checked, what was found, and what to do when it failed. */
export interface DoctorCheck {
  name: 'configuration' | 'store' | 'queue' | 'user login' | 'credentials';
  status: CheckStatus;
  detail: string;
  hint: string | null;
}

/** Whether a configured chart can be captured now and, if not, why and what to do, in words. */
export interface ChartDiagnosis extends ChartKey {
  capturable: boolean;
  /** The playlist's name, when Spotify told it. */
  title: string | null;
  /** Why not, as an error code (spotify-not-found, spotify-forbidden, spotify-premium, spotify-quota…). */
  code: ErrorCode | null;
  why: string | null;
  todo: string | null;
  /**
   * Whether Spotify was asked about this chart. Not when its quota is exhausted, nor after the
   * app as a whole was refused (no Premium, credentials refused): the answer would be the same.
   */
  probed: boolean;
}

/** What the answers say of the app's mode (see spotify-api-2026.md); null when they cannot tell. */
export type AppModeGuess = 'extended' | 'development' | 'development-owned-only';

/** What doctor learned about the Spotify app, kept in the store for the status page. */
export interface SpotifyAppFacts {
  checkedAt: string;
  credentials: 'accepted' | 'refused' | 'missing' | 'not-checked';
  /** false: the app owner's Premium has lapsed; null: not known. */
  ownerPremium: boolean | null;
  mode: AppModeGuess | null;
  charts: ChartDiagnosis[];
}
