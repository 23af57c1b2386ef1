import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDatasetFile } from '../bench/import.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
const id = (n: number) => `${String(n).padStart(4, '0')}${'Q'.repeat(18)}`;

/** A charts.spotify.com daily download: BOM, CRLF, quoted fields. */
function download(tracks: number[]): string {
  const rows = tracks.map(
    (t, i) =>
      `${i + 1},spotify:track:${id(t)},"Artist ${t}, Guest",Song ${t},Label,${i + 1},-1,${t},${100_000 - i * 1_000}`,
  );
  return `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;
}

interface Summary {
  ok: boolean;
  files: {
    file: string;
    format: string;
    charts: number;
    rows: number;
    imported: number;
    duplicates: number;
    rejected: { line: number; reason: string }[];
    heldBack?: number;
    error?: string;
  }[];
}

describe('chartkeeper import of chart files', () => {
  const sandbox = cliSandbox('ck-import-files-');
  const cli = sandbox.run;

  const folder = (files: Record<string, string>) => {
    const dir = join(sandbox.dir, 'downloads');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('imports a folder of downloads in date order, derives movement, and changes nothing the second time', async () => {
    const dir = folder({
      'regional-global-daily-2024-11-28.csv': download([1, 2, 3]),
      'regional-global-daily-2024-11-29.csv': download([3, 1, 4]),
    });
    const first = await cli(['import', dir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as Summary;
    expect(summary.ok).toBe(true);
    expect(summary.files.map((f) => [f.format, f.rows, f.imported, f.duplicates])).toEqual([
      ['charts.spotify.com', 3, 3, 0],
      ['charts.spotify.com', 3, 3, 0],
    ]);

    const chart = await cli(['chart', '--chart', 'regional-global-daily', '--json']);
    expect(chart.code, chart.stderr).toBe(0);
    const shown = JSON.parse(chart.stdout);
    expect(shown.chartDate).toBe('2024-11-29');
    expect(
      shown.entries.map((e: Record<string, unknown>) => [
        e.trackId,
        e.movement,
        e.previousPosition,
        e.daysOnChart,
        e.streams,
      ]),
    ).toEqual([
      [id(3), 'up', 3, 2, 100_000],
      [id(1), 'down', 1, 2, 99_000],
      [id(4), 'new', null, 1, 98_000],
    ]);
    expect(shown.entries[0].artists).toEqual([
      { id: null, name: 'Artist 3' },
      { id: null, name: 'Guest' },
    ]);
    expect(shown.entries[0].facts).toEqual({ peakRank: 1, previousRank: null, onChart: 3 });

    const again = await cli(['import', dir, '--json']);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as Summary).files.map((f) => [f.imported, f.duplicates]),
    ).toEqual([
      [0, 3],
      [0, 3],
    ]);
  });

  it('imports a file of 170,000 rows on threads of its own exactly as a small file is imported', async () => {
    // Over 20 MB: imported on a thread of its own, its charts written on another (a large load).
    const big = join(sandbox.dir, 'charts.csv');
    await writeDatasetFile(big, 170_000);
    const lines = readFileSync(big, 'utf8').split('\n');
    lines.splice(
      5,
      0,
      'Bad,x,2017-01-01,Someone,https://open.spotify.com/track/nope,Global,top200,SAME_POSITION,1.0',
    );
    writeFileSync(big, lines.join('\n'));
    // The first three days, as a small file: imported on the calling thread.
    const small = join(sandbox.dir, 'small.csv');
    const early = lines.slice(1).filter((l) => /,2017-01-0[123],/.test(l) && !l.startsWith('Bad'));
    writeFileSync(small, `${[lines[0], ...early].join('\n')}\n`);

    const first = await cli(['import', big, '--json']);
    expect(first.code).toBe(1);
    const [file] = (JSON.parse(first.stdout) as Summary).files;
    expect(file).toMatchObject({
      format: 'spotify-charts-dataset',
      rows: 170_001,
      imported: 170_000,
      duplicates: 0,
    });
    expect(file?.rejected).toEqual([{ line: 6, reason: expect.stringMatching(/^rank: /) }]);
    const again = JSON.parse((await cli(['import', big, '--json'])).stdout) as Summary;
    expect(again.files[0]).toMatchObject({ imported: 0, duplicates: 170_000 });

    const alone = { CHARTKEEPER_STORE: join(sandbox.dir, 'small.db') };
    expect((await cli(['import', small], alone)).code).toBe(0);
    for (const chart of ['regional-global-daily', 'regional-se-daily']) {
      const args = ['chart', '--chart', chart, '--date', '2017-01-03', '--json'];
      const [fromBig, fromSmall] = [await cli(args), await cli(args, alone)];
      const entries = (out: string) => JSON.parse(out).entries;
      expect(entries(fromBig.stdout)).toHaveLength(200);
      expect(entries(fromBig.stdout)).toEqual(entries(fromSmall.stdout));
    }
    const history = await cli(['history', '--artist', 'Artist 7', '--json']);
    expect(history.code, history.stderr).toBe(0);
  });

  it('keeps later charts right when an older download is imported after them', async () => {
    const late = folder({ 'regional-global-daily-2024-11-29.csv': download([3, 1, 4]) });
    expect((await cli(['import', late])).code).toBe(0);
    const early = join(sandbox.dir, 'regional-global-daily-2024-11-28.csv');
    writeFileSync(early, download([1, 2, 3]));
    expect((await cli(['import', early])).code).toBe(0);
    const chart = JSON.parse(
      (await cli(['chart', '--chart', 'regional-global-daily', '--date', '2024-11-29', '--json']))
        .stdout,
    );
    expect(chart.entries.map((e: Record<string, unknown>) => [e.movement, e.daysOnChart])).toEqual([
      ['up', 2],
      ['down', 2],
      ['new', 1],
    ]);
  });

  it('rejects bad rows with their line numbers and imports the rest, or nothing with --strict', async () => {
    const lines = download([1, 2, 3]).split('\r\n');
    lines.splice(2, 0, 'x,spotify:track:nope,Someone,Bad,Label,1,1,1,1');
    const dir = folder({ 'regional-us-weekly-2024-11-28.csv': lines.join('\r\n') });
    const strict = await cli(['import', dir, '--strict', '--json']);
    expect(strict.code).toBe(1);
    const held = (JSON.parse(strict.stdout) as Summary).files[0];
    expect(held).toMatchObject({ rows: 4, imported: 0, heldBack: 3 });
    expect(held?.rejected.map((r) => r.line)).toEqual([3]);
    expect((await cli(['chart', '--chart', 'regional-us-weekly', '--json'])).code).toBe(1);

    const loose = await cli(['import', dir]);
    expect(loose.code).toBe(1);
    expect(loose.stderr).toMatch(/regional-us-weekly-2024-11-28\.csv line 3: /);
    expect(loose.stdout).toMatch(/4 rows in 1 chart\(s\): 3 imported, 0 already there, 1 rejected/);
  });

  it('refuses chart ids that do not exist, and says what a chart export is', async () => {
    const file = join(sandbox.dir, 'regional-global-daily-latest.csv');
    writeFileSync(file, download([1, 2]));
    const bad = await cli(['import', file, '--chart', 'regional-zz-daily', '--date', '2024-11-29']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/official chart id/);
    const odd = folder({ 'regional-zz-daily-2024-11-29.csv': download([1]) });
    mkdirSync(join(odd, 'older'));
    const named = await cli(['import', odd]);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/regional-zz-daily-2024-11-29\.csv/);
    expect(named.stderr).toMatch(/skipped .*older: folders inside a folder are not read/);

    expect((await cli(['import', file, '--date', '2024-11-29'])).code).toBe(0);
    const csv = join(sandbox.dir, 'charts.csv');
    expect((await cli(['export', '--format', 'csv', '-o', csv])).code).toBe(0);
    const again = await cli(['import', csv]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is a chart export .* does not import it/);
  });

  it('asks for --chart and --date when the file name does not give them', async () => {
    const file = join(sandbox.dir, 'regional-global-daily-latest.csv');
    writeFileSync(file, download([1, 2]));
    const refused = await cli(['import', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--date/);
    expect(refused.stderr).not.toMatch(/at .*\.(c?js|ts):\d+/);
    const given = await cli(['import', file, '--date', '2024-11-29', '--json']);
    expect(given.code, given.stderr).toBe(0);
    expect((JSON.parse(given.stdout) as Summary).files[0]?.imported).toBe(2);
  });

  it('refuses an inbox that is a file before serving anything', async () => {
    const file = join(sandbox.dir, 'not-a-folder');
    writeFileSync(file, '');
    const refused = await cli(['serve'], { CHARTKEEPER_INBOX: file });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot be the inbox: it is a file, not a folder/);
    expect(refused.stderr).not.toMatch(/bug/);
  });

  it('imports files dropped into the inbox while serve runs, and records each import as a run', async () => {
    const inbox = join(sandbox.dir, 'inbox');
    // No playlist to capture and no Spotify app: serve only imports from its inbox.
    writeFileSync(join(sandbox.dir, 'chartkeeper.config.json'), '{ "charts": [] }');
    const { SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET, ...withoutApp } = sandbox.env;
    expect(SPOTIFY_CLIENT_SECRET).toBeTruthy();
    const serve = sandbox.start(['serve'], { ...withoutApp, CHARTKEEPER_INBOX: inbox });
    await serve.waitFor(/imported/, 60_000);
    writeFileSync(join(inbox, 'regional-global-daily-2024-11-29.csv'), download([1, 2, 3]));
    writeFileSync(join(inbox, 'notes.csv'), 'this is not a chart\n');
    const done = join(inbox, 'done', 'regional-global-daily-2024-11-29.csv');
    const rejected = join(inbox, 'rejected', 'notes.csv');
    for (let i = 0; i < 600 && !(existsSync(done) && existsSync(`${rejected}.reason.txt`)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(existsSync(done)).toBe(true);
    expect(existsSync(rejected)).toBe(true);
    expect(readFileSync(`${rejected}.reason.txt`, 'utf8')).toMatch(/notes\.csv was not imported/);
    expect(
      readdirSync(inbox)
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['done', 'rejected']);
    await serve.stop('SIGTERM');

    const { runs } = JSON.parse((await cli(['runs', '--json'])).stdout) as {
      runs: { trigger: string; state: string; entryCount: number | null }[];
    };
    const imports = runs.filter((r) => r.trigger === 'import');
    expect(imports.map((r) => [r.state, r.entryCount]).sort()).toEqual([
      ['failed', 0],
      ['succeeded', 3],
    ]);
  });
});
