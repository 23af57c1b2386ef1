import type { Hono } from 'hono';
import { html } from 'hono/html';
import { chartPath, count } from './format.js';
import type { PageContext } from './page-context.js';

/** `/charts`: every stored chart key, captured and imported, with its date range and count. */
export function chartsRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/charts', async (c) => {
    const keys = await ctx.app.listChartKeys();
    return c.html(
      ctx.page(
        { title: 'Charts', section: 'charts' },
        html`<h1>Charts</h1>
${
  keys.length === 0
    ? html`<p>No chart is stored yet.</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Stored charts"><table>
<thead><tr><th scope="col">Chart</th><th scope="col">Id</th><th scope="col">Source</th><th scope="col">First</th><th scope="col">Latest</th><th scope="col" class="num">Charts</th></tr></thead>
<tbody>${keys.map(
        (key) => html`<tr>
<td><a href="${chartPath(key, key.lastDate)}">${key.title || key.chartId}</a></td>
<td><code>${key.chartId}</code></td>
<td>${key.source}</td>
<td class="date"><a href="${chartPath(key, key.firstDate)}">${key.firstDate}</a></td>
<td class="date"><a href="${chartPath(key, key.lastDate)}">${key.lastDate}</a></td>
<td class="num">${count(key.chartCount)}</td>
</tr>`,
      )}</tbody></table></div>`
}`,
      ),
    );
  });
}
