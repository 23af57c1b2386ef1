import { describe, expect, it } from 'vitest';
import type { ChartKey } from '../domain/chart.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { makeChart, makeEntry } from '../test-support/fixtures.js';

const GLOBAL: ChartKey = { source: 'spotify-charts', chartId: 'regional-global-daily' };
const WEEKLY: ChartKey = { source: 'spotify-charts', chartId: 'viral-us-weekly' };
const PLAYLIST: ChartKey = { source: 'spotify-playlist', chartId: '37i9dQZEVXbMDoHDwVN2tF' };
const A = '4uLU6hMCjMI75M1A2tKUQC';
const B = '0VjIjW4GlUZAMYd2vXMi3b';
const C = '7qiZfU4dY1lWllzX7mPBI3';
const REMIX = '1rfofaqEpACxVEHIZBJe6W';

const entry = (position: number, trackId: string, streams: number | null, extra = {}) =>
  makeEntry(position, trackId, {
    name:
      { [A]: 'Never Gonna Give You Up', [B]: 'Blinding Lights', [C]: 'Shape of You' }[trackId] ??
      'Blinding Lights (Remix)',
    artists: [
      { id: trackId === C ? 'ed' : 'weeknd', name: trackId === C ? 'Ed Sheeran' : 'The Weeknd' },
    ],
    isrc: null,
    streams,
    ...extra,
  });

describe('chartkeeper charts, chart, history, movers and top (built binary, SQLite file)', () => {
  const sandbox = cliSandbox('ck-history-', { openStore: true });
  const cli = sandbox.run;

  async function seed() {
    const { store } = sandbox;
    // 01-01, 01-02, 01-04 stored (no 01-03): B is on all three, a streak of 3.
    await store.saveChart(
      makeChart(GLOBAL, '2026-01-01', [], {
        title: 'Top Songs · Global · daily',
        entries: [entry(1, A, 1000), entry(2, B, 900), entry(3, C, 800)],
      }),
    );
    await store.saveChart(
      makeChart(GLOBAL, '2026-01-02', [], {
        title: 'Top Songs · Global · daily',
        entries: [entry(1, B, 1500), entry(2, A, 700)],
      }),
    );
    await store.saveChart(
      makeChart(GLOBAL, '2026-01-04', [], {
        title: 'Top Songs · Global · daily',
        entries: [
          entry(1, B, 2000),
          entry(2, C, 600, { movement: 're-entry' }),
          entry(3, REMIX, 10),
        ],
      }),
    );
    await store.saveChart(
      makeChart(WEEKLY, '2026-01-01', [], {
        title: 'Viral 50 · US · weekly',
        entries: [entry(4, B, null)],
      }),
    );
    await store.saveChart(
      makeChart(PLAYLIST, '2026-01-03', [], {
        entries: [
          entry(1, B, null, { isrc: 'USUG11904206' }),
          entry(2, REMIX, null, { isrc: 'USUG11904206' }),
        ],
      }),
    );
  }

  it('lists stored charts, shows streams changes, movers and the top', async () => {
    await seed();
    const charts = await cli(['charts', '--json']);
    expect(charts.code).toBe(0);
    expect(JSON.parse(charts.stdout).charts).toContainEqual({
      ...GLOBAL,
      title: 'Top Songs · Global · daily',
      firstDate: '2026-01-01',
      lastDate: '2026-01-04',
      chartCount: 3,
    });
    expect((await cli(['charts'])).stdout).toMatch(
      /regional-global-daily .*2026-01-01 +2026-01-04 +3/,
    );

    const chart = await cli(['chart', '--chart', 'regional-global-daily', '--json']);
    expect(chart.code).toBe(0);
    const shown = JSON.parse(chart.stdout);
    expect(shown.previousChartDate).toBe('2026-01-02');
    expect(
      shown.entries.map((e: { streamsChange: number | null }) => e.streamsChange),
    ).toStrictEqual([500, null, null]);
    const table = await cli(['chart', '-c', 'regional-global-daily', '-d', '2026-01-02']);
    expect(table.stdout).toMatch(/STREAMS +±STREAMS/);
    expect(table.stdout).toMatch(/1,500 +\+600/);
    expect(table.stdout).toMatch(/700 +−300/);

    const movers = await cli(['movers', '-c', 'regional-global-daily', '--json']);
    expect(movers.code).toBe(0);
    const m = JSON.parse(movers.stdout);
    expect(m).toMatchObject({ chartDate: '2026-01-04', previousDate: '2026-01-02' });
    expect(m.movers.dropOuts.map((x: { trackId: string }) => x.trackId)).toStrictEqual([A]);
    expect(m.movers.reEntries.map((x: { trackId: string }) => x.trackId)).toStrictEqual([C]);
    expect(m.movers.newEntries.map((x: { trackId: string }) => x.trackId)).toStrictEqual([REMIX]);
    expect((await cli(['movers', '-c', 'regional-global-daily'])).stdout).toMatch(/Drop-outs/);

    const top = await cli([
      'top',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-04',
      '-c',
      'regional-global-daily',
      '--json',
    ]);
    expect(top.code).toBe(0);
    // Points: B 2+2+3 = 7, A 3+1 = 4, C 1+2 = 3, REMIX 1.
    expect(
      JSON.parse(top.stdout).entries.map((e: { id: string; points: number }) => [e.id, e.points]),
    ).toStrictEqual([
      [B, 7],
      [A, 4],
      [C, 3],
      [REMIX, 1],
    ]);
    const artists = await cli([
      'top',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-04',
      '-c',
      'regional-global-daily',
      '--artists',
      '--by',
      'streams',
    ]);
    expect(artists.stdout).toMatch(/1 +The Weeknd +3 +6,110/);
    const noStreams = await cli([
      'top',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-04',
      '-c',
      PLAYLIST.chartId,
      '--by',
      'streams',
    ]);
    expect(noStreams.code).toBe(2);
    expect(noStreams.stderr).toMatch(/have no streams/);
    expect(noStreams.stderr).toMatch(/--by days/);
  });

  it("shows a track's history by id, link or title; lists ambiguous titles; groups versions", async () => {
    await seed();
    const byLink = await cli(['history', `https://open.spotify.com/track/${B}?si=x`, '--json']);
    expect(byLink.code).toBe(0);
    const h = JSON.parse(byLink.stdout);
    const global = h.charts.find((c: ChartKey) => c.chartId === GLOBAL.chartId);
    expect(global.stats).toStrictEqual({
      firstDate: '2026-01-01',
      lastDate: '2026-01-04',
      peak: 1,
      peakDate: '2026-01-02',
      timesAtPeak: 2,
      chartsOn: 3,
      chartsAtNumberOne: 2,
      longestStreak: 3,
      totalStreams: 4400,
    });
    expect(h.charts.find((c: ChartKey) => c.chartId === WEEKLY.chartId).unit).toBe('weeks');

    const text = await cli(['history', 'shape of', '-c', 'regional-global-daily']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /peak #2 on 2026-01-04 · 2 days on chart · 0 days at #1 · longest streak 1 day · 1,400 streams/,
    );
    expect((await cli(['history', B, '-c', 'viral-us-weekly'])).stdout).toMatch(/1 week on chart/);

    const ambiguous = await cli(['history', 'blinding']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stdout).toMatch(/1 +Blinding Lights +The Weeknd/);
    expect(ambiguous.stdout).toContain(REMIX);
    expect(ambiguous.stderr).toMatch(/2 tracks have a title containing "blinding"/);
    expect(ambiguous.stderr).toMatch(/Pass the id/);

    const none = await cli(['history', 'no such song']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No stored track has a title containing "no such song"/);

    // Sharing an ISRC (learnt from the playlist), the remix and the original are one song.
    const grouped = await cli([
      'history',
      'blinding',
      '--group-versions',
      '-c',
      'regional-global-daily',
      '--json',
    ]);
    expect(grouped.code).toBe(0);
    const g = JSON.parse(grouped.stdout);
    expect(g.tracks.map((t: { id: string }) => t.id).sort()).toStrictEqual([B, REMIX].sort());
    expect(g.charts[0].stats).toMatchObject({ chartsOn: 3, totalStreams: 4410 });
    const songs = await cli([
      'top',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-04',
      '-c',
      'regional-global-daily',
      '--group-versions',
      '--json',
    ]);
    expect(JSON.parse(songs.stdout).entries[0]).toMatchObject({
      id: 'isrc:USUG11904206',
      trackIds: [REMIX, B].sort(),
      days: 3,
    });
  });

  it("shows an artist's entries per day by name or id", async () => {
    await seed();
    const result = await cli([
      'history',
      '--artist',
      'the weeknd',
      '-c',
      'regional-global-daily',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const r = JSON.parse(result.stdout);
    expect(r.artist).toStrictEqual({ name: 'The Weeknd', id: 'weeknd' });
    expect(r.charts[0].totals).toStrictEqual({
      tracks: 3,
      days: 3,
      bestPosition: 1,
      streams: 6110,
    });
    expect(r.charts[0].days[2]).toMatchObject({
      chartDate: '2026-01-04',
      bestPosition: 1,
      streams: 2010,
    });
    expect((await cli(['history', '--artist', 'ed'])).stdout).toMatch(
      /Ed Sheeran · ed · 1 track stored/,
    );
    const nobody = await cli(['history', '--artist', 'nobody']);
    expect(nobody.code).toBe(1);
    expect((await cli(['history'])).code).toBe(2);
  });
});
