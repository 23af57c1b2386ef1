import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { launchChromium } from '../test-support/chromium.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { titleFor } from '../test-support/services.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const TOKEN = 'browser-test-token-0123456789abcdef';
/** Screenshots of every page, for people to look at (git-ignored, never committed). */
const SHOTS = fileURLToPath(new URL('../../test-artifacts/browser/', import.meta.url));
const WIDTHS = [
  ['laptop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
/** A charts.spotify.com daily download (an imported chart, with streams). */
function download(order: number[]): string {
  const rows = order.map(
    (t, i) =>
      `${i + 1},spotify:track:${String(t).padStart(4, '0')}${'W'.repeat(18)},"Imported Artist ${t}",Imported Song ${t},Label,${i + 1},-1,${t},${900_000 - i * 10_000}`,
  );
  return `${[HEADER, ...rows].join('\n')}\n`;
}

const browser = await launchChromium();

describe.skipIf(!browser.available)(
  titleFor('the web UI in Chromium (built binary serving captured and imported charts)', browser),
  () => {
    const sandbox = cliSandbox('ck-browser-');
    let chromium: Browser;
    beforeAll(() => {
      if (browser.available) chromium = browser.value;
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      if (browser.available) await browser.value.close();
    });

    /** A store with three captured days of the emulator's daily chart and two imported days. */
    async function seed(): Promise<void> {
      const demo = await sandbox.run(
        ['demo', '--days', '3', '--store', join(sandbox.dir, 'store.db')],
        {},
      );
      expect(demo.code, demo.stderr).toBe(0);
      const files = join(sandbox.dir, 'files');
      mkdirSync(files);
      writeFileSync(join(files, 'regional-global-daily-2024-11-28.csv'), download([1, 2, 3]));
      writeFileSync(join(files, 'regional-global-daily-2024-11-29.csv'), download([2, 1, 4]));
      const imported = await sandbox.run(['import', files]);
      expect(imported.code, imported.stderr).toBe(0);
      writeFileSync(
        join(sandbox.dir, 'chartkeeper.config.json'),
        JSON.stringify({ charts: [DAILY], schedule: '0 0 1 1 *' }),
      );
    }

    /** Starts `serve --port 0` and returns where its web UI answers. */
    async function serve(env: NodeJS.ProcessEnv = {}): Promise<string> {
      const server = sandbox.start(['serve', '--port', '0', '--log-format', 'json'], env);
      await server.waitFor(/web UI and API at http:\/\/127\.0\.0\.1:\d+\//);
      return (
        /web UI and API at (http:\/\/127\.0\.0\.1:\d+)\//.exec(server.output()) as RegExpExecArray
      )[1] as string;
    }

    /**
     * Saves the page at laptop and phone widths, and at laptop width in the dark scheme; at each
     * width the page itself must not scroll sideways (only a table may, inside its box).
     */
    async function shoot(page: Page, name: string): Promise<void> {
      for (const [width, size] of WIDTHS) {
        await page.setViewportSize(size);
        // Charts redraw at the new width on the resize event, which comes with the next frame.
        await page.evaluate(
          'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null))))',
        );
        const overflow = await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${name} at ${width} width scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize(WIDTHS[0][1]);
      await page.emulateMedia({ colorScheme: 'dark' });
      // Let the page redraw its charts in the dark colours first.
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => done(null)))');
      await page.screenshot({ path: join(SHOTS, `${name}-laptop-dark.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });
    }

    it('shows every page, runs a capture from the runs page, moves through a chart, draws a track, pauses and resumes, and refuses a cross-site form', async () => {
      await seed();
      const base = await serve();
      const context = await chromium.newContext({ viewport: WIDTHS[0][1] });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));

      await page.goto(`${base}/`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Overview');
      expect(await page.locator('table.chart tbody tr').count()).toBeGreaterThan(0);
      await shoot(page, 'overview');

      // Run now, and watch the grid (which refreshes itself) show it succeeded.
      await page.goto(`${base}/runs`);
      await page.getByRole('button', { name: `Run ${DAILY} now` }).click();
      await page.waitForURL(`${base}/runs`);
      await page
        .locator('tr[data-state="succeeded"]', { has: page.locator('td', { hasText: /^api$/ }) })
        .first()
        .waitFor({ timeout: 60_000 });
      await shoot(page, 'runs');
      await page.locator('tr[data-state="succeeded"] a.run-id').first().click();
      await expect.poll(() => page.locator('h1').textContent()).toContain('Run');
      expect(await page.locator('figure.timeline rect').count()).toBe(5);
      // On a phone the task names stay at the page's text size (not scaled down with a drawing).
      await page.setViewportSize(WIDTHS[1][1]);
      const label = await page.locator('figure.timeline .tl-label').first().boundingBox();
      expect(label?.height).toBeGreaterThanOrEqual(14);
      await shoot(page, 'run');

      await page.goto(`${base}/charts`);
      await expect
        .poll(() => page.locator('table').textContent())
        .toContain('regional-global-daily');
      await shoot(page, 'charts');

      // A chart, then the day before.
      await page.goto(`${base}/charts/${DAILY}/latest`);
      const latest = (await page.locator('h1 .date').textContent()) ?? '';
      const previous = page.locator('a[rel="prev"]');
      const previousDate = ((await previous.textContent()) ?? '').replace(/[^\d-]/g, '');
      await previous.click();
      await page.waitForURL(`${base}/charts/${DAILY}/${previousDate}`);
      await expect.poll(() => page.locator('h1 .date').textContent()).toBe(previousDate);
      expect(previousDate < latest).toBe(true);
      await shoot(page, 'chart');
      await page.goto(`${base}/charts/regional-global-daily/2024-11-29`);
      await expect.poll(() => page.locator('table.chart').textContent()).toMatch(/streams/i);
      await shoot(page, 'chart-imported');

      // A track's line chart is drawn: a canvas with a size.
      await page.goto(`${base}/charts/${DAILY}/latest`);
      // The third entry of the emulator's chart has been on it every day: a line, not a dot.
      await page.locator('table.chart tbody tr:nth-child(3) td.track .title a').first().click();
      await page.waitForURL(/\/tracks\//);
      const canvas = page.locator('.history-chart canvas').first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(100);
      await shoot(page, 'track');
      await page.locator('.lede a[href^="/artists/"]').first().click();
      await page.locator('.history-chart canvas').first().waitFor();
      await shoot(page, 'artist');

      await page.goto(`${base}/search?q=imported`);
      await expect.poll(() => page.locator('main').textContent()).toContain('Imported Song 1');
      await shoot(page, 'search');
      await page.goto(`${base}/status`);
      await expect
        .poll(() => page.locator('main').textContent())
        .toContain('Configuration in effect');
      expect(await page.content()).not.toContain(sandbox.emulator.credentials.clientSecret);
      await shoot(page, 'status');
      // No script error and nothing refused by the Content Security Policy on any page so far.
      expect(problems).toStrictEqual([]);
      const missing = await page.goto(`${base}/tracks/nothing-here`);
      expect(missing?.status()).toBe(404);
      await shoot(page, 'not-found');

      // Pause and resume with the buttons (forms posting to the server).
      await page.goto(`${base}/runs`);
      await page.getByRole('button', { name: 'Pause schedule' }).click();
      await page.getByRole('button', { name: 'Resume schedule' }).waitFor();
      await expect.poll(() => page.locator('.schedule').textContent()).toContain('paused');
      await page.getByRole('button', { name: 'Resume schedule' }).click();
      await page.getByRole('button', { name: 'Pause schedule' }).waitFor();

      // A page of another origin posting a form to chartkeeper is refused, and changes nothing.
      const evil = await otherSite(
        `<form method="post" action="${base}/schedule/pause"><input type="hidden" name="back" value="/"><button>Win a prize</button></form>`,
      );
      try {
        await page.goto(evil.url);
        const [response] = await Promise.all([
          page.waitForResponse(`${base}/schedule/pause`),
          page.getByRole('button', { name: 'Win a prize' }).click(),
        ]);
        expect(response.status()).toBe(403);
      } finally {
        evil.server.close();
      }
      const schedule = (await (await fetch(`${base}/api/schedule`)).json()) as { paused: boolean };
      expect(schedule.paused).toBe(false);
      await context.close();
    });

    it('keeps long names inside the page, and draws a track of one date around that date', async () => {
      await seed();
      // Imported through the inbox: the runs grid then holds import runs beside captures.
      const inbox = join(sandbox.dir, 'inbox');
      const base = await serve({ CHARTKEEPER_INBOX: inbox });
      writeFileSync(
        join(inbox, 'regional-gb-daily-2024-11-20.csv'),
        [
          HEADER,
          `1,spotify:track:0001${'H'.repeat(18)},${`A${'r'.repeat(249)}`},${'T'.repeat(600)},Label,1,-1,1,5000`,
          `2,spotify:track:0002${'H'.repeat(18)},Someone,Short,Label,2,-1,1,4000`,
        ].join('\n'),
      );
      await expect
        .poll(async () => await (await fetch(`${base}/api/runs?trigger=import`)).text(), {
          timeout: 30_000,
        })
        .toContain('"succeeded"');
      const context = await chromium.newContext({ viewport: WIDTHS[0][1] });
      const page = await context.newPage();

      await page.goto(`${base}/charts/regional-gb-daily/2024-11-20`);
      await shoot(page, 'chart-long-names');
      // The position column stays in view beside a title of 600 letters.
      await page.setViewportSize(WIDTHS[0][1]);
      const position = await page.locator('table.chart tbody td.pos').first().boundingBox();
      expect((position?.x ?? -1) >= 0 && (position?.x ?? 1e9) < WIDTHS[0][1].width).toBe(true);

      await page.goto(`${base}/tracks/0001${'H'.repeat(18)}`);
      const canvas = page.locator('.history-chart canvas').first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(200);
      // The x axis spans days around the one date, not years.
      expect(await page.locator('.history-chart .plot').first().getAttribute('aria-label')).toMatch(
        /, from 2024-11-17 to 2024-11-23$/,
      );
      await shoot(page, 'track-one-date');
      await page.locator('.lede a[href^="/artists/"]').first().click();
      await page.locator('.history-chart canvas').first().waitFor();
      await shoot(page, 'artist-long-name');
      await page.setViewportSize(WIDTHS[0][1]);
      const peak = await page.locator('.key-stats td.num').first().boundingBox();
      expect((peak?.x ?? 1e9) < WIDTHS[0][1].width).toBe(true);
      // Captures and imports in one grid: cells of tasks a run does not have stay in the table.
      await page.goto(`${base}/runs`);
      expect(await page.locator('td.task.none').count()).toBeGreaterThan(0);
      expect(await page.locator('a[href="/charts/regional-gb-daily/latest"]').count()).toBe(1);
      await shoot(page, 'runs-imports');
      await context.close();
    });

    it('with a token: sends a visitor to the login form, refuses a wrong token, lets the right one in', async () => {
      await seed();
      const base = await serve({ CHARTKEEPER_UI_TOKEN: TOKEN });
      const context = await chromium.newContext({ viewport: WIDTHS[0][1] });
      const page = await context.newPage();
      await page.goto(`${base}/runs`);
      await page.waitForURL(`${base}/login?next=%2Fruns`);
      await shoot(page, 'login');
      await page.getByLabel(/Token/).fill('not-the-token-at-all-0000000000');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('That is not the token');
      await page.getByLabel(/Token/).fill(TOKEN);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${base}/runs`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Runs');
      expect(await page.content()).not.toContain(TOKEN);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login/);
      await context.close();
    });
  },
);

/** A page on another origin (another port of this machine), as a site trying its luck would be. */
async function otherSite(body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Another site</title>${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
