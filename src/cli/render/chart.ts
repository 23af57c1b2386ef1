import type { ChartEntry, ChartSnapshot } from '../../domain/chart.js';
import { localTimeWithZone } from '../../lib/local-time.js';
import { changeText } from './history.js';
import { renderTable, terminalWidth } from './table.js';
import { prepareWidths, truncate } from './text-width.js';

/** ▲3, ▼2, = , NEW or RE: how an entry moved since the previous chart. */
export function movementLabel(entry: ChartEntry): string {
  switch (entry.movement) {
    case 'new':
      return 'NEW';
    case 're-entry':
      return 'RE';
    case 'same':
      return '=';
    case 'up':
      return `▲${(entry.previousPosition ?? entry.position) - entry.position}`;
    case 'down':
      return `▼${entry.position - (entry.previousPosition ?? entry.position)}`;
  }
}

/** The chart as a heading and a table of entries, times in `timeZone`, fitting `width`. */
export async function renderChart(
  chart: ChartSnapshot,
  timeZone: string,
  limit?: number,
  width: number = terminalWidth(),
  /** Per entry of the chart: its change in streams against the previous chart (see `chart`). */
  streamsChanges: readonly (number | null)[] = [],
): Promise<string> {
  const entries = limit ? chart.entries.slice(0, limit) : chart.entries;
  const changeOf = new Map(chart.entries.map((e, i) => [e, streamsChanges[i] ?? null]));
  const streams = chart.entries.some((e) => e.streams !== null);
  const heading = `${chart.title} · ${chart.chartId}`;
  // The capture's day is the chart's day, but for captures imported or flushed late.
  const captured = localTimeWithZone(chart.capturedAt, timeZone).replace(`${chart.chartDate} `, '');
  const when = `${chart.chartDate} · captured ${captured} · ${chart.entries.length} entries`;
  const table = await renderTable(
    entries,
    [
      { header: '#', value: (e) => String(e.position), align: 'right' },
      { header: 'MOVE', value: movementLabel },
      { header: 'TITLE', value: (e) => e.name, max: 40, shrinks: true },
      {
        header: 'ARTISTS',
        value: (e) => e.artists.map((a) => a.name).join(', '),
        max: 36,
        shrinks: true,
      },
      ...(streams
        ? [
            {
              header: 'STREAMS',
              value: (e: ChartEntry) =>
                e.streams === null ? '' : e.streams.toLocaleString('en-US'),
              align: 'right' as const,
            },
            {
              header: '±STREAMS',
              value: (e: ChartEntry) => changeText(changeOf.get(e) ?? null),
              align: 'right' as const,
            },
          ]
        : []),
      {
        header: chart.chartId.endsWith('-weekly') ? 'WEEKS' : 'DAYS',
        value: (e) => String(e.daysOnChart),
        align: 'right',
      },
      { header: 'PEAK', value: (e) => String(e.peak), align: 'right' },
    ],
    width,
  );
  const notes: string[] = [];
  if (limit && chart.entries.length > limit) notes.push(`… ${chart.entries.length - limit} more`);
  if (chart.skipped.length) {
    const items = chart.skipped.map((s) => `#${s.position} ${s.reason}`).join(', ');
    notes.push(`Not chart entries: ${items}`);
  }
  await prepareWidths([heading, when, ...notes]);
  const cut = (line: string) => truncate(line, width);
  return [cut(heading), cut(when), '', table, ...notes.map(cut)].join('\n');
}
