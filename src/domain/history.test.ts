import { describe, expect, it } from 'vitest';
import { makeChart, makeEntry } from '../test-support/fixtures.js';
import {
  type Appearance,
  artistHistory,
  chartUnit,
  moversBetween,
  rankTop,
  seriesOf,
  seriesStats,
  songOf,
  streamsChanges,
} from './history.js';
import { parseTrackId } from './track-ref.js';

const KEY = { source: 'spotify-charts', chartId: 'regional-global-daily' };
const a = (
  chartDate: string,
  position: number,
  trackId = 't',
  streams: number | null = null,
  key = KEY,
): Appearance => ({ ...key, chartDate, position, trackId, streams });

describe('seriesStats', () => {
  // Stored charts of the key: the 4th and 8th are missing (never stored), so 03 → 05 is adjacent.
  const keyDates = ['01', '02', '03', '05', '06', '07', '09', '10'].map((d) => `2026-01-${d}`);

  it('computes peak, times at peak, #1s, streak over stored dates and streams by hand', () => {
    const points = seriesOf([
      a('2026-01-01', 5, 't', 100),
      a('2026-01-02', 3, 't', 200),
      a('2026-01-03', 1, 't', null),
      a('2026-01-05', 1, 't', 400), // adjacent to 03: no chart of the 4th is stored
      a('2026-01-06', 2, 't', 300),
      // 07 missing: the streak of 5 ends
      a('2026-01-09', 1, 't', 50),
      a('2026-01-10', 4, 't', 10),
    ]);
    expect(seriesStats(points, keyDates)).toStrictEqual({
      firstDate: '2026-01-01',
      lastDate: '2026-01-10',
      peak: 1,
      peakDate: '2026-01-03',
      timesAtPeak: 3,
      chartsOn: 7,
      chartsAtNumberOne: 3,
      longestStreak: 5,
      totalStreams: 1060,
    });
  });

  it('gives null streams when none is known, and a streak of 1 for a single chart', () => {
    expect(seriesStats(seriesOf([a('2026-01-07', 9)]), keyDates)).toMatchObject({
      peak: 9,
      peakDate: '2026-01-07',
      timesAtPeak: 1,
      chartsOn: 1,
      chartsAtNumberOne: 0,
      longestStreak: 1,
      totalStreams: null,
    });
  });

  it('with versions grouped, counts a date once: best position, streams summed', () => {
    const points = seriesOf([
      a('2026-01-01', 7, 'x', 10),
      a('2026-01-01', 4, 'y', 20),
      a('2026-01-02', 6, 'x', null),
    ]);
    expect(points).toStrictEqual([
      { chartDate: '2026-01-01', position: 4, streams: 30, trackId: 'y' },
      { chartDate: '2026-01-02', position: 6, streams: null, trackId: 'x' },
    ]);
    expect(seriesStats(points, keyDates)).toMatchObject({
      chartsOn: 2,
      longestStreak: 2,
      totalStreams: 30,
      peak: 4,
    });
  });
});

describe('rankTop', () => {
  // Chart 1 has 3 entries, chart 2 has 2: points are (N + 1 − position).
  const entries = [
    a('2026-01-01', 1, 'x', 300),
    a('2026-01-01', 2, 'y', 200),
    a('2026-01-01', 3, 'z', 100),
    a('2026-01-02', 1, 'y', 500),
    a('2026-01-02', 2, 'z', 50),
  ];

  it('ranks by points: x 3, y 2+2=4, z 1+1=2', () => {
    expect(rankTop(entries, 'points', 10).map((t) => [t.id, t.points])).toStrictEqual([
      ['y', 4],
      ['x', 3],
      ['z', 2],
    ]);
  });

  it('ranks by days, ties by best position; by streams', () => {
    expect(rankTop(entries, 'days', 2).map((t) => [t.id, t.days])).toStrictEqual([
      ['y', 2],
      ['z', 2],
    ]);
    expect(rankTop(entries, 'streams', 10).map((t) => [t.id, t.streams])).toStrictEqual([
      ['y', 700],
      ['x', 300],
      ['z', 150],
    ]);
  });

  it('counts a unit once per chart when several of its tracks are on it (artists, versions)', () => {
    const artistOf: Record<string, string[]> = { x: ['A'], y: ['A', 'B'], z: ['B'] };
    const top = rankTop(entries, 'points', 10, (id) => artistOf[id] ?? []);
    // A: day 1 best 1 → 3, day 2 best 1 → 2; B: day 1 best 2 → 2, day 2 best 1 → 2.
    expect(top.map((t) => [t.id, t.points, t.days, t.streams, t.trackIds])).toStrictEqual([
      ['A', 5, 2, 1000, ['x', 'y']],
      ['B', 4, 2, 850, ['y', 'z']],
    ]);
  });
});

describe('moversBetween and streamsChanges', () => {
  const previous = makeChart(KEY, '2026-01-01', ['a', 'b', 'c', 'd']);
  const chart = makeChart(KEY, '2026-01-02', [], {
    entries: [
      makeEntry(1, 'c', { movement: 'up', streams: 1000 }),
      makeEntry(2, 'a', { movement: 'down', streams: 900 }),
      makeEntry(3, 'e', { movement: 'new' }),
      makeEntry(4, 'f', { movement: 're-entry' }),
      makeEntry(5, 'b', { movement: 'down' }),
    ],
  });

  it('lists climbers, fallers, new entries, re-entries and drop-outs', () => {
    const movers = moversBetween(chart, previous, 10);
    expect(movers.climbers.map((m) => [m.trackId, m.change])).toStrictEqual([['c', 2]]);
    expect(movers.fallers.map((m) => [m.trackId, m.change])).toStrictEqual([
      ['b', -3],
      ['a', -1],
    ]);
    expect(movers.newEntries.map((m) => m.trackId)).toStrictEqual(['e']);
    expect(movers.reEntries.map((m) => m.trackId)).toStrictEqual(['f']);
    expect(movers.dropOuts.map((m) => [m.trackId, m.previousPosition])).toStrictEqual([['d', 4]]);
    expect(moversBetween(chart, previous, 1).fallers).toHaveLength(1);
  });

  it('gives the change in streams where both charts know them', () => {
    const before = makeChart(KEY, '2026-01-01', [], {
      entries: [makeEntry(1, 'a', { streams: 1000 }), makeEntry(2, 'c', { streams: null })],
    });
    expect(streamsChanges(chart, before)).toStrictEqual([null, -100, null, null, null]);
    expect(streamsChanges(chart, null)).toStrictEqual([null, null, null, null, null]);
  });
});

describe('artistHistory', () => {
  it('gives per day entries, best position and streams, and totals per key', () => {
    const other = { source: 'spotify-playlist', chartId: 'p' };
    const result = artistHistory(
      [
        a('2026-01-01', 9, 'y', 5),
        a('2026-01-01', 2, 'x', 10),
        a('2026-01-02', 4, 'x', null),
        a('2026-01-01', 1, 'x', null, other),
      ],
      new Map([
        ['x', 'Song X'],
        ['y', 'Song Y'],
      ]),
    );
    expect(result[0]).toStrictEqual({
      ...KEY,
      days: [
        {
          chartDate: '2026-01-01',
          entries: [
            { position: 2, trackId: 'x', name: 'Song X', streams: 10 },
            { position: 9, trackId: 'y', name: 'Song Y', streams: 5 },
          ],
          bestPosition: 2,
          streams: 15,
        },
        {
          chartDate: '2026-01-02',
          entries: [{ position: 4, trackId: 'x', name: 'Song X', streams: null }],
          bestPosition: 4,
          streams: null,
        },
      ],
      totals: { tracks: 2, days: 2, bestPosition: 2, streams: 15 },
    });
    expect(result[1]?.totals).toStrictEqual({ tracks: 1, days: 1, bestPosition: 1, streams: null });
  });
});

describe('small rules', () => {
  it('counts weeks on weekly charts, days otherwise', () => {
    expect(chartUnit({ source: 'spotify-charts', chartId: 'viral-us-weekly' })).toBe('weeks');
    expect(chartUnit(KEY)).toBe('days');
  });

  it('groups versions by ISRC; a track without one stands alone', () => {
    expect(songOf({ id: 'x', isrc: 'USABC' })).toBe('isrc:USABC');
    expect(songOf({ id: 'x', isrc: null })).toBe('x');
  });

  it('reads track ids, URIs and links, and nothing else', () => {
    const id = '4uLU6hMCjMI75M1A2tKUQC';
    expect(parseTrackId(id)).toBe(id);
    expect(parseTrackId(`spotify:track:${id}`)).toBe(id);
    expect(parseTrackId(`https://open.spotify.com/intl-de/track/${id}?si=abc`)).toBe(id);
    expect(parseTrackId('blinding lights')).toBeNull();
    expect(parseTrackId(`https://example.com/track/${id}`)).toBeNull();
  });
});
