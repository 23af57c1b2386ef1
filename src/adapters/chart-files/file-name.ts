import { basename } from 'node:path';
import { isChartDate } from '../../domain/chart-date.js';
import { parseFileChartId } from '../../domain/chart-file.js';
import { ChartkeeperError } from '../../domain/errors.js';

/** What a download's name says: which chart, and of which date (null when it does not say). */
export interface FileNameChart {
  chartId: string | null;
  chartDate: string | null;
}

/**
 * The names charts.spotify.com and spotifycharts.com give downloads:
 * `regional-global-daily-2024-11-29.csv`, `regional-global-weekly-2020-02-21--2020-02-28.csv`
 * (a week, from its first to its last day), `viral-us-daily-latest.csv`; a browser adds ` (1)` or
 * `(1)` to a repeated download.
 */
const DOWNLOAD_NAME =
  /^((?:regional|viral)-(?:global|[a-z]{2})-(?:daily|weekly))-(?:(\d{4}-\d{2}-\d{2})--)?(\d{4}-\d{2}-\d{2}|latest) ?(?:\(\d+\))?\.csv$/i;

/** Reads the chart id and date from a download's file name. A week is dated by its last day. */
export function chartOfFileName(path: string): FileNameChart {
  const match = DOWNLOAD_NAME.exec(basename(path));
  if (!match) return { chartId: null, chartDate: null };
  const chartId = match[1]!.toLowerCase();
  const first = match[2];
  const last = match[3]!.toLowerCase();
  const dated =
    last !== 'latest' && isChartDate(last) && (!first || (isChartDate(first) && first <= last));
  return { chartId, chartDate: dated ? last : null };
}

/**
 * The chart a charts.spotify.com or spotifycharts.com file holds: `chartId` and `chartDate` given
 * by the caller win over its name. Throws, before any row is read, when neither says both.
 */
export function chartOfFile(
  path: string,
  options: { chartId?: string | undefined; chartDate?: string | undefined },
): { chartId: string; chartDate: string } {
  if (options.chartId !== undefined && !parseFileChartId(options.chartId)) {
    throw new ChartkeeperError(
      'usage',
      `--chart ${options.chartId} is not a chart id: it is {regional|viral}-{global|country code}-{daily|weekly}.`,
      {
        permanent: true,
        hint: 'For example --chart regional-global-daily or --chart viral-us-weekly',
      },
    );
  }
  if (options.chartDate !== undefined && !isChartDate(options.chartDate)) {
    throw new ChartkeeperError('usage', `--date ${options.chartDate} is not a date YYYY-MM-DD.`, {
      permanent: true,
      hint: 'For example --date 2024-11-29',
    });
  }
  const named = chartOfFileName(path);
  if (named.chartId !== null && !parseFileChartId(named.chartId)) {
    throw new ChartkeeperError(
      'usage',
      `${basename(path)} is named for ${named.chartId}, which is not an official chart: its region is neither global nor a country code.`,
      {
        permanent: true,
        hint: 'Check the file name; charts are named like regional-us-daily-2024-11-29.csv',
      },
    );
  }
  // The name is what the site said; --chart and --date only fill in what it does not say.
  for (const [flag, given, fromName] of [
    ['--chart', options.chartId, named.chartId],
    ['--date', options.chartDate, named.chartDate],
  ] as const) {
    if (given !== undefined && fromName !== null && given !== fromName) {
      throw new ChartkeeperError(
        'usage',
        `${basename(path)} is named for ${fromName}, not ${flag} ${given}; nothing of it was imported.`,
        {
          permanent: true,
          hint: `${flag} is for files whose name does not say it (a …-latest.csv download); leave it out, or rename the file if its name is wrong`,
        },
      );
    }
  }
  const chartId = named.chartId ?? options.chartId ?? null;
  const chartDate = named.chartDate ?? options.chartDate ?? null;
  if (chartId !== null && chartDate !== null) {
    checkChartDate(path, chartDate);
    return { chartId, chartDate };
  }
  const [what, pass] =
    chartId === null && chartDate === null
      ? [
          'which chart it holds or its date',
          '--chart and --date (e.g. --chart regional-global-daily --date 2024-11-29)',
        ]
      : chartId === null
        ? ['which chart it holds', '--chart (e.g. --chart regional-global-daily)']
        : ['the date of its chart', '--date (e.g. --date 2024-11-29)'];
  throw new ChartkeeperError(
    'usage',
    `The name of ${basename(path)} does not say ${what}: pass ${pass}.`,
    {
      permanent: true,
      hint: 'Downloads named like regional-global-daily-2024-11-29.csv need neither',
    },
  );
}

/** The first day Spotify existed; no chart is older. */
const FIRST_DAY = '2008-10-07';

/** Refuses a chart date no download can have: before Spotify, or after tomorrow anywhere. */
export function checkChartDate(path: string, chartDate: string): void {
  const tomorrow = new Date(Date.now() + 36 * 3_600_000).toISOString().slice(0, 10);
  if (chartDate >= FIRST_DAY && chartDate <= tomorrow) return;
  throw new ChartkeeperError(
    'usage',
    `${basename(path)} is dated ${chartDate}, ${chartDate < FIRST_DAY ? 'before Spotify existed' : 'in the future'}; nothing of it was imported.`,
    { permanent: true, hint: 'Check the date in the file name (or --date).' },
  );
}
