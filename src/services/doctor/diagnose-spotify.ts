import type { ChartKey } from '../../domain/chart.js';
import { isEditorialPlaylist } from '../../domain/chart-ref.js';
import type {
  AppModeGuess,
  ChartDiagnosis,
  DoctorCheck,
  SpotifyAppFacts,
} from '../../domain/diagnosis.js';
import { ChartkeeperError, hasCode } from '../../domain/errors.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { ChartFetcher, Log } from '../../domain/ports/sources.js';
import { QuotaExhaustedError } from '../../domain/quota.js';
import { quotaExhaustedError } from '../../lib/quota-error.js';
import { quotaAnswered, quotaInForceAt, recordQuota } from '../quota/quota-state.js';

export interface SpotifyDiagnosisDependencies {
  /** The source that reads the charts (Spotify), with its credentials. */
  fetcher: ChartFetcher;
  /** Where an exhausted quota is known, and kept when met. */
  coordination: Coordination;
  timezone: string;
  clock: () => Date;
  log?: Log;
  /**
   * Whether any chart is read with the app's own token (client credentials), so that the token
   * endpoint is asked for one; charts read with a user's login get that token when probed.
   */
  appToken: boolean;
}

/** What asking Spotify came to: the credentials check, and per chart whether it can be captured. */
export interface SpotifyDiagnosis {
  credentials: DoctorCheck;
  facts: SpotifyAppFacts;
}

/**
 * Asks Spotify, with the fewest requests that tell, whether each chart can be captured: one token
 * (the app's, and the user's when charts use the login), then per chart a filtered playlist
 * request and one item (ChartFetcher.probe). Spotify is not
 * called at all while its quota is known to be exhausted; once an answer concerns the app as a
 * whole (the quota, a lapsed Premium) the charts after it are not asked about either. At most
 * 2 + 2 × charts requests (3 per chart on an API without /items).
 */
export async function diagnoseSpotify(
  deps: SpotifyDiagnosisDependencies,
  keys: readonly ChartKey[],
): Promise<SpotifyDiagnosis> {
  const log: Log = deps.log ?? (() => {});
  const now = deps.clock();
  const known = await quotaInForceAt(deps.coordination, now);
  if (known) {
    const quota = quotaExhaustedError(known, deps.timezone, now);
    return {
      credentials: {
        name: 'credentials',
        status: 'skipped',
        detail: 'not checked: Spotify is not called while its quota is exhausted',
        hint: null,
      },
      facts: facts(
        now,
        'not-checked',
        keys.map((key) => refused(key, quota, false)),
      ),
    };
  }

  try {
    if (deps.appToken) await deps.fetcher.authenticate(log);
  } catch (error) {
    const refusal = asChartkeeperError(error);
    await keepQuota(deps, refusal);
    const missing = refusal.code === 'config';
    return {
      credentials: {
        name: 'credentials',
        status: 'failed',
        detail: refusal.message,
        hint: refusal.hint,
      },
      facts: facts(
        now,
        missing ? 'missing' : hasCode(refusal, 'spotify-auth') ? 'refused' : 'not-checked',
        keys.map((key) => refused(key, refusal, false)),
      ),
    };
  }

  const charts: ChartDiagnosis[] = [];
  // An answer about the whole app (no quota left, no Premium) holds for every chart after it.
  let appRefusal: ChartkeeperError | null = null;
  for (const key of keys) {
    if (appRefusal) {
      charts.push(refused(key, appRefusal, false));
      continue;
    }
    try {
      const probe = await deps.fetcher.probe(key.chartId, log);
      await quotaAnswered(deps.coordination);
      charts.push({
        ...key,
        capturable: true,
        title: probe.title,
        code: null,
        why: null,
        todo: null,
        probed: true,
      });
    } catch (error) {
      const refusal = asChartkeeperError(error);
      await keepQuota(deps, refusal);
      if (hasCode(refusal, 'spotify-quota', 'spotify-premium')) appRefusal = refusal;
      charts.push(refused(key, refusal, true));
    }
  }
  if (!deps.appToken) {
    return {
      credentials: {
        name: 'credentials',
        status: 'skipped',
        detail: "not needed: every chart is read with the user's login",
        hint: null,
      },
      facts: facts(now, 'not-checked', charts),
    };
  }
  return {
    credentials: {
      name: 'credentials',
      status: 'ok',
      detail: "Spotify's token endpoint accepted the client id and secret",
      hint: null,
    },
    facts: facts(now, 'accepted', charts),
  };
}

/** A quota met while diagnosing is kept, as a capture keeps it. */
async function keepQuota(deps: SpotifyDiagnosisDependencies, error: unknown): Promise<void> {
  if (error instanceof QuotaExhaustedError) {
    await recordQuota(deps.coordination, error.exhaustion);
  }
}

function refused(key: ChartKey, error: ChartkeeperError, probed: boolean): ChartDiagnosis {
  return {
    ...key,
    capturable: false,
    title: null,
    code: error.code,
    why: error.message,
    todo: error.hint,
    probed,
  };
}

function facts(
  now: Date,
  credentials: SpotifyAppFacts['credentials'],
  charts: ChartDiagnosis[],
): SpotifyAppFacts {
  const mode = modeOf(charts);
  // A Development Mode app reads nothing without its owner's Premium; Extended Quota needs none.
  const development = mode === 'development' || mode === 'development-owned-only';
  const ownerPremium = charts.some((c) => c.code === 'spotify-premium')
    ? false
    : development && charts.some((c) => c.capturable)
      ? true
      : null;
  return { checkedAt: now.toISOString(), credentials, ownerPremium, mode, charts };
}

/**
 * The app mode the answers point to. Only Extended Quota apps read editorial playlists; only
 * Development Mode apps get a 404 for them or a Premium refusal; a 403 on another playlist's items
 * is the rule for Development Mode apps created on or after 2026-02-11 (and perhaps, by now, for
 * older ones: the answers tell, not the app's age).
 */
function modeOf(charts: readonly ChartDiagnosis[]): AppModeGuess | null {
  const editorial = charts.filter((c) => c.probed && isEditorialPlaylist(c.chartId));
  const others = charts.filter((c) => c.probed && !isEditorialPlaylist(c.chartId));
  if (editorial.some((c) => c.capturable)) return 'extended';
  if (others.some((c) => c.code === 'spotify-forbidden')) return 'development-owned-only';
  if (editorial.some((c) => c.code === 'spotify-not-found')) return 'development';
  if (charts.some((c) => c.code === 'spotify-premium')) return 'development';
  return null;
}

function asChartkeeperError(error: unknown): ChartkeeperError {
  if (error instanceof ChartkeeperError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChartkeeperError('internal', message);
}
