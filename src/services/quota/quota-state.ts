import type { Coordination } from '../../domain/ports/coordination.js';
import { type QuotaExhaustion, quotaInForce } from '../../domain/quota.js';

/**
 * What the store knows of Spotify's quota, shared by every process on it: once one capture meets
 * an exhausted quota, no process calls Spotify before it resumes.
 */

/** The latest exhaustion Spotify reported, in force or not; null if none was ever seen. */
export async function latestQuota(store: Coordination): Promise<QuotaExhaustion | null> {
  const value = await store.getState('spotify.quota');
  // A value this version cannot read is as good as none: captures are then tried.
  return value !== null && typeof value === 'object' && typeof value.until === 'string'
    ? value
    : null;
}

/** The exhaustion still in force at `now`, or null when Spotify may be called. */
export async function quotaInForceAt(
  store: Coordination,
  now: Date,
): Promise<QuotaExhaustion | null> {
  const latest = await latestQuota(store);
  return quotaInForce(latest, now) ? latest : null;
}

/** Keeps what Spotify just said. The newest report wins: it knows best when calls resume. */
export async function recordQuota(store: Coordination, exhaustion: QuotaExhaustion): Promise<void> {
  await store.setState('spotify.quota', exhaustion);
}

/**
 * Spotify answered a Web API call: a quota kept as exhausted is over (given back early, or its
 * time passed). Forgotten, so that scheduled captures, `run` and `doctor` call Spotify again.
 */
export async function quotaAnswered(store: Coordination): Promise<void> {
  if ((await latestQuota(store)) !== null) await store.setState('spotify.quota', null);
}
