import { describe, expect, it } from 'vitest';
import { chartOfFile, chartOfFileName } from './file-name.js';

describe('chartOfFileName', () => {
  it.each([
    ['regional-global-daily-2024-11-29.csv', 'regional-global-daily', '2024-11-29'],
    ['viral-us-daily-2024-11-29.csv', 'viral-us-daily', '2024-11-29'],
    ['regional-us-weekly-2024-11-28.csv', 'regional-us-weekly', '2024-11-28'],
    // A week is dated by its last day.
    ['regional-global-weekly-2020-02-21--2020-02-28.csv', 'regional-global-weekly', '2020-02-28'],
    // Repeated downloads, as browsers name them.
    ['regional-global-daily-2024-11-29 (1).csv', 'regional-global-daily', '2024-11-29'],
    ['regional-global-daily-2024-11-29(1).csv', 'regional-global-daily', '2024-11-29'],
    [
      'regional-global-weekly-2020-02-21--2020-02-28 (12).csv',
      'regional-global-weekly',
      '2020-02-28',
    ],
    ['/downloads/Viral-GB-Daily-2024-11-29.CSV', 'viral-gb-daily', '2024-11-29'],
    // Latest: the chart is known, the date is not.
    ['regional-global-daily-latest.csv', 'regional-global-daily', null],
    ['viral-us-weekly-latest (1).csv', 'viral-us-weekly', null],
    // Impossible dates and backwards weeks give no date.
    ['regional-global-daily-2024-02-30.csv', 'regional-global-daily', null],
    ['regional-global-weekly-2020-02-28--2020-02-21.csv', 'regional-global-weekly', null],
  ])('%s', (name, chartId, chartDate) => {
    expect(chartOfFileName(name)).toEqual({ chartId, chartDate });
  });

  it.each([
    'charts.csv',
    'regional-global-daily-2024-11-29.txt',
    'regional-usa-daily-2024-11-29.csv',
    'top-global-daily-2024-11-29.csv',
    'regional-global-monthly-2024-11-29.csv',
    'regional-global-daily-2024-11-29 copy.csv',
  ])('%s says nothing', (name) => {
    expect(chartOfFileName(name)).toEqual({ chartId: null, chartDate: null });
  });
});

describe('chartOfFile', () => {
  it('takes the name, with the options filling in only what it does not say', () => {
    expect(chartOfFile('regional-global-daily-2024-11-29.csv', {})).toEqual({
      chartId: 'regional-global-daily',
      chartDate: '2024-11-29',
    });
    expect(() =>
      chartOfFile('regional-global-daily-2024-11-29.csv', { chartDate: '2024-11-30' }),
    ).toThrow('is named for 2024-11-29, not --date 2024-11-30');
    expect(chartOfFile('x.csv', { chartId: 'viral-se-weekly', chartDate: '2021-01-07' })).toEqual({
      chartId: 'viral-se-weekly',
      chartDate: '2021-01-07',
    });
  });

  it('names the file and the options to pass when something is missing', () => {
    expect(() => chartOfFile('/tmp/x.csv', {})).toThrow(
      'The name of x.csv does not say which chart it holds or its date: pass --chart and --date (e.g. --chart regional-global-daily --date 2024-11-29).',
    );
    expect(() => chartOfFile('viral-us-daily-latest.csv', {})).toThrow(
      'The name of viral-us-daily-latest.csv does not say the date of its chart: pass --date (e.g. --date 2024-11-29).',
    );
    expect(() => chartOfFile('x.csv', { chartDate: '2024-11-29' })).toThrow(
      'The name of x.csv does not say which chart it holds: pass --chart (e.g. --chart regional-global-daily).',
    );
  });
});
