import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartFiles } from '../adapters/chart-files/chart-files.js';
import { loadConfig } from '../config/load.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { createWebApp } from '../web/web-app.js';
import type { App } from './app.js';
import { watchInbox } from './inbox.js';
import { openApp } from './open-app.js';

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
const URL = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';

describe('inbox import runs (real SQLite store, real router)', () => {
  let dir: string;
  let inbox: string;
  let app: App;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-inbox-'));
    inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const { config } = loadConfig(
      {
        CHARTKEEPER_STORE: join(dir, 'store.db'),
        CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
        CHARTKEEPER_INBOX: inbox,
      },
      dir,
    );
    app = await openApp(
      { ...config, charts: [], inbox: { ...config.inbox, pollMs: 200 } },
      { access: 'write', logger: recordingLogger() },
    );
    writeFileSync(
      join(inbox, 'regional-global-daily-2024-11-29.csv'),
      `${HEADER}\n1,spotify:track:6mICuAdrwEjh6Y6lroV2Kg,Artist,Song,Label,1,-1,1,1000\n`,
    );
    writeFileSync(
      join(inbox, 'dataset.csv'),
      [
        'title,rank,date,artist,url,region,chart,trend,streams',
        `Fine,1,2017-01-01,Shakira,${URL},Argentina,top200,SAME_POSITION,10.0`,
        `Fine,1,2017-01-01,Shakira,${URL},Global,top200,SAME_POSITION,10.0`,
      ].join('\n'),
    );
    writeFileSync(join(inbox, 'notes.csv'), 'this is not a chart\n');
    const watching = watchInbox(app.context, chartFiles);
    const moved = ['done/regional-global-daily-2024-11-29.csv', 'done/dataset.csv'];
    for (let i = 0; i < 300; i++) {
      if ([...moved, 'rejected/notes.csv.reason.txt'].every((f) => existsSync(join(inbox, f))))
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await watching.stop();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records an import under the chart it imported, and a file of several under its first', async () => {
    const runs = await app.listRuns({ limit: 10 });
    const byChart = Object.fromEntries(runs.map((r) => [r.chartId, r]));
    expect(Object.keys(byChart).sort()).toEqual([
      'inbox',
      'regional-ar-daily',
      'regional-global-daily',
    ]);
    expect(byChart['regional-global-daily']?.state).toBe('succeeded');
    expect(byChart.inbox?.state).toBe('failed');
    const log = byChart['regional-ar-daily']?.tasks[0]?.logs.map((l) => l.message).join('\n');
    expect(log).toMatch(
      /holds 2 charts.*first, regional-ar-daily; the others: regional-global-daily/,
    );
  });

  it('links a run to its chart only when the chart exists', async () => {
    const web = createWebApp(app);
    const page = await (await web.request('http://127.0.0.1/runs')).text();
    expect(page).toContain('href="/charts/regional-global-daily/latest"');
    expect(page).not.toContain('/charts/inbox/');
    // Hovering a task's cell tells its attempts (as the README says).
    expect(page).toMatch(/title="import: succeeded, [^"]*, 1 attempt"/);
    const filtered = await (
      await web.request('http://127.0.0.1/runs?chart=regional-global-daily&trigger=import')
    ).text();
    expect(filtered).toContain('data-state="succeeded"');
    const failed = (await app.listRuns({ limit: 10 })).find((r) => r.chartId === 'inbox');
    const runPage = await (await web.request(`http://127.0.0.1/runs/${failed?.id}`)).text();
    expect(runPage).not.toContain('/charts/inbox/');
  });
});
