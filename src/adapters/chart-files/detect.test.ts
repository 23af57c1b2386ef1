import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_FILE_FORMATS } from '../../domain/chart-file.js';
import { ChartkeeperError } from '../../domain/errors.js';
import { detectChartFileFormat } from './detect.js';
import { readChartFile } from './read-chart-file.js';
import { fixture, scratch } from './test-files.js';

describe('detectChartFileFormat', () => {
  let files: ReturnType<typeof scratch>;
  beforeEach(() => {
    files = scratch();
  });
  afterEach(() => files.remove());

  it('tells every fixture apart by its content', async () => {
    const formats = await Promise.all(
      [
        'regional-global-daily-2024-11-29.csv',
        'regional-us-weekly-2024-11-28.csv',
        'viral-us-daily-2024-11-29.csv',
        'regional-global-daily-2019-05-01.csv',
        'viral-global-daily-2019-05-01.csv',
        'charts.csv',
      ].map((name) => detectChartFileFormat(fixture(name))),
    );
    expect(formats).toEqual([
      CHART_FILE_FORMATS.chartsSpotify,
      CHART_FILE_FORMATS.chartsSpotify,
      CHART_FILE_FORMATS.chartsSpotify,
      CHART_FILE_FORMATS.legacy,
      CHART_FILE_FORMATS.legacy,
      CHART_FILE_FORMATS.dataset,
    ]);
  });

  it('ignores the name: a dataset named like a download is still the dataset', async () => {
    const path = files.write(
      'regional-global-daily-2024-11-29.csv',
      'title,rank,date,artist,url,region,chart,trend,streams\n',
    );
    expect(await detectChartFileFormat(path)).toBe(CHART_FILE_FORMATS.dataset);
  });

  it('finds columns by name, in any order and case, after blank lines', async () => {
    const path = files.write(
      'x.csv',
      '\r\n\r\nTRACK_NAME,Artist_Names,URI,Rank,days_on_chart\r\nA,B,spotify:track:2plbrEY59IikOBgBGLjaoe,1,3\r\n',
    );
    expect(await detectChartFileFormat(path)).toBe(CHART_FILE_FORMATS.chartsSpotify);
  });

  it('knows a chartkeeper export by its first non-empty line, a JSON object', async () => {
    const path = files.write(
      'backup.ndjson',
      '\uFEFF\n{"type":"chartkeeper-export","version":1,"exportedAt":"2026-01-01T00:00:00.000Z"}\n{"type":"run"}\n',
    );
    expect(await detectChartFileFormat(path)).toBe(CHART_FILE_FORMATS.export);
    const long = files.write('long.ndjson', `{"type":"capture","raw":"${'x'.repeat(100_000)}"}\n`);
    expect(await detectChartFileFormat(long)).toBe(CHART_FILE_FORMATS.export);
  });

  it('refuses an unknown file, listing the files it knows', async () => {
    const path = files.write('songs.csv', 'song,singer,plays\nA,B,3\n');
    const error = await detectChartFileFormat(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect((error as ChartkeeperError).code).toBe('chart-file-invalid');
    const message = (error as ChartkeeperError).message;
    expect(message).toMatch(
      /^songs\.csv is not a chart file chartkeeper knows: it starts with "song,singer,plays"\./,
    );
    for (const header of [
      '"chartkeeper-export"',
      'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams',
      'Position,"Track Name",Artist,Streams,URL',
      'title,rank,date,artist,url,region,chart,trend,streams',
    ]) {
      expect(message).toContain(header);
    }
    // Two lines before the header are one too many.
    const noted = files.write(
      'noted.csv',
      'note\nanother note\nPosition,"Track Name",Artist,URL\n',
    );
    await expect(detectChartFileFormat(noted)).rejects.toThrow(
      'is not a chart file chartkeeper knows',
    );
    const json = files.write('list.json', '[1, 2]\n');
    await expect(detectChartFileFormat(json)).rejects.toThrow(
      'is not a chart file chartkeeper knows',
    );
  });

  it('refuses an empty file, even one holding only a byte-order mark and blank lines', async () => {
    for (const content of ['', '\uFEFF', '\r\n\r\n  \n']) {
      const path = files.write('empty.csv', content);
      await expect(detectChartFileFormat(path)).rejects.toThrow(
        'empty.csv is empty: it holds no chart.',
      );
    }
  });

  it('refuses binary and non-UTF-8 files without crashing', async () => {
    const gzip = files.write(
      'chart.csv.gz',
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]),
    );
    await expect(detectChartFileFormat(gzip)).rejects.toThrow('chart.csv.gz is not UTF-8 text');
    const nul = files.write('nul.csv', Buffer.from('rank,uri\0\0\0\n', 'utf8'));
    await expect(detectChartFileFormat(nul)).rejects.toThrow('nul.csv holds binary data');
    const latin1 = files.write(
      'latin1.csv',
      Buffer.from('Position,"Track Name",Artist,URL\n1,Se\xf1orita,A,B\n', 'latin1'),
    );
    await expect(detectChartFileFormat(latin1)).rejects.toMatchObject({
      code: 'chart-file-invalid',
    });
    const utf16 = files.write(
      'utf16.csv',
      Buffer.from('\uFEFFrank,uri,artist_names,track_name\n', 'utf16le'),
    );
    await expect(detectChartFileFormat(utf16)).rejects.toMatchObject({
      code: 'chart-file-invalid',
    });
  });

  it('refuses bad bytes past the first 16 KiB when the rows are read', async () => {
    const header = 'title,rank,date,artist,url,region,chart,trend,streams\n';
    const row =
      'A,1,2017-01-01,B,https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg,Global,top200,SAME_POSITION,1.0\n';
    const text = Buffer.from(header + row.repeat(2_000));
    const path = files.write('late.csv', Buffer.concat([text, Buffer.from([0xff, 0xfe, 0x0a])]));
    const { batches } = await readChartFile(path);
    const read = async () => {
      for await (const _ of batches);
    };
    await expect(read()).rejects.toThrow('late.csv is not UTF-8 text');
  });

  it('says when a file does not exist or is a directory', async () => {
    await expect(detectChartFileFormat(fixture('missing.csv'))).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(detectChartFileFormat(fixture(''))).rejects.toMatchObject({ code: 'usage' });
  });
});
