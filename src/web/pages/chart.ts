import type { Hono } from 'hono';
import { html } from 'hono/html';
import { isChartDate } from '../../domain/chart-date.js';
import { parseChartKey } from '../../domain/chart-ref.js';
import { badParameter, notFound } from '../http-errors.js';
import { chartTable } from './chart-table.js';
import { chartPath, keyName, timeTag } from './format.js';
import { type PageContext, pathValue } from './page-context.js';

/**
 * `/charts/:chartId/:date`: a chart by key (as `chartkeeper chart -c` takes it) and date
 * (`latest` allowed), with a date picker and links to the previous and next stored charts.
 * The picker is a GET form to the page itself: `?date=` is turned into the path.
 */
export function chartRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/charts/:chartId', (c) => {
    const key = parseChartKey(pathValue(c.req.param('chartId'), 'chart'));
    return key ? c.redirect(chartPath(key), 302) : c.notFound();
  });
  pages.get('/charts/:chartId/:date', async (c) => {
    const key = parseChartKey(pathValue(c.req.param('chartId'), 'chart'));
    if (!key) return c.notFound();
    const picked = c.req.query('date');
    if (picked !== undefined) {
      if (!isChartDate(picked)) throw badParameter('date', 'expected a date written YYYY-MM-DD.');
      return c.redirect(chartPath(key, picked), 302);
    }
    const date = pathValue(c.req.param('date'), 'date');
    if (date !== 'latest' && !isChartDate(date)) {
      throw badParameter('date', 'expected a date written YYYY-MM-DD, or latest.');
    }
    const found = await ctx.app.chartPage({ key, date: date === 'latest' ? undefined : date });
    const { chart } = found;
    if (!found.firstDate) {
      throw notFound(
        `No chart of ${key.chartId} is stored.`,
        'The stored charts are listed under Charts.',
      );
    }
    const shownDate = chart?.chartDate ?? date;
    const title = chart ? keyName(chart, chart.title) : key.chartId;
    const nav = html`<nav class="day-nav" aria-label="Other days">
${found.previousDate ? html`<a rel="prev" href="${chartPath(key, found.previousDate)}">← ${found.previousDate}</a>` : html`<span class="hint">no earlier chart</span>`}
<form method="get" action="${chartPath(key, shownDate)}" class="inline date-pick">
  <label for="date">Date</label>
  <input id="date" name="date" type="date" value="${isChartDate(shownDate) ? shownDate : ''}" min="${found.firstDate}" max="${found.lastDate ?? ''}" required>
  <button type="submit">Show</button>
</form>
${found.nextDate ? html`<a rel="next" href="${chartPath(key, found.nextDate)}">${found.nextDate} →</a>` : html`<span class="hint">no later chart</span>`}
</nav>`;
    if (!chart) {
      return c.html(
        ctx.page(
          { title: `${key.chartId} ${date}`, section: 'charts' },
          html`<p class="crumbs"><a href="/charts">Charts</a> ›</p><h1>${title}</h1>${nav}
<p>No chart of ${key.chartId} is stored for ${date}. Stored charts run from ${found.firstDate} to ${found.lastDate}.</p>`,
        ),
        404,
      );
    }
    return c.html(
      ctx.page(
        { title: `${chart.title || chart.chartId} ${chart.chartDate}`, section: 'charts' },
        html`<p class="crumbs"><a href="/charts">Charts</a> ›</p>
<h1>${title} <span class="date">${chart.chartDate}</span></h1>
<p class="hint">${chart.entries.length} entries · ${chart.source} · captured ${timeTag(chart.capturedAt, ctx.timeZone)}</p>
${nav}
${chartTable(chart, found.streamsChanges)}`,
      ),
    );
  });
}
