import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Run, RunError } from '../../domain/run.js';
import { chartLink, duration, timeTag } from './format.js';
import type { Html } from './layout.js';
import { type PageContext, pathValue } from './page-context.js';
import { runDuration, stateLabel } from './run-parts.js';

/** `/runs/:id` (a full id or its first characters): task timeline, attempts, errors with hints, logs. */
export function runRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/runs/:id', async (c) => {
    const id = pathValue(c.req.param('id'), 'run');
    if (!/^[0-9A-Za-z_.:-]+$/.test(id)) return c.notFound();
    const [run, stored] = await Promise.all([ctx.app.findRun(id), ctx.app.listChartKeys()]);
    const tz = ctx.timeZone;
    return c.html(
      ctx.page(
        { title: `Run ${run.id.slice(0, 8)}`, section: 'runs' },
        html`<p class="crumbs"><a href="/runs">Runs</a> ›</p>
<h1>Run <code>${run.id.slice(0, 8)}</code> ${stateLabel(run.state)}</h1>
<dl class="facts">
  <dt>Run</dt><dd><code>${run.id}</code></dd>
  <dt>Chart</dt><dd>${chartLink(run, stored, run.chartDate ?? 'latest')} <span class="hint">${run.source}</span></dd>
  <dt>Chart date</dt><dd>${run.chartDate ?? '–'}</dd>
  <dt>Trigger</dt><dd>${run.trigger}${run.scheduledFor ? html`, slot ${timeTag(run.scheduledFor, tz)}` : ''}</dd>
  <dt>Created</dt><dd>${timeTag(run.createdAt, tz)}</dd>
  <dt>Started</dt><dd>${timeTag(run.startedAt, tz)}</dd>
  <dt>Finished</dt><dd>${timeTag(run.finishedAt, tz)}</dd>
  <dt>Took</dt><dd>${runDuration(run)}</dd>
  <dt>Entries</dt><dd>${run.entryCount ?? '–'}</dd>
</dl>
${run.error ? errorBlock(run.error, 'The run failed') : ''}
<h2>Timeline</h2>
${timeline(run)}
<h2>Tasks</h2>
${run.tasks.map(
  (task) => html`<section class="task-detail" aria-label="${task.name}">
<h3>${task.name} ${stateLabel(task.state)}</h3>
<p>${task.attempts} attempt${task.attempts === 1 ? '' : 's'}${
    task.startedAt ? html`; started ${timeTag(task.startedAt, tz)}` : ''
  }${duration(task.startedAt, task.finishedAt) ? `; took ${duration(task.startedAt, task.finishedAt)}` : ''}.</p>
${task.error ? errorBlock(task.error, 'Error') : ''}
${
  task.logs.length > 0
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="${task.name} log"><pre class="log">${task.logs.map(
        (line) =>
          html`<span class="log-${line.level}">${line.at.slice(11, 23)} ${line.level.padEnd(5)} ${line.message}</span>\n`,
      )}</pre></div>`
    : html`<p class="hint">No log lines.</p>`
}
</section>`,
)}`,
      ),
    );
  });
}

function errorBlock(error: RunError, title: string): Html {
  return html`<div class="error-box" role="note"><p><strong>${title}:</strong> ${error.message} <span class="hint">(${error.code}${error.permanent ? ', retrying cannot help' : ''})</span></p>
${error.hint ? html`<p class="hint">What to do: ${error.hint}</p>` : ''}</div>`;
}

/**
 * Each task as a bar from its start to its end, scaled to the run: a row per task with its name
 * as page text (readable at any width) beside an SVG that stretches to the room left and holds
 * only the bar. SVG attributes place the bars: the Content Security Policy allows no inline style.
 */
function timeline(run: Run): Html {
  const started = run.tasks.filter((t) => t.startedAt);
  if (started.length === 0) return html`<p class="hint">No task has started.</p>`;
  const from = Math.min(...started.map((t) => Date.parse(t.startedAt as string)));
  const ends = started.map((t) => Date.parse(t.finishedAt ?? t.startedAt ?? ''));
  const to = Math.max(from + 1, ...ends);
  const width = 1000;
  const scale = (ms: number) => ((ms - from) / (to - from)) * (width - 4);
  return html`<figure class="timeline" aria-label="Task timeline of run ${run.id.slice(0, 8)}"><ol>
${run.tasks.map((task) => {
  const start = task.startedAt ? scale(Date.parse(task.startedAt)) : 0;
  const end = task.finishedAt ? scale(Date.parse(task.finishedAt)) : start;
  const took = duration(task.startedAt, task.finishedAt);
  const said = `${task.state}${took ? `, ${took}` : ''}`;
  return html`<li><span class="tl-label">${task.name}<span class="visually-hidden">: ${said}</span></span>
<svg viewBox="0 0 ${width} 20" preserveAspectRatio="none" aria-hidden="true"><rect x="${start.toFixed(1)}" y="0" width="${Math.max(4, end - start).toFixed(1)}" height="20" class="bar state-${task.state}"><title>${task.name}: ${said}</title></rect></svg></li>`;
})}
</ol><figcaption class="hint">From the first task's start to the last one's end: ${duration(new Date(from).toISOString(), new Date(to).toISOString())}.</figcaption></figure>`;
}
