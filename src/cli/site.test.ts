import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
const id = (n: number) => `${String(n).padStart(4, '0')}${'S'.repeat(18)}`;
function download(tracks: number[]): string {
  const rows = tracks.map(
    (t, i) =>
      `${i + 1},spotify:track:${id(t)},"Artist ${t}",Song ${t},Label,${i + 1},-1,${t},${50_000 - i}`,
  );
  return `${[HEADER, ...rows].join('\n')}\n`;
}

describe('chartkeeper site (built binary)', () => {
  const sandbox = cliSandbox('ck-site-');
  const cli = sandbox.run;

  it('writes the chart, track and artist pages of every chart, or of --chart ones, and never into a folder with files unasked', async () => {
    const files = join(sandbox.dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'regional-global-daily-2024-11-28.csv'), download([1, 2]));
    writeFileSync(join(files, 'regional-global-daily-2024-11-29.csv'), download([2, 3]));
    writeFileSync(join(files, 'viral-us-daily-2024-11-29.csv'), download([4]));
    expect((await cli(['import', files])).code).toBe(0);

    const out = join(sandbox.dir, 'site');
    const site = await cli(['site', '--out', out]);
    expect(site.stderr).toBe('');
    expect(site.code).toBe(0);
    expect(site.stdout).toMatch(/^Wrote 5 chart, 4 track and 4 artist pages and \d+ assets to /);
    const page = (path: string) => readFileSync(join(out, path, 'index.html'), 'utf8');
    expect(page('charts/regional-global-daily/2024-11-28')).toContain(
      'href="/charts/regional-global-daily/2024-11-29"',
    );
    expect(page('charts/regional-global-daily/latest')).toContain('2024-11-29');
    expect(page(`tracks/${id(2)}`)).toContain('data-history=');
    expect(page('artists/Artist 2')).toContain('<h1>Artist 2</h1>');
    // A static copy links to nothing that needs a server.
    expect(page('')).not.toMatch(/href="\/(runs|status)"|action="\/search"/);
    expect(existsSync(join(out, 'assets', 'uplot.js'))).toBe(true);

    const again = await cli(['site', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /is not empty; chartkeeper site writes into a new or empty folder only/,
    );
    expect(again.stderr).toMatch(/--force/);
    // A folder whose parent is missing, or one chartkeeper may not make, is named at once.
    const nowhere = await cli(['site', '--out', join(sandbox.dir, 'no', 'such')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^chartkeeper: Cannot make the folder .*no\/such: ENOENT\./);
    const special = await cli(['site', '--out', '/proc/chartkeeper-site']);
    expect(special.code).toBe(2);
    expect(special.stderr).toContain('Cannot make the folder /proc/chartkeeper-site');

    const only = join(sandbox.dir, 'only');
    const one = await cli(['site', '--out', only, '--chart', 'viral-us-daily', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: true, charts: 2, tracks: 1 });
    expect(existsSync(join(only, 'charts', 'regional-global-daily'))).toBe(false);
    expect(readFileSync(join(only, 'charts', 'index.html'), 'utf8')).not.toContain(
      'regional-global-daily',
    );
    const forced = await cli(['site', '--out', only, '--force', '--chart', 'viral-us-daily']);
    expect(forced.code).toBe(0);
  });
});
