import type { TopResult, TrackHistoryResult } from '../../app/history.js';
import type { ChartKey } from '../../domain/chart.js';
import type {
  ArtistKeyHistory,
  ChartKeySummary,
  Mover,
  Movers,
  TrackInfo,
} from '../../domain/history.js';
import { keyLabel } from '../../domain/sources.js';
import { renderTable, terminalWidth } from './table.js';

/** 1,234,567, or blank for unknown. */
export function streamsText(streams: number | null): string {
  return streams === null ? '' : streams.toLocaleString('en-US');
}

/** +12,345 / −2,000 / 0, or blank for unknown. */
export function changeText(change: number | null): string {
  if (change === null) return '';
  if (change > 0) return `+${change.toLocaleString('en-US')}`;
  if (change < 0) return `\u2212${(-change).toLocaleString('en-US')}`;
  return '0';
}

function artistsText(track: Pick<TrackInfo, 'artists'>): string {
  return track.artists.map((a) => a.name).join(', ');
}

/** `charts`: one line per stored chart key. */
export async function renderChartKeys(
  keys: readonly ChartKeySummary[],
  width: number = terminalWidth(),
): Promise<string> {
  if (keys.length === 0) {
    return 'No charts are stored yet. Capture one with: chartkeeper run (or import chart files).';
  }
  return renderTable(
    keys,
    [
      { header: 'SOURCE', value: (k) => k.source },
      { header: 'CHART', value: (k) => k.chartId },
      { header: 'TITLE', value: (k) => k.title, max: 40, shrinks: true },
      { header: 'FIRST', value: (k) => k.firstDate },
      { header: 'LAST', value: (k) => k.lastDate },
      { header: 'CHARTS', value: (k) => String(k.chartCount), align: 'right' },
    ],
    width,
  );
}

/** A numbered list of tracks a title search matched. */
export async function renderMatches(
  matches: readonly TrackInfo[],
  width: number = terminalWidth(),
): Promise<string> {
  const numbered = matches.map((track, i) => ({ n: i + 1, track }));
  return renderTable(
    numbered,
    [
      { header: '#', value: (m) => String(m.n), align: 'right' },
      { header: 'TITLE', value: (m) => m.track.name, max: 40, shrinks: true },
      { header: 'ARTISTS', value: (m) => artistsText(m.track), max: 36, shrinks: true },
      { header: 'ID', value: (m) => m.track.id },
    ],
    width,
  );
}

function unitWord(unit: 'days' | 'weeks', n: number): string {
  const word = unit === 'weeks' ? 'week' : 'day';
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `history TRACK`: a heading, then per key its statistics and (unless `summary`) every chart. */
export async function renderTrackHistory(
  result: Extract<TrackHistoryResult, { kind: 'found' }>,
  options: { summary?: boolean; key?: ChartKey },
  width: number = terminalWidth(),
): Promise<string> {
  const [first] = result.tracks;
  const lines: string[] = [];
  if (first) lines.push(`${first.name} · ${artistsText(first)} · ${first.id}`);
  if (result.groupVersions && result.tracks.length > 1) {
    lines.push(
      `${result.tracks.length} versions (same ISRC ${first?.isrc ?? ''}): ${result.tracks.map((t) => t.id).join(', ')}`,
    );
  }
  if (result.charts.length === 0) {
    lines.push(
      options.key
        ? `Not on any stored chart of ${keyLabel(options.key)}.`
        : 'Not on any stored chart.',
    );
    return lines.join('\n');
  }
  for (const chart of result.charts) {
    const { stats, unit } = chart;
    lines.push('', keyLabel(chart));
    const facts = [
      `first ${stats.firstDate}`,
      `last ${stats.lastDate}`,
      `peak #${stats.peak} on ${stats.peakDate}${stats.timesAtPeak > 1 ? ` (${stats.timesAtPeak} times)` : ''}`,
      `${unitWord(unit, stats.chartsOn)} on chart`,
      `${unitWord(unit, stats.chartsAtNumberOne)} at #1`,
      `longest streak ${unitWord(unit, stats.longestStreak)}`,
      ...(stats.totalStreams === null ? [] : [`${streamsText(stats.totalStreams)} streams`]),
    ];
    lines.push(`  ${facts.join(' · ')}`);
    if (options.summary) continue;
    const withStreams = chart.series.some((p) => p.streams !== null);
    const grouped = result.groupVersions && result.tracks.length > 1;
    lines.push(
      await renderTable(
        chart.series,
        [
          { header: 'DATE', value: (p) => p.chartDate },
          { header: '#', value: (p) => String(p.position), align: 'right' },
          ...(withStreams
            ? [
                {
                  header: 'STREAMS',
                  value: (p: { streams: number | null }) => streamsText(p.streams),
                  align: 'right' as const,
                },
              ]
            : []),
          ...(grouped ? [{ header: 'TRACK', value: (p: { trackId: string }) => p.trackId }] : []),
        ],
        width,
      ),
    );
  }
  return lines.join('\n');
}

/** `history --artist`: per key, totals and each day's entries. */
export async function renderArtistHistory(
  artist: { name: string; id: string | null },
  tracks: number,
  charts: readonly ArtistKeyHistory[],
  options: { summary?: boolean },
  width: number = terminalWidth(),
): Promise<string> {
  const lines = [
    `${artist.name}${artist.id ? ` · ${artist.id}` : ''} · ${tracks} track${tracks === 1 ? '' : 's'} stored`,
  ];
  if (charts.length === 0) lines.push('Not on any stored chart of this key.');
  for (const chart of charts) {
    const unit = chart.chartId.endsWith('-weekly') ? 'weeks' : 'days';
    const t = chart.totals;
    lines.push(
      '',
      keyLabel(chart),
      `  ${t.tracks} track${t.tracks === 1 ? '' : 's'} · ${unitWord(unit, t.days)} with an entry · best #${t.bestPosition}${t.streams === null ? '' : ` · ${streamsText(t.streams)} streams`}`,
    );
    if (options.summary) continue;
    const withStreams = chart.days.some((d) => d.streams !== null);
    lines.push(
      await renderTable(
        chart.days,
        [
          { header: 'DATE', value: (d) => d.chartDate },
          { header: 'BEST', value: (d) => String(d.bestPosition), align: 'right' },
          ...(withStreams
            ? [
                {
                  header: 'STREAMS',
                  value: (d: { streams: number | null }) => streamsText(d.streams),
                  align: 'right' as const,
                },
              ]
            : []),
          {
            header: 'ENTRIES',
            value: (d) => d.entries.map((e) => `#${e.position} ${e.name}`).join(', '),
            shrinks: true,
            max: 100,
          },
        ],
        width,
      ),
    );
  }
  return lines.join('\n');
}

/** `movers`: one table per kind of move. */
export async function renderMovers(
  heading: string,
  movers: Movers,
  width: number = terminalWidth(),
): Promise<string> {
  const sections: [string, Mover[]][] = [
    ['Climbers', movers.climbers],
    ['Fallers', movers.fallers],
    ['New entries', movers.newEntries],
    ['Re-entries', movers.reEntries],
    ['Drop-outs', movers.dropOuts],
  ];
  const lines = [heading];
  for (const [title, list] of sections) {
    lines.push('', `${title}${list.length === 0 ? ': none' : ''}`);
    if (list.length === 0) continue;
    lines.push(
      await renderTable(
        list,
        [
          {
            header: '#',
            value: (m) => (m.position === null ? '' : String(m.position)),
            align: 'right',
          },
          {
            header: 'PREV',
            value: (m) => (m.previousPosition === null ? '' : String(m.previousPosition)),
            align: 'right',
          },
          {
            header: 'MOVE',
            value: (m) =>
              m.change === null ? '' : m.change > 0 ? `▲${m.change}` : `▼${-m.change}`,
          },
          { header: 'TITLE', value: (m) => m.name, max: 40, shrinks: true },
          { header: 'ARTISTS', value: artistsText, max: 36, shrinks: true },
        ],
        width,
      ),
    );
  }
  return lines.join('\n');
}

/** `top`: the ranking as a table. */
export async function renderTop(
  result: TopResult,
  width: number = terminalWidth(),
): Promise<string> {
  const heading = `Top ${result.of} of ${keyLabel(result)} from ${result.from} to ${result.to} by ${result.by} · ${result.charts} chart${result.charts === 1 ? '' : 's'}`;
  if (result.entries.length === 0)
    return `${heading}\nNo chart of this key is stored in the period.`;
  const withStreams = result.entries.some((e) => e.streams !== null);
  const table = await renderTable(
    result.entries,
    [
      { header: 'RANK', value: (e) => String(e.rank), align: 'right' },
      {
        header: result.of === 'artists' ? 'ARTIST' : 'TITLE',
        value: (e) => e.name,
        max: 40,
        shrinks: true,
      },
      ...(result.of === 'artists'
        ? []
        : [
            {
              header: 'ARTISTS',
              value: (e: { artists: TrackInfo['artists'] }) => artistsText(e),
              max: 36,
              shrinks: true,
            },
          ]),
      { header: result.unit.toUpperCase(), value: (e) => String(e.days), align: 'right' },
      ...(withStreams
        ? [
            {
              header: 'STREAMS',
              value: (e: { streams: number | null }) => streamsText(e.streams),
              align: 'right' as const,
            },
          ]
        : []),
      { header: 'POINTS', value: (e) => e.points.toLocaleString('en-US'), align: 'right' },
      { header: 'BEST', value: (e) => String(e.bestPosition), align: 'right' },
    ],
    width,
  );
  return `${heading}\n\n${table}`;
}
