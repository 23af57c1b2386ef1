import type { ScheduleState } from '../../app/schedule.js';
import { localTimeWithZone } from '../../lib/local-time.js';

/** A line or two saying whether and when the schedule runs. */
export function renderScheduleState(state: ScheduleState): string {
  const next = state.next
    ? `next slot ${localTimeWithZone(state.next, state.timezone)}`
    : 'no further slot';
  const serving = state.serving
    ? ''
    : '\nNo `chartkeeper serve` is running on this store: nothing is captured on schedule until one starts.';
  return state.paused
    ? `Schedule paused since ${localTimeWithZone(state.since, state.timezone)}. Scheduled slots are recorded as missed until \`chartkeeper resume\`; manual triggers still run.${serving}`
    : `Schedule running ("${state.cron}" in ${state.timezone}, ${next}).${serving}`;
}
