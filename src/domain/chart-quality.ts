import type { ChartSnapshot, NormalisedChart } from './chart.js';

/** Whether a capture's chart may be stored as the chart of its day, and what to say about it. */
export type ChartVerdict =
  | { kind: 'store'; warning: string | null }
  /** `unreadable`: items could not be read; `empty`: the capture holds no track at all. */
  | { kind: 'refuse'; cause: 'unreadable' | 'empty'; message: string };

/**
 * Judges a capture's chart before it replaces anything. A chart with no entries is never stored
 * (a run that stored nothing useful did not succeed). A chart that lost entries because items
 * could not be read (Spotify changed a field's type, say) must not replace a better chart of the
 * same day: it is refused when it has fewer than half the stored chart's entries, and stored with
 * a warning for a smaller drop. A chart that simply has fewer entries, every item read, is the
 * playlist as it now is, and replaces the stored one.
 */
export function judgeChart(chart: NormalisedChart, sameDay: ChartSnapshot | null): ChartVerdict {
  const unreadable = chart.skipped.filter((item) => item.reason === 'malformed').length;
  const why = chart.problems.length ? `: ${chart.problems.join('; ')}` : '';
  if (chart.entries.length === 0) {
    if (unreadable > 0) {
      return {
        kind: 'refuse',
        cause: 'unreadable',
        message: `none of the ${unreadable} items of the capture could be read${why}`,
      };
    }
    const items = chart.skipped.length;
    return {
      kind: 'refuse',
      cause: 'empty',
      message:
        items === 0
          ? 'the capture holds no items: there is no chart to store'
          : `the capture holds no tracks, only ${items} other item${items === 1 ? '' : 's'} (${describeSkipped(chart)})`,
    };
  }
  if (unreadable === 0) return { kind: 'store', warning: null };
  const read = `${chart.entries.length} of ${chart.entries.length + unreadable} items could be read${why}`;
  if (sameDay && chart.entries.length < sameDay.entries.length) {
    if (chart.entries.length * 2 < sameDay.entries.length) {
      return {
        kind: 'refuse',
        cause: 'unreadable',
        message: `only ${read}; the stored chart of ${sameDay.chartDate} with ${sameDay.entries.length} entries is kept`,
      };
    }
    return {
      kind: 'store',
      warning: `only ${read}; it replaces the stored chart of ${sameDay.chartDate}, which had ${sameDay.entries.length} entries`,
    };
  }
  return { kind: 'store', warning: `only ${read}` };
}

function describeSkipped(chart: NormalisedChart): string {
  const counts = new Map<string, number>();
  for (const item of chart.skipped) counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}
