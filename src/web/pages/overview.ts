import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Mover } from '../../domain/history.js';
import { chartTable } from './chart-table.js';
import { artistLinks, chartPath, keyName, signed, timeTag, trackLinks } from './format.js';
import type { Html } from './layout.js';
import type { PageContext } from './page-context.js';
import { runDuration, runLink, stateLabel } from './run-parts.js';
import { scheduleBlock } from './schedule-forms.js';

/** How many entries of today's chart the overview shows. */
const TOP = 10;
/** How many of each kind of mover. */
const MOVERS = 5;

/** `/`: the schedule, the last run of each chart, today's chart and what changed in it. */
export function overviewRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/', async (c) => {
    const { app } = ctx;
    const [schedule, lastRuns, found] = await Promise.all([
      app.scheduleState(),
      app.lastRunPerChart(),
      app.findChartWithChanges({}),
    ]);
    const { chart } = found;
    const moved =
      chart &&
      (await app.movers({
        key: { source: chart.source, chartId: chart.chartId },
        date: chart.chartDate,
        limit: MOVERS,
      }));
    const movers = moved && 'movers' in moved ? moved : null;
    return c.html(
      ctx.page(
        { title: 'Overview', section: 'overview' },
        html`<h1>Overview</h1>
<section aria-labelledby="schedule-h"><h2 id="schedule-h">Schedule</h2>
${scheduleBlock(schedule, ctx.timeZone, '/')}</section>
<section aria-labelledby="last-h"><h2 id="last-h">Last run per chart</h2>
${
  lastRuns.length === 0
    ? html`<p>No chart is configured and nothing ran yet.</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="last-h"><table>
<thead><tr><th scope="col">Chart</th><th scope="col">Run</th><th scope="col">Outcome</th><th scope="col">When</th><th scope="col">Took</th></tr></thead>
<tbody>${lastRuns.map(
        ({ key, run }) => html`<tr><td><a href="${chartPath(key)}">${key.chartId}</a></td>
<td>${run ? runLink(run) : '–'}</td>
<td>${run ? stateLabel(run.state) : 'never ran'}${run?.error ? html` <span class="hint">${run.error.message}</span>` : ''}</td>
<td>${timeTag(run?.finishedAt ?? run?.startedAt ?? run?.createdAt, ctx.timeZone)}</td>
<td>${run ? runDuration(run) : '–'}</td></tr>`,
      )}</tbody></table></div>`
}
<p><a href="/runs">All runs</a></p></section>
${
  chart
    ? html`<section aria-labelledby="today-h"><h2 id="today-h">${keyName(chart, chart.title)}, ${chart.chartDate}</h2>
${found.fallback ? html`<p class="hint">No chart of the configured chart is stored yet; this is the chart stored most recently.</p>` : ''}
${chartTable(chart, found.streamsChanges, TOP)}
<p><a href="${chartPath(chart, chart.chartDate)}">The whole chart (${chart.entries.length} entries)</a></p></section>
<section aria-labelledby="movers-h"><h2 id="movers-h">What changed${movers?.previousDate ? ` since ${movers.previousDate}` : ''}</h2>
${
  movers?.previousDate
    ? html`<div class="movers">
${moverList('New entries', movers.movers.newEntries, 'position')}
${moverList('Re-entries', movers.movers.reEntries, 'position')}
${moverList('Biggest climbers', movers.movers.climbers, 'change')}
${moverList('Biggest fallers', movers.movers.fallers, 'change')}
${moverList('Drop-outs', movers.movers.dropOuts, 'previous')}
</div>`
    : html`<p>Nothing to compare with: this is the first stored chart of its kind.</p>`
}</section>`
    : html`<section><h2>Charts</h2><p>No chart is stored yet. Capture one with <code>chartkeeper run</code> or import chart files with <code>chartkeeper import FILE</code>.</p></section>`
}`,
      ),
    );
  });
}

function moverList(
  title: string,
  movers: readonly Mover[],
  show: 'position' | 'change' | 'previous',
): Html {
  return html`<div class="mover-list"><h3>${title}</h3>
${
  movers.length === 0
    ? html`<p class="none">None.</p>`
    : html`<ol>${movers.map(
        (m) =>
          html`<li><span class="mover-figure">${
            show === 'change'
              ? html`${signed(m.change)} <span class="hint">to #${m.position}</span>`
              : show === 'previous'
                ? `was #${m.previousPosition}`
                : `#${m.position}`
          }</span> ${trackLinks(m.trackId, m.name)} <span class="artists">${artistLinks(m.artists)}</span></li>`,
      )}</ol>`
}</div>`;
}
