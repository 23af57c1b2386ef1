import { html } from 'hono/html';
import type { Run, TaskRecord } from '../../domain/run.js';
import { shortId } from '../../domain/run.js';
import { duration, runPath } from './format.js';
import type { Html } from './layout.js';

/* Pieces of the run pages and the overview: a state as a coloured label, a task as a cell. */

/** A run's or task's state as a coloured label (the colour also has the state in words). */
export function stateLabel(state: string): Html {
  return html`<span class="state state-${state}">${state}</span>`;
}

/** A link to a run, by the first characters of its id (as `chartkeeper runs` shows it). */
export function runLink(run: Run): Html {
  return html`<a class="run-id" href="${runPath(run.id)}"><code>${shortId(run.id)}</code></a>`;
}

/** How long a run took, or has been going. */
export function runDuration(run: Run): string {
  return duration(run.startedAt, run.finishedAt) ?? (run.startedAt ? 'running' : '–');
}

/** One task as a grid cell: coloured by state, with its duration and attempts. */
export function taskCell(task: TaskRecord | undefined): Html {
  if (!task)
    return html`<td class="task none"><span class="visually-hidden">no such task</span></td>`;
  const took = duration(task.startedAt, task.finishedAt);
  const attempts = `, ${task.attempts} attempt${task.attempts === 1 ? '' : 's'}`;
  return html`<td class="task state-${task.state}" title="${task.name}: ${task.state}${took ? `, ${took}` : ''}${attempts}"><span class="cell-state">${task.state}</span>${took ? html`<span class="cell-time">${took}</span>` : ''}</td>`;
}
