import { createHash } from 'node:crypto';
import { awkwardEntries } from './awkward.js';
import { benchPlaylist } from './bench-playlists.js';
import { EMULATOR_PLAYLISTS } from './constants.js';
import type { CatalogueEntry, EntryContent } from './entries.js';
import { seedOf, smoothNoise, unitHash } from './hash.js';
import { type PoolTrack, TRACK_POOL } from './pool.js';

export interface PlaylistOwner {
  id: string;
  displayName: string;
}

export interface PlaylistDefinition {
  id: string;
  name: string;
  description: string;
  owner: PlaylistOwner;
  /** Spotify's own covers are one image of unknown size; users' playlists get a mosaic. */
  cover: 'editorial' | 'mosaic';
  followers: (day: number) => number;
  entries: (date: string) => CatalogueEntry[];
}

export interface PlaylistContents {
  entries: CatalogueEntry[];
  snapshotId: string;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date; throws on anything else. */
export function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`Invalid chart date "${date}": expected YYYY-MM-DD`);
  }
  return ms / DAY_MS;
}

// Each day one little-played track is "released": it jumps high and fades over two weeks, so
// every day has at least one new entry, as real charts do. Stepping by a number coprime with the
// tail's length visits every tail track before repeating, so two releases never overlap.
const RELEASE_TAIL_START = 260;
const RELEASE_FADE_DAYS = 20;

function releaseBoosts(day: number): Map<number, number> {
  const tail = TRACK_POOL.length - RELEASE_TAIL_START;
  const boosts = new Map<number, number>();
  for (let age = 0; age <= RELEASE_FADE_DAYS; age++) {
    const released = RELEASE_TAIL_START + (((((day - age) * 37) % tail) + tail) % tail);
    boosts.set(released, 3 * Math.exp(-age / 5));
  }
  return boosts;
}

/** Tail tracks barely play outside their release weeks, so a release is always a new entry. */
function releaseBoost(boosts: Map<number, number>, index: number): number {
  return boosts.get(index) ?? (index >= RELEASE_TAIL_START ? -0.6 : 0);
}

/**
 * A track's chart score on a day: its appeal, slow and fast drifts, a little daily jitter and
 * any release boost. Each term is computed from the day number directly (no walk from an
 * epoch), so consecutive days differ a little and tracks drift out and back in over weeks.
 */
function score(track: PoolTrack, index: number, day: number, boost: number): number {
  const seed = seedOf(track.id);
  return (
    track.appeal +
    boost +
    0.55 * smoothNoise(seed, day / 40) +
    0.25 * smoothNoise(seed ^ 0x5bd1e995, day / 9) +
    0.05 * (unitHash(seed ^ index, day) - 0.5)
  );
}

const rankingCache = new Map<number, PoolTrack[]>();

/** The whole pool ordered by that day's score, best first. */
export function ranking(date: string): PoolTrack[] {
  const day = dayNumber(date);
  const cached = rankingCache.get(day);
  if (cached) return cached;
  const boosts = releaseBoosts(day);
  const ranked = TRACK_POOL.map((track, index) => ({
    track,
    score: score(track, index, day, releaseBoost(boosts, index)),
  }))
    .sort((a, b) => b.score - a.score)
    .map((scored) => scored.track);
  // Charts are asked for a handful of dates at a time; keep the cache small.
  if (rankingCache.size >= 64) rankingCache.delete(rankingCache.keys().next().value as number);
  rankingCache.set(day, ranked);
  return ranked;
}

/** The top `size` tracks of a day. */
export function chart(date: string, size: number): PoolTrack[] {
  return ranking(date).slice(0, size);
}

function chartEntries(date: string, size: number): CatalogueEntry[] {
  // Chart playlists are republished early each day: every entry carries that moment.
  const addedAt = `${date}T0${4 + (dayNumber(date) % 3)}:00:00Z`;
  return chart(date, size).map((track, rank) => ({
    addedAt,
    addedByOwner: true,
    content: { kind: 'track', track, popularity: Math.max(50, 98 - Math.floor(rank / 4)) },
    keys: 'both',
  }));
}

// The user who logs in to the emulator (logins.ts): the owner of the user playlists.
const USER_OWNER: PlaylistOwner = { id: 'toplists-fan', displayName: 'Toplists Fan' };
const SPOTIFY_OWNER: PlaylistOwner = { id: 'spotify', displayName: 'Spotify' };
const TOP50_DESCRIPTION = 'Your daily update of the most played tracks right now - Global.';

const PLAYLISTS: PlaylistDefinition[] = [
  {
    id: EMULATOR_PLAYLISTS.daily,
    name: 'Top 50 - Global',
    description: TOP50_DESCRIPTION,
    owner: USER_OWNER,
    cover: 'mosaic',
    followers: (day) => 1_200 + (day % 1000),
    entries: (date) => chartEntries(date, 50),
  },
  {
    id: EMULATOR_PLAYLISTS.editorial,
    name: 'Top 50 - Global',
    description: TOP50_DESCRIPTION,
    owner: SPOTIFY_OWNER,
    cover: 'editorial',
    followers: (day) => 18_000_000 + (day % 1000) * 1_500,
    entries: (date) => chartEntries(date, 50),
  },
  {
    id: EMULATOR_PLAYLISTS.large,
    name: 'Top 200 - Global',
    description: 'The 200 most played tracks of the day, worldwide.',
    owner: USER_OWNER,
    cover: 'mosaic',
    followers: (day) => 310 + (day % 200),
    entries: (date) => chartEntries(date, 200),
  },
  {
    id: EMULATOR_PLAYLISTS.awkward,
    name: 'Awkward cases',
    description: 'Removed tracks, local files, episodes and other shapes a client must survive.',
    owner: USER_OWNER,
    cover: 'mosaic',
    followers: () => 3,
    entries: () => awkwardEntries(),
  },
];

/** The emulated playlist with that id, if any. */
export function findPlaylist(id: string): PlaylistDefinition | undefined {
  return PLAYLISTS.find((playlist) => playlist.id === id) ?? benchPlaylist(id, PLAYLISTS[0]);
}

/** A playlist's entries on a date and the snapshot id that changes exactly when they do. */
export function playlistContents(playlist: PlaylistDefinition, date: string): PlaylistContents {
  const entries = playlist.entries(date);
  const digest = createHash('sha256').update(playlist.id);
  for (const entry of entries) {
    digest.update(`\n${entry.addedAt}|${entry.keys}|${contentKey(entry.content)}`);
  }
  return { entries, snapshotId: digest.digest('base64url').slice(0, 32) };
}

function contentKey(content: EntryContent): string {
  switch (content.kind) {
    case 'track':
      return `track:${content.track.id}`;
    case 'episode':
      return `episode:${content.episode.id}`;
    case 'local':
      return `local:${content.file.name}`;
    case 'removed':
      return 'removed';
  }
}
