import { describe, expect, it } from 'vitest';
import type {
  SpotifyApiErrorBody,
  SpotifyPlaylist,
  SpotifyTrack,
} from '../adapters/spotify/schemas.js';
import { emulatorStarter, get, type Page, token } from '../test-support/emulator-client.js';
import { chart, dayNumber, findPlaylist, playlistContents } from './catalogue.js';
import { EMULATOR_PLAYLISTS } from './emulator.js';
import { POOL_SIZE, TRACK_POOL } from './pool.js';

type Playlist = Omit<SpotifyPlaylist, 'items'> & { items: Page };

const launch = emulatorStarter('all');

async function fetchAll<T>(date: string, path: string): Promise<T> {
  const emu = await launch({ today: () => date });
  return (await get(emu, path, await token(emu))).body as T;
}

function nextDay(date: string): string {
  return new Date((dayNumber(date) + 1) * 86_400_000).toISOString().slice(0, 10);
}

describe('track pool', () => {
  it('has unique Spotify-shaped ids, ISRCs and the awkward names', () => {
    expect(TRACK_POOL).toHaveLength(POOL_SIZE);
    expect(new Set(TRACK_POOL.map((track) => track.id)).size).toBe(POOL_SIZE);
    expect(new Set(TRACK_POOL.map((track) => track.isrc)).size).toBe(POOL_SIZE);
    for (const track of TRACK_POOL) {
      expect(track.id).toMatch(/^[0-9A-Za-z]{22}$/);
      expect(track.isrc).toMatch(/^QZCKE\d{7}$/);
      expect(track.artists.length).toBeGreaterThan(0);
    }
    expect(TRACK_POOL.filter((track) => track.artists.length > 1).length).toBeGreaterThan(20);
    const names = TRACK_POOL.map((track) => track.name);
    for (const name of [
      'Café del Mar',
      'ÄÖÜ',
      '夜明けのメロディ',
      '별빛 아래서',
      'ليلة القمر',
      'Fire 🔥 Dance',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('daily charts', () => {
  it('are a pure function of the date', () => {
    const ids = (date: string) => chart(date, 50).map((track) => track.id);
    expect(ids('2026-11-20')).toEqual(ids('2026-11-20'));
    expect(ids('2026-11-20')).not.toEqual(ids('2026-11-21'));
    const daily = findPlaylist(EMULATOR_PLAYLISTS.daily)!;
    expect(playlistContents(daily, '2026-11-20').snapshotId).toBe(
      playlistContents(daily, '2026-11-20').snapshotId,
    );
  });

  it('move realistically between consecutive days, every day for two years', () => {
    let date = '2025-01-01';
    const everSeen = new Set<string>();
    let reentries = 0;
    for (let day = 0; day < 730; day++) {
      const today = chart(date, 50).map((track) => track.id);
      const tomorrow = chart(nextDay(date), 50).map((track) => track.id);
      const entered = tomorrow.filter((id) => !today.includes(id));
      const left = today.filter((id) => !tomorrow.includes(id));
      const moved = tomorrow.filter((id, rank) => today.includes(id) && today.indexOf(id) !== rank);
      expect(entered.length, `entries on ${nextDay(date)}`).toBeGreaterThanOrEqual(1);
      expect(entered.length, `entries on ${nextDay(date)}`).toBeLessThanOrEqual(10);
      expect(left.length).toBe(entered.length);
      expect(moved.length).toBeGreaterThan(0);
      for (const id of today) everSeen.add(id);
      reentries += entered.filter((id) => everSeen.has(id)).length;
      date = nextDay(date);
    }
    expect(reentries).toBeGreaterThan(100);
  });

  it('keep the Top 50 inside the Top 200', () => {
    const top200 = chart('2026-07-04', 200).map((track) => track.id);
    expect(new Set(top200).size).toBe(200);
    expect(top200.slice(0, 50)).toEqual(chart('2026-07-04', 50).map((track) => track.id));
  });

  it('rejects dates that are not YYYY-MM-DD', () => {
    expect(() => dayNumber('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => dayNumber('20.11.2026')).toThrow(/YYYY-MM-DD/);
  });

  it('over HTTP: same date, same contents and snapshot; next date, a new snapshot and movers', async () => {
    const path = `/playlists/${EMULATOR_PLAYLISTS.daily}`;
    const [first, again, next] = await Promise.all([
      fetchAll<Playlist>('2026-11-20', path),
      fetchAll<Playlist>('2026-11-20', path),
      fetchAll<Playlist>('2026-11-21', path),
    ]);
    const ids = (playlist: Playlist) => playlist.items.items.map((entry) => entry.item?.id);
    expect(again.snapshot_id).toBe(first.snapshot_id);
    expect(ids(again)).toEqual(ids(first));
    expect(next.snapshot_id).not.toBe(first.snapshot_id);
    const entered = ids(next).filter((id) => !ids(first).includes(id));
    expect(entered.length).toBeGreaterThanOrEqual(1);
    expect(entered.length).toBeLessThanOrEqual(10);
    expect(first.items.items[0]?.added_at).toMatch(/^2026-11-20T0\d:00:00Z$/);
    expect(first.items.items[0]?.added_by?.id).toBe('toplists-fan');
  });

  it('keep the snapshot of an unchanged playlist across days', async () => {
    const path = `/playlists/${EMULATOR_PLAYLISTS.awkward}`;
    const [one, two] = await Promise.all([
      fetchAll<Playlist>('2026-11-20', path),
      fetchAll<Playlist>('2026-12-25', path),
    ]);
    expect(one.snapshot_id).toBe(two.snapshot_id);
  });
});

describe('the awkward playlist', () => {
  it('holds every entry shape a client must survive', async () => {
    const page = await fetchAll<Page>(
      '2026-11-20',
      `/playlists/${EMULATOR_PLAYLISTS.awkward}/items?limit=50`,
    );
    const items = page.items;
    expect(page.total).toBe(12);
    expect(items).toHaveLength(12);

    const removed = items.filter((entry) => entry.item === null && entry.track === null);
    expect(removed).toHaveLength(1);

    const local = items.find((entry) => entry.is_local)!;
    expect(local.item).toMatchObject({ id: null, is_local: true, type: 'track' });
    expect((local.item as SpotifyTrack).uri).toMatch(
      /^spotify:local:Local\+Hero:Voice\+Memos:My\+Demo/,
    );

    const episode = items.find((entry) => entry.item?.type === 'episode')!;
    expect(episode.item?.uri).toMatch(/^spotify:episode:/);

    expect(items.filter((entry) => 'track' in entry && !('item' in entry))).toHaveLength(1);
    expect(items.filter((entry) => 'item' in entry && !('track' in entry))).toHaveLength(1);
    expect(items.filter((entry) => entry.added_at === null)).toHaveLength(1);

    const tracks = items
      .map((entry) => entry.item ?? entry.track)
      .filter((track): track is SpotifyTrack => track?.type === 'track' && !track.is_local);
    const names = tracks.map((track) => track.name);
    expect(names).toEqual(
      expect.arrayContaining(['ليلة القمر', 'Fire 🔥 Dance', '夜明けのメロディ']),
    );
    expect(names.filter((name) => name === 'Café del Mar')).toHaveLength(2);
    expect(tracks.some((track) => track.artists.length >= 3)).toBe(true);
    expect(tracks.flatMap((track) => track.artists.map((artist) => artist?.name))).toContain(
      'Tyler, the Gardener',
    );
  });

  it('always has the track key on the legacy endpoint', async () => {
    const page = await fetchAll<Page>(
      '2026-11-20',
      `/playlists/${EMULATOR_PLAYLISTS.awkward}/tracks`,
    );
    expect(page.items).toHaveLength(12);
    expect(page.items.every((entry) => 'track' in entry && !('item' in entry))).toBe(true);
  });

  it('answers a chart date it cannot read with a 500 that says why', async () => {
    const body = await fetchAll<SpotifyApiErrorBody>(
      'not-a-date',
      `/playlists/${EMULATOR_PLAYLISTS.daily}`,
    );
    expect(body.error.status).toBe(500);
    expect(body.error.message).toContain('YYYY-MM-DD');
  });
});
