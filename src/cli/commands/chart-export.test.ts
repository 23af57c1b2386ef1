import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { ChartSnapshot } from '../../domain/chart.js';
import type { ChartRange } from '../../domain/ports/chart-range.js';
import { stderrBesidesProgress } from '../../test-support/cli.js';
import { cliSandbox } from '../../test-support/cli-sandbox.js';
import { makeChart, makeEntry } from '../../test-support/fixtures.js';

const OFFICIAL = { source: 'spotify-charts', chartId: 'regional-global-daily' };
const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams,chart_source,chart_id,chart_date,track_id,previous_position,movement,days_on_chart_stored,peak_stored';

type Row = Record<string, string>;

/** Reads a CSV export as a spreadsheet would: after its BOM, one object per row. */
function parseCsv(text: string): { fields: string[]; rows: Row[] } {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Row>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toStrictEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

/** The rows the export should hold for these charts, as text. */
function expectedRows(charts: ChartSnapshot[]): Row[] {
  const text = (value: number | string | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  return charts.flatMap((chart) =>
    chart.entries.map((entry) => ({
      rank: text(entry.position),
      uri: entry.uri,
      artist_names: entry.artists.map((a) => a.name).join(', '),
      track_name: entry.name,
      source: '',
      peak_rank: text(entry.facts?.peakRank),
      previous_rank: text(entry.facts?.previousRank),
      days_on_chart: text(entry.facts?.onChart),
      streams: text(entry.streams),
      chart_source: chart.source,
      chart_id: chart.chartId,
      chart_date: chart.chartDate,
      track_id: entry.trackId,
      previous_position: text(entry.previousPosition),
      movement: entry.movement,
      days_on_chart_stored: text(entry.daysOnChart),
      peak_stored: text(entry.peak),
    })),
  );
}

describe('export --format csv|ndjson (built binary)', () => {
  const sandbox = cliSandbox('ck-chart-export-');
  const cli = sandbox.run;
  const storePath = () => join(sandbox.dir, 'store.db');

  /** A week of the demo's daily chart in the sandbox's store. */
  async function demoWeek(): Promise<void> {
    const demo = await cli(['demo', '--days', '7', '--store', storePath()]);
    expect(demo.code, demo.stderr).toBe(0);
  }

  /** What the store holds in the range, read through the store itself. */
  async function stored(range: ChartRange = {}): Promise<ChartSnapshot[]> {
    const store = SqliteStore.open(storePath(), { access: 'read' });
    try {
      const charts: ChartSnapshot[] = [];
      for await (const chart of store.chartsInRange(range)) charts.push(chart);
      return charts;
    } finally {
      await store.close();
    }
  }

  async function save(...charts: ChartSnapshot[]): Promise<void> {
    const store = SqliteStore.open(storePath());
    try {
      for (const chart of charts) await store.saveChart(chart);
    } finally {
      await store.close();
    }
  }

  it("writes every stored chart's entries as CSV: BOM, header, CRLF, one row per entry", async () => {
    await demoWeek();
    const result = await cli(['export', '--format', 'csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    expect(result.stdout.replaceAll('\r\n', '')).not.toContain('\n');
    const charts = await stored();
    expect(charts).toHaveLength(7);
    const { fields, rows } = parseCsv(result.stdout);
    expect(fields.join(',')).toBe(HEADER);
    expect(rows).toStrictEqual(expectedRows(charts));
    expect(rows).toHaveLength(350);
    expect(stderrBesidesProgress(result.stderr)).toMatch(
      /^Exported 7 charts \(350 entries\) as CSV from the sqlite store .*store\.db\.\n$/,
    );
  });

  it('quotes commas, quotes and line breaks, and neutralises formulas, keeping accents and CJK', async () => {
    await demoWeek();
    const tricky = makeChart(OFFICIAL, '2026-03-01', [], {
      entries: [
        makeEntry(1, 'a', {
          name: 'Hello, "World"\r\nagain',
          artists: [
            { id: null, name: 'Sigur Rós' },
            { id: null, name: '周杰倫' },
          ],
          streams: 1_234_567,
          facts: { peakRank: 1, previousRank: 3, onChart: 120 },
        }),
        makeEntry(2, 'b', { name: '=Love', artists: [{ id: null, name: '@handle' }] }),
        makeEntry(3, 'c', {
          name: '-3',
          artists: [{ id: null, name: '+plus' }],
          facts: { peakRank: 3, previousRank: null, onChart: 1 },
          movement: 'up',
          previousPosition: 9,
          daysOnChart: 4,
          peak: 2,
        }),
        makeEntry(4, 'd', { name: '=HYPERLINK("http://x","y")\nnext' }),
      ],
    });
    await save(tricky);
    const file = join(sandbox.dir, 'official.csv');
    const result = await cli([
      'export',
      '--format',
      'csv',
      '--chart',
      'regional-global-daily',
      '-o',
      file,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Exported 1 charts \(4 entries\) as CSV .* to .*official\.csv\.\n$/,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"Hello, ""World""\r\nagain"');
    expect(text).toContain(`"Sigur Rós, 周杰倫"`);
    const { rows } = parseCsv(text);
    expect(rows.map((row) => [row.track_name, row.artist_names])).toStrictEqual([
      ['Hello, "World"\r\nagain', 'Sigur Rós, 周杰倫'],
      ["'=Love", "'@handle"],
      ["'-3", "'+plus"],
      ['\'=HYPERLINK("http://x","y")\nnext', 'Artist d'],
    ]);
    expect(rows[0]).toMatchObject({ peak_rank: '1', previous_rank: '3', days_on_chart: '120' });
    expect(rows[0]).toMatchObject({ streams: '1234567', source: '' });
    expect(rows[2]).toMatchObject({
      peak_rank: '3',
      previous_rank: '',
      days_on_chart: '1',
      previous_position: '9',
      movement: 'up',
      days_on_chart_stored: '4',
      peak_stored: '2',
    });
    expect(rows[1]).toMatchObject({ peak_rank: '', previous_rank: '', days_on_chart: '' });
    expect(rows.every((row) => row.chart_source === 'spotify-charts')).toBe(true);
  });

  it('keeps to --chart keys and to --from/--to dates, inclusive, in CSV and NDJSON', async () => {
    await demoWeek();
    await save(makeChart(OFFICIAL, '2099-03-01', ['x', 'y']));
    const week = await stored({ keys: [] });
    const playlist = week.find((c) => c.source === 'spotify-playlist');
    const dates = week.filter((c) => c.source === 'spotify-playlist').map((c) => c.chartDate);
    const [from, to] = [dates[2], dates[4]] as [string, string];
    const range = {
      keys: [{ source: 'spotify-playlist', chartId: playlist?.chartId ?? '' }],
      from,
      to,
    };
    const chart = `spotify-playlist/${playlist?.chartId}`;

    const csv = await cli([
      'export',
      '--format',
      'csv',
      '--chart',
      chart,
      '--from',
      from,
      '--to',
      to,
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const inRange = await stored(range);
    expect(inRange.map((c) => c.chartDate)).toStrictEqual(dates.slice(2, 5));
    expect(parseCsv(csv.stdout).rows).toStrictEqual(expectedRows(inRange));

    const ndjson = await cli(['export', '--format', 'ndjson', '--from', from, '--to', to]);
    expect(ndjson.code, ndjson.stderr).toBe(0);
    expect(ndjson.stdout.endsWith('\n')).toBe(true);
    const lines = ndjson.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toStrictEqual(
      inRange.map((c) => ({
        key: chart,
        ...c,
        entries: c.entries.map((entry) => ({ ...entry, facts: entry.facts ?? null })),
      })),
    );

    // Every key, from a date on: the official chart sorts first (by source, then id, then date).
    const all = await cli(['export', '--format', 'ndjson', '--from', from]);
    const keys = all.stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        const c = JSON.parse(line) as ChartSnapshot & { key: string };
        return `${c.key} ${c.chartDate}`;
      });
    expect(keys).toStrictEqual([
      'spotify-charts/regional-global-daily 2099-03-01',
      ...dates.slice(2).map((date) => `${chart} ${date}`),
    ]);
  });

  it('writes a file only complete, never over one without --force, and says so as JSON', async () => {
    await demoWeek();
    const file = join(sandbox.dir, 'charts.csv');
    writeFileSync(file, 'my own notes\n');
    const kept = await cli(['export', '--format', 'csv', '-o', file]);
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(
      /charts\.csv already exists; it was left as it is\.\n {2}.*--force/,
    );
    expect(readFileSync(file, 'utf8')).toBe('my own notes\n');

    const store = await cli(['export', '--format', 'csv', '-o', storePath(), '--force']);
    expect(store.code).toBe(2);
    expect(store.stderr).toMatch(/is the store's own file/);

    const replaced = await cli(['export', '--format', 'csv', '-o', file, '--force', '--json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      ok: true,
      format: 'csv',
      charts: 7,
      entries: 350,
      empty: [],
    });
    expect(parseCsv(readFileSync(file, 'utf8')).rows).toHaveLength(350);
  });

  it('refuses unknown formats, reversed dates and filters without --format; names an empty key', async () => {
    await demoWeek();
    const format = await cli(['export', '--format', 'xlsx']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/argument 'xlsx' is invalid\. expected csv or ndjson\./);

    const reversed = await cli([
      'export',
      '--format',
      'csv',
      '--from',
      '2026-02-02',
      '--to',
      '2026-02-01',
    ]);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/^chartkeeper: --from 2026-02-02 is after --to 2026-02-01/);

    const bare = await cli(['export', '--chart', 'regional-global-daily']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--chart, --from and --to go with --format/);
    expect(bare.stdout).toBe('');

    const badKey = await cli(['export', '--format', 'csv', '--chart', 'not a chart']);
    expect(badKey.code).toBe(2);

    // A key with no chart: the header alone, the key named, exit 1.
    const none = await cli(['export', '--format', 'csv', '--chart', 'regional-global-daily']);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe(`\uFEFF${HEADER}\r\n`);
    expect(none.stderr).toMatch(
      /^chartkeeper: no chart of spotify-charts\/regional-global-daily is stored at all;/,
    );
    // A key with charts, none in the range: its latest date is named.
    await save(makeChart(OFFICIAL, '2026-03-01', ['x']));
    const outside = await cli([
      'export',
      '--format',
      'ndjson',
      '--chart',
      'regional-global-daily',
      '--to',
      '2026-02-28',
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stdout).toBe('');
    expect(outside.stderr).toMatch(
      /no chart of spotify-charts\/regional-global-daily dated 2026-02-28 or earlier is stored; its latest chart is dated 2026-03-01\./,
    );
    // Nothing in the range of the whole store is no mistake: the header alone, exit 0.
    const empty = await cli(['export', '--format', 'csv', '--from', '2099-01-01']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(`\uFEFF${HEADER}\r\n`);
  });
});
