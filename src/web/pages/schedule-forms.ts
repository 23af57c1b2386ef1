import { html } from 'hono/html';
import type { ScheduleState } from '../../app/schedule.js';
import { timeTag } from './format.js';
import type { Html } from './layout.js';

/** The schedule in a sentence, with the button that pauses or resumes it (a form: works without JS). */
export function scheduleBlock(schedule: ScheduleState, timeZone: string, back: string): Html {
  return html`<div class="schedule ${schedule.paused ? 'paused' : 'running'}">
<p>Schedule <code>${schedule.cron}</code> in ${schedule.timezone}:
${
  schedule.paused
    ? html`<strong class="state state-paused">paused</strong> since ${timeTag(schedule.since, timeZone)}.`
    : html`<strong class="state state-running">running</strong>, next slot ${timeTag(schedule.next, timeZone)}.`
}
${schedule.serving ? '' : html`<span class="hint">No <code>chartkeeper serve</code> is running the schedule right now.</span>`}</p>
<form method="post" action="${schedule.paused ? '/schedule/resume' : '/schedule/pause'}" class="inline">
  <input type="hidden" name="back" value="${back}">
  <button type="submit">${schedule.paused ? 'Resume schedule' : 'Pause schedule'}</button>
</form>
</div>`;
}
