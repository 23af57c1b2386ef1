import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { ChartKey } from '../../domain/chart.js';
import { parseChartKey } from '../../domain/chart-ref.js';
import {
  IMPORT_TASK_NAMES,
  isFinished,
  RUN_STATES,
  type RunState,
  TASK_NAMES,
  TRIGGERS,
  type Trigger,
} from '../../domain/run.js';
import { keyLabel } from '../../domain/sources.js';
import { badParameter } from '../http-errors.js';
import { readForm } from '../read-form.js';
import { chartLink, timeTag } from './format.js';
import type { PageContext } from './page-context.js';
import { findRuns, type RunFilter } from './run-filter.js';
import { runDuration, runLink, stateLabel, taskCell } from './run-parts.js';
import { scheduleBlock } from './schedule-forms.js';

/** Runs per page of the grid. */
const PAGE = 50;

/**
 * `/runs`: a grid like Airflow's (a row per run, a cell per task coloured by state, with its
 * duration), filters by chart, state and trigger, and the buttons that capture now and pause or
 * resume the schedule: plain forms posting to `/runs/trigger` and `/schedule/*`, which answer
 * with a redirect back, so they work without JavaScript.
 */
export function runsRoutes(pages: Hono, ctx: PageContext): void {
  const { app } = ctx;
  pages.get('/runs', async (c) => {
    const filter = readFilter(c);
    const [runs, schedule, keys] = await Promise.all([
      findRuns(app, { ...filter, limit: PAGE + 1 }),
      app.scheduleState(),
      app.listChartKeys(),
    ]);
    const shown = runs.slice(0, PAGE);
    const older = runs.length > PAGE ? shown.at(-1)?.id : undefined;
    const tasks = [
      ...TASK_NAMES,
      ...(shown.some((r) => r.trigger === 'import') ? IMPORT_TASK_NAMES : []),
    ];
    const chartChoices = new Map<string, ChartKey>();
    for (const key of [...app.config.charts, ...keys]) chartChoices.set(keyLabel(key), key);
    // Reloading makes sense only while a serve runs them; otherwise they would wait forever.
    const live = schedule.serving && shown.some((run) => !isFinished(run));
    const query = (extra: Record<string, string>) =>
      `?${new URLSearchParams({
        ...(filter.key ? { chart: filter.key.chartId } : {}),
        ...(filter.states?.[0] ? { state: filter.states[0] } : {}),
        ...(filter.trigger ? { trigger: filter.trigger } : {}),
        ...extra,
      })}`;
    return c.html(
      ctx.page(
        { title: 'Runs', section: 'runs' },
        html`<h1>Runs</h1>
<section aria-labelledby="actions-h" class="actions"><h2 id="actions-h" class="visually-hidden">Actions</h2>
${scheduleBlock(schedule, ctx.timeZone, '/runs')}
${
  app.config.charts.length > 0
    ? html`<div class="run-now">${app.config.charts.map(
        (key) => html`<form method="post" action="/runs/trigger" class="inline">
<input type="hidden" name="chart" value="${key.chartId}">
<button type="submit">Run ${key.chartId} now</button></form>`,
      )}</div>`
    : ''
}
</section>
<form method="get" action="/runs" class="filters" aria-label="Filter runs">
  <label>Chart <select name="chart"><option value="">all</option>${[...chartChoices.values()].map(
    (key) =>
      html`<option value="${key.chartId}"${filter.key && keyLabel(filter.key) === keyLabel(key) ? html` selected` : ''}>${key.chartId}</option>`,
  )}</select></label>
  <label>State <select name="state"><option value="">all</option>${RUN_STATES.map(
    (state) =>
      html`<option${filter.states?.includes(state) ? html` selected` : ''}>${state}</option>`,
  )}</select></label>
  <label>Trigger <select name="trigger"><option value="">all</option>${TRIGGERS.map(
    (trigger) =>
      html`<option${filter.trigger === trigger ? html` selected` : ''}>${trigger}</option>`,
  )}</select></label>
  <button type="submit">Filter</button>
</form>
${
  shown.length === 0
    ? html`<p>No runs${filter.key || filter.states || filter.trigger ? ' match these filters' : ' yet'}.</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Runs">
<table class="runs-grid"${live ? html` data-live="3"` : ''}>
<thead><tr><th scope="col">Run</th><th scope="col">Chart</th><th scope="col">Trigger</th><th scope="col">Created</th><th scope="col">State</th><th scope="col">Took</th>
${tasks.map((name) => html`<th scope="col" class="task-h">${name}</th>`)}</tr></thead>
<tbody>
${shown.map(
  (run) => html`<tr data-run="${run.id}" data-state="${run.state}">
<td>${runLink(run)}</td>
<td>${chartLink(run, keys)}${run.chartDate ? html` <span class="hint">${run.chartDate}</span>` : ''}</td>
<td>${run.trigger}</td>
<td>${timeTag(run.createdAt, ctx.timeZone)}</td>
<td>${stateLabel(run.state)}</td>
<td class="num">${runDuration(run)}</td>
${tasks.map((name) => taskCell(run.tasks.find((t) => t.name === name)))}
</tr>`,
)}
</tbody></table></div>
${live ? html`<p class="hint" role="status">Runs are under way: this page refreshes itself every few seconds (reload it without JavaScript).</p>` : ''}
${older ? html`<p><a href="/runs${query({ before: older })}">Older runs</a></p>` : ''}`
}`,
      ),
    );
  });

  pages.post('/runs/trigger', async (c) => {
    const form = await readForm(c.req.raw);
    const chart = form.get('chart') ?? '';
    const key = chart === '' ? undefined : parseChartKey(chart);
    if (key === null) throw badParameter('chart', 'expected a chart id such as a playlist id.');
    await app.trigger({ keys: key ? [key] : undefined, trigger: 'api' });
    return c.redirect('/runs', 303);
  });
  pages.post('/schedule/pause', async (c) => {
    await app.pause();
    return c.redirect(backTo(await readForm(c.req.raw)), 303);
  });
  pages.post('/schedule/resume', async (c) => {
    await app.resume();
    return c.redirect(backTo(await readForm(c.req.raw)), 303);
  });
}

/** Where a button sends the browser back to: one of the pages that have it. */
function backTo(form: URLSearchParams): string {
  return form.get('back') === '/' ? '/' : '/runs';
}

/** The grid's filters from the query; a value that is none of the choices answers 400. */
function readFilter(c: Context): Omit<RunFilter, 'limit'> {
  const filter: Omit<RunFilter, 'limit'> = {};
  const chart = c.req.query('chart')?.trim();
  if (chart) {
    const key = parseChartKey(chart);
    if (!key) throw badParameter('chart', 'expected a chart id such as a playlist id.');
    filter.key = key;
  }
  const state = c.req.query('state');
  if (state) {
    if (!(RUN_STATES as readonly string[]).includes(state)) {
      throw badParameter('state', `expected one of ${RUN_STATES.join(', ')}.`);
    }
    filter.states = [state as RunState];
  }
  const trigger = c.req.query('trigger');
  if (trigger) {
    if (!(TRIGGERS as readonly string[]).includes(trigger)) {
      throw badParameter('trigger', `expected one of ${TRIGGERS.join(', ')}.`);
    }
    filter.trigger = trigger as Trigger;
  }
  const before = c.req.query('before');
  if (before) {
    if (!/^[A-Za-z0-9:._-]{1,100}$/.test(before)) {
      throw badParameter('before', 'expected the id of the last run of the page before.');
    }
    filter.before = before;
  }
  return filter;
}
