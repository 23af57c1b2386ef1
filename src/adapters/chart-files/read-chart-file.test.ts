import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_FILE_FORMATS } from '../../domain/chart-file.js';
import { ChartkeeperError } from '../../domain/errors.js';
import { readChartFile } from './read-chart-file.js';
import { fileEntry, fixture, readAll, scratch } from './test-files.js';

const facts = (peakRank: number | null, previousRank: number | null, onChart: number | null) => ({
  peakRank,
  previousRank,
  onChart,
});

describe('readChartFile: charts.spotify.com', () => {
  it('reads a daily download with a byte-order mark and CRLF lines, dated by its name', async () => {
    const read = await readAll(fixture('regional-global-daily-2024-11-29.csv'));
    expect(read.format).toBe(CHART_FILE_FORMATS.chartsSpotify);
    expect(read.rejected).toEqual([]);
    const chart = { chartId: 'regional-global-daily', chartDate: '2024-11-29' };
    expect(read.rows).toEqual([
      {
        line: 2,
        ...chart,
        entry: fileEntry(
          1,
          '2plbrEY59IikOBgBGLjaoe',
          'Die With A Smile',
          ['Lady Gaga', 'Bruno Mars'],
          6553151,
          facts(1, 1, 102),
        ),
      },
      {
        line: 3,
        ...chart,
        entry: fileEntry(
          2,
          '5vNRhkKd0yEAg8suGBpjeY',
          'APT.',
          ['ROSÉ', 'Bruno Mars'],
          6049386,
          facts(1, 2, 37),
        ),
      },
      {
        line: 4,
        ...chart,
        entry: fileEntry(
          3,
          '6dOtVTDdiauQNBQEDOtlAB',
          'BIRDS OF A FEATHER',
          ['Billie Eilish'],
          5532458,
          facts(1, 3, 188),
        ),
      },
      {
        line: 5,
        ...chart,
        // previous_rank -1: a new entry.
        entry: fileEntry(
          4,
          '4w2GLmK2wnioVnb5CPQeex',
          'luther (with sza)',
          ['Kendrick Lamar', 'SZA'],
          4120093,
          facts(4, null, 1),
        ),
      },
      {
        line: 6,
        ...chart,
        entry: fileEntry(
          5,
          '7so0lgd0zP2Sbgs2d7a1SZ',
          'Please Please Please, Live',
          ['Sabrina Carpenter'],
          3865020,
          facts(3, 7, 160),
        ),
      },
    ]);
  });

  it('reads a weekly download: weeks_on_chart, dated by the name; previous_rank 0 is new', async () => {
    const read = await readAll(fixture('regional-us-weekly-2024-11-28.csv'));
    expect(read.rejected).toEqual([]);
    expect(
      read.rows.map((row) => [
        row.line,
        row.chartId,
        row.chartDate,
        row.entry.position,
        row.entry.facts,
      ]),
    ).toEqual([
      [2, 'regional-us-weekly', '2024-11-28', 1, facts(1, 1, 6)],
      [3, 'regional-us-weekly', '2024-11-28', 2, facts(1, 2, 15)],
      [4, 'regional-us-weekly', '2024-11-28', 3, facts(3, null, 1)],
    ]);
    // Artist names are split on ", ": the file cannot tell one such name from two artists.
    expect(read.rows[2]!.entry.artists).toEqual([
      { id: null, name: 'Tyler' },
      { id: null, name: 'The Creator' },
    ]);
    expect(read.rows[2]!.entry.streams).toBe(20411386);
  });

  it('reads a viral download without source and streams columns', async () => {
    const read = await readAll(fixture('viral-us-daily-2024-11-29.csv'));
    expect(read.rejected).toEqual([]);
    expect(read.rows).toEqual([
      {
        line: 2,
        chartId: 'viral-us-daily',
        chartDate: '2024-11-29',
        entry: fileEntry(
          1,
          '1Es7AUAhQvapIcoh3qMKDL',
          'Anxiety',
          ['Doechii'],
          null,
          facts(1, 2, 41),
        ),
      },
      {
        line: 3,
        chartId: 'viral-us-daily',
        chartDate: '2024-11-29',
        entry: fileEntry(
          2,
          '3sK8wGT43QFpWrvNQsrQya',
          'Sailor Song',
          ['Gigi Perez'],
          null,
          facts(1, 1, 60),
        ),
      },
      {
        line: 4,
        chartId: 'viral-us-daily',
        chartDate: '2024-11-29',
        // An empty previous_rank: a new entry.
        entry: fileEntry(
          3,
          '0FTmksd2dxiE5e3rWyJXs6',
          'No One Noticed',
          ['The Marías'],
          null,
          facts(3, null, 2),
        ),
      },
    ]);
  });

  it('rejects broken rows with their physical line, counting lines inside quoted fields', async () => {
    const read = await readAll(fixture('regional-global-daily-2024-11-30.csv'));
    expect(read.rows.map((row) => [row.line, row.entry.position, row.entry.name])).toEqual([
      [2, 1, 'Die With A Smile'],
      [6, 5, 'Espresso\r\n(Live at the BBC)'],
      [13, 10, 'No One Noticed'],
    ]);
    expect(read.rejected).toEqual([
      { line: 3, reason: 'rank: expected a whole number of at least 1, found "two"' },
      { line: 4, reason: 'expected 9 fields as in the header, found 8' },
      {
        line: 5,
        reason:
          'uri: not a Spotify track (spotify:track:… or https://open.spotify.com/track/…): "Kendrick Lamar, SZA"',
      },
      { line: 9, reason: 'rank: expected a whole number of at least 1, found "0"' },
      { line: 10, reason: 'streams: negative ("-12")' },
      { line: 11, reason: 'track_name is empty' },
      {
        line: 12,
        reason:
          'uri: not a Spotify track (spotify:track:… or https://open.spotify.com/track/…): "spotify:track:3sK8wGT43QFpWrv"',
      },
      {
        line: 14,
        reason: 'a quoted field is never closed: the rest of the file was read as this row',
      },
    ]);
  });
});

describe('readChartFile: spotifycharts.com', () => {
  it('reads a daily download after its note line', async () => {
    const read = await readAll(fixture('regional-global-daily-2019-05-01.csv'));
    expect(read.format).toBe(CHART_FILE_FORMATS.legacy);
    expect(read.rejected).toEqual([]);
    const chart = { chartId: 'regional-global-daily', chartDate: '2019-05-01' };
    expect(read.rows).toEqual([
      {
        line: 3,
        ...chart,
        entry: fileEntry(
          1,
          '2YpeDb67231RjR0MgVLzsG',
          'Old Town Road - Remix',
          ['Lil Nas X'],
          3942451,
        ),
      },
      {
        line: 4,
        ...chart,
        entry: fileEntry(2, '22vgEDb5hykfaTwLuskFGD', 'Sucker', ['Jonas Brothers'], 2783934),
      },
      {
        line: 5,
        ...chart,
        entry: fileEntry(3, '6v3KW9xbzN5yKLt9YKDYA2', 'Señorita, Live', ['Shawn Mendes'], 2511207),
      },
    ]);
  });

  it('reads a viral download: no note line, no streams', async () => {
    const read = await readAll(fixture('viral-global-daily-2019-05-01.csv'));
    expect(read.format).toBe(CHART_FILE_FORMATS.legacy);
    const chart = { chartId: 'viral-global-daily', chartDate: '2019-05-01' };
    expect(read.rows).toEqual([
      {
        line: 2,
        ...chart,
        entry: fileEntry(1, '0bYg9bo50gSsH3LtXe2SQn', 'Pano', ['Zack Tabudlo'], null),
      },
      {
        line: 3,
        ...chart,
        entry: fileEntry(2, '4TnjEaWOeW0eKTKIEvJyCa', 'Falling', ['Trevor Daniel'], null),
      },
    ]);
    expect(read.rejected).toEqual([]);
  });
});

describe('readChartFile: the 2017–2021 dataset', () => {
  let files: ReturnType<typeof scratch>;
  beforeEach(() => {
    files = scratch();
  });
  afterEach(() => files.remove());

  it('reads rows of many charts, regions and dates, whatever the options say', async () => {
    const read = await readAll(fixture('charts.csv'), {
      chartId: 'viral-gb-weekly',
      chartDate: '2020-01-01',
    });
    expect(read.format).toBe(CHART_FILE_FORMATS.dataset);
    expect(read.rejected).toEqual([]);
    expect(read.rows).toEqual([
      {
        line: 2,
        chartId: 'regional-ar-daily',
        chartDate: '2017-01-01',
        entry: fileEntry(
          1,
          '6mICuAdrwEjh6Y6lroV2Kg',
          'Chantaje (feat. Maluma)',
          ['Shakira'],
          253019,
        ),
      },
      {
        line: 3,
        chartId: 'regional-ar-daily',
        chartDate: '2017-01-01',
        entry: fileEntry(
          2,
          '7DM4BPaS7uofFul3ywMe46',
          "Vente Pa' Ca (feat. Maluma)",
          ['Ricky Martin'],
          223988,
        ),
      },
      {
        line: 4,
        chartId: 'regional-global-daily',
        chartDate: '2017-01-07',
        entry: fileEntry(1, '7qiZfU4dY1lWllzX7mPBI3', 'Shape of You', ['Ed Sheeran'], 5209582),
      },
      {
        line: 5,
        chartId: 'regional-global-daily',
        chartDate: '2017-01-07',
        entry: fileEntry(
          2,
          '5knuzwU65gJK7IF5yJsuaW',
          'Rockabye (feat. Sean Paul & Anne-Marie)',
          ['Clean Bandit', 'Sean Paul', 'Anne-Marie'],
          4316153,
        ),
      },
      {
        line: 6,
        chartId: 'viral-us-daily',
        chartDate: '2017-01-02',
        entry: fileEntry(1, '5aAx2yezTd8zXrkmtKl66Z', 'Starboy', ['The Weeknd', 'Daft Punk'], null),
      },
      {
        line: 7,
        chartId: 'viral-cz-daily',
        chartDate: '2017-01-02',
        entry: fileEntry(
          2,
          '4Km5HrUvYTaSUfiSGPJeQR',
          'Bad and Boujee (feat. Lil Uzi Vert)',
          ['Migos', 'Lil Uzi Vert'],
          null,
        ),
      },
    ]);
  });

  it('rejects rows of unknown regions and charts, bad dates, ranks, links and streams', async () => {
    const url = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';
    const path = files.write(
      'broken.csv',
      [
        'title,rank,date,artist,url,region,chart,trend,streams',
        `Fine,1,2017-01-01,Shakira,${url},Argentina,top200,SAME_POSITION,10.0`,
        `Atlantis,2,2017-01-01,Shakira,${url},Atlantis,top200,SAME_POSITION,10.0`,
        `Chart,3,2017-01-01,Shakira,${url},Argentina,top50,SAME_POSITION,10.0`,
        `Day,4,2017-02-30,Shakira,${url},Argentina,top200,SAME_POSITION,10.0`,
        `Rank,x,2017-01-01,Shakira,${url},Argentina,top200,SAME_POSITION,10.0`,
        'Link,6,2017-01-01,Shakira,https://example.com/track/6mICuAdrwEjh6Y6lroV2Kg,Argentina,top200,SAME_POSITION,10.0',
        `Streams,7,2017-01-01,Shakira,${url},Argentina,top200,SAME_POSITION,10.5`,
        `,8,2017-01-01,Shakira,${url},Argentina,top200,SAME_POSITION,10.0`,
        `Short,9,2017-01-01,Shakira,${url},Argentina,top200`,
        `Viral,10,2017-01-01,Shakira,${url},Andorra,viral50,NEW_ENTRY,`,
      ].join('\n'),
    );
    const read = await readAll(path);
    expect(
      read.rows.map((row) => [row.line, row.chartId, row.entry.name, row.entry.streams]),
    ).toEqual([
      [2, 'regional-ar-daily', 'Fine', 10],
      [11, 'viral-ad-daily', 'Viral', null],
    ]);
    expect(read.rejected).toEqual([
      { line: 3, reason: 'region: unknown region "Atlantis"' },
      { line: 4, reason: 'chart: expected top200 or viral50, found "top50"' },
      { line: 5, reason: 'date: not a date YYYY-MM-DD: "2017-02-30"' },
      { line: 6, reason: 'rank: expected a whole number of at least 1, found "x"' },
      {
        line: 7,
        reason:
          'url: not a Spotify track (spotify:track:… or https://open.spotify.com/track/…): "https://example.com/track/6mICuAdrwEjh6Y6lroV2Kg"',
      },
      { line: 8, reason: 'streams: expected a whole number, found "10.5"' },
      { line: 9, reason: 'title is empty' },
      { line: 10, reason: 'expected 9 fields as in the header, found 7' },
    ]);
  });

  it('yields batches of the asked size, in file order, across read pieces', async () => {
    const url = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';
    const lines = ['title,rank,date,artist,url,region,chart,trend,streams'];
    for (let i = 1; i <= 25_000; i++) {
      // Every 1,000th title spans two lines; every 997th row is broken.
      // Characters of two, three and four bytes: some fall across the pieces the file is read in.
      const title = i % 1000 === 0 ? `"Canción ${i}\nPart two"` : `Canción ${i} ☃ 🎵`;
      const region = i % 997 === 0 ? 'Nowhere' : 'Global';
      lines.push(
        `${title},${(i % 200) + 1},2018-03-04,"A, B",${url},${region},top200,MOVE_UP,${i}.0`,
      );
    }
    const path = files.write('big.csv', `${lines.join('\r\n')}\r\n`);
    const read = await readAll(path, { batchRows: 2_000 });
    expect(read.sizes).toEqual([...Array(12).fill(2_000), 1_000]);
    expect(read.rows.length + read.rejected.length).toBe(25_000);
    // Row i starts on line i + 1 plus one for each two-line title before it.
    const lineOf = (i: number) => i + 1 + Math.floor((i - 1) / 1000);
    expect(read.rejected).toEqual(
      Array.from({ length: 25 }, (_, k) => ({
        line: lineOf((k + 1) * 997),
        reason: 'region: unknown region "Nowhere"',
      })),
    );
    for (const row of read.rows) expect(row.line).toBe(lineOf(row.entry.streams!));
    for (const row of read.rows) {
      const i = row.entry.streams!;
      expect(row.entry.name).toBe(i % 1000 === 0 ? `Canción ${i}\nPart two` : `Canción ${i} ☃ 🎵`);
    }
  });

  it('gives up on a quote that never closes in a big file, naming its line', async () => {
    const url = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';
    const row = `Song,1,2018-03-04,A,${url},Global,top200,MOVE_UP,1.0\n`;
    const header = 'title,rank,date,artist,url,region,chart,trend,streams\n';
    const broken = `"Open,2,2018-03-04,A,${url},Global,top200,MOVE_UP,1.0\n`;
    const path = files.write('open.csv', header + row.repeat(10) + broken + row.repeat(20_000));
    const { batches } = await readChartFile(path);
    const read = async () => {
      for await (const _ of batches);
    };
    await expect(read()).rejects.toThrow(
      'open.csv has a row of more than 1048576 characters from line 12: a quote (") that is never closed?',
    );
  });

  it('stops reading when the consumer stops', async () => {
    const url = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';
    const row = `Song,1,2018-03-04,A,${url},Global,top200,MOVE_UP,1.0\n`;
    const header = 'title,rank,date,artist,url,region,chart,trend,streams\n';
    const path = files.write('long.csv', header + row.repeat(50_000));
    const { batches } = await readChartFile(path, { batchRows: 100 });
    let seen = 0;
    for await (const batch of batches) {
      seen += batch.rows.length;
      if (seen >= 300) break;
    }
    expect(seen).toBe(300);
    // Reading again starts from the top.
    const again = await readAll(path, { batchRows: 100_000 });
    expect(again.sizes).toEqual([50_000]);
  });
});

describe('readChartFile: which chart a download holds', () => {
  let files: ReturnType<typeof scratch>;
  beforeEach(() => {
    files = scratch();
  });
  afterEach(() => files.remove());

  const download = [
    'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams',
    '1,spotify:track:2plbrEY59IikOBgBGLjaoe,Lady Gaga,Die With A Smile,Interscope,1,1,102,6553151',
  ].join('\n');

  it('takes the chart and date from the name, a week by its last day, a repeated download too', async () => {
    const weekly = files.write('regional-global-weekly-2020-02-21--2020-02-28 (1).csv', download);
    const read = await readAll(weekly);
    expect(read.rows.map((row) => [row.chartId, row.chartDate])).toEqual([
      ['regional-global-weekly', '2020-02-28'],
    ]);
  });

  it('lets the options supply what the name lacks, and refuses options that contradict it', async () => {
    const latest = files.write('regional-global-daily-latest.csv', download);
    const dated = await readAll(latest, { chartDate: '2024-11-29' });
    expect(dated.rows.map((row) => [row.chartId, row.chartDate])).toEqual([
      ['regional-global-daily', '2024-11-29'],
    ]);
    const named = files.write('viral-us-daily-2024-11-29(2).csv', download);
    const same = await readAll(named, { chartId: 'viral-us-daily', chartDate: '2024-11-29' });
    expect(same.rows.map((row) => [row.chartId, row.chartDate])).toEqual([
      ['viral-us-daily', '2024-11-29'],
    ]);
    await expect(readChartFile(named, { chartId: 'regional-de-weekly' })).rejects.toThrow(
      'viral-us-daily-2024-11-29(2).csv is named for viral-us-daily, not --chart regional-de-weekly; nothing of it was imported.',
    );
    await expect(readChartFile(named, { chartDate: '2024-11-28' })).rejects.toThrow(
      'is named for 2024-11-29, not --date 2024-11-28',
    );
  });

  it('refuses a chart dated before Spotify or in the future', async () => {
    const old = files.write('regional-global-daily-1999-01-01.csv', download);
    await expect(readChartFile(old)).rejects.toThrow('dated 1999-01-01, before Spotify existed');
    const future = files.write('regional-global-daily-2099-01-01.csv', download);
    await expect(readChartFile(future)).rejects.toThrow('dated 2099-01-01, in the future');
  });

  it('refuses, before reading a row, a file whose chart or date nothing gives', async () => {
    const latest = files.write('regional-global-daily-latest.csv', download);
    await expect(readChartFile(latest)).rejects.toThrow(
      'The name of regional-global-daily-latest.csv does not say the date of its chart: pass --date (e.g. --date 2024-11-29).',
    );
    const renamed = files.write('top songs.csv', download);
    const error = await readChartFile(renamed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect((error as ChartkeeperError).code).toBe('usage');
    expect((error as ChartkeeperError).message).toBe(
      'The name of top songs.csv does not say which chart it holds or its date: pass --chart and --date (e.g. --chart regional-global-daily --date 2024-11-29).',
    );
    await expect(readChartFile(renamed, { chartDate: '2024-11-29' })).rejects.toThrow(
      'The name of top songs.csv does not say which chart it holds: pass --chart (e.g. --chart regional-global-daily).',
    );
    await expect(
      readChartFile(renamed, { chartId: 'regional-global', chartDate: '2024-11-29' }),
    ).rejects.toThrow('--chart regional-global is not a chart id');
    await expect(
      readChartFile(renamed, { chartId: 'regional-global-daily', chartDate: '2024-02-30' }),
    ).rejects.toThrow('--date 2024-02-30 is not a date YYYY-MM-DD.');
  });

  it('refuses a chartkeeper export: it has its own importer', async () => {
    const path = files.write('all.ndjson', '{"type":"chartkeeper-export","version":1}\n');
    await expect(readChartFile(path)).rejects.toThrow(
      'all.ndjson is a chartkeeper export, not a chart download',
    );
  });
});
