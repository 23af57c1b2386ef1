import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app/app.js';
import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { createWebApp } from './web-app.js';

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
/** Names as a chart file may hold them: long, and without a space to break at. */
const LONG_TITLE = 'T'.repeat(600);
const LONG_ARTIST = `A${'r'.repeat(249)}`;
const ENDLESS_ARTIST = `E${'n'.repeat(1199)}`;

describe('pages and API with hostile names and queries (real router, SQLite store)', () => {
  let dir: string;
  let app: App;
  let web: ReturnType<typeof createWebApp>;
  const get = async (path: string) => {
    const response = await web.request(`http://127.0.0.1${path}`);
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-hostile-'));
    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(
      join(files, 'regional-gb-daily-2024-11-20.csv'),
      [
        HEADER,
        `1,spotify:track:0001${'H'.repeat(18)},${LONG_ARTIST},${LONG_TITLE},Label,1,-1,1,5000`,
        `2,spotify:track:0002${'H'.repeat(18)},${ENDLESS_ARTIST},Short,Label,2,-1,1,4000`,
      ].join('\n'),
    );
    const { config } = loadConfig(
      { CHARTKEEPER_STORE: join(dir, 'store.db'), CHARTKEEPER_OUTBOX: join(dir, 'outbox') },
      dir,
    );
    app = await openApp(config, { access: 'write', logger: recordingLogger() });
    const [result] = await app.importFiles({ inputs: [files] });
    expect(result?.imported).toBe(2);
    web = createWebApp(app);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('links an artist only where the page and the API answer for the name', async () => {
    const chart = await get('/charts/regional-gb-daily/2024-11-20');
    expect(chart.status).toBe(200);
    const link = `/artists/${encodeURIComponent(LONG_ARTIST)}`;
    expect(chart.text).toContain(`href="${link}"`);
    expect((await get(link)).status).toBe(200);
    expect((await get(`/api${link}/history`)).status).toBe(200);
    // Past the bound the name is shown, not linked to a page that would refuse it.
    expect(chart.text).toContain(ENDLESS_ARTIST);
    expect(chart.text).not.toContain(`/artists/${ENDLESS_ARTIST}`);
    expect((await get(`/api/artists/${ENDLESS_ARTIST}/history`)).status).toBe(400);
  });

  it('refuses control characters in a search with a 400 page, never echoing them', async () => {
    for (const q of ['%00', 'a%1Bb', '%7F']) {
      const { status, text } = await get(`/search?q=${q}`);
      expect(status).toBe(400);
      expect(text).toMatch(/q.*control characters/);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they must not be written back
      expect(text).not.toMatch(/[\u0000\u001b\u007f]/);
    }
    expect((await get(`/search?q=${'x'.repeat(201)}`)).status).toBe(400);
    const ok = await get('/search?q=Short');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Short');
  });
});
