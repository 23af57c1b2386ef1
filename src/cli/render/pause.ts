import type { PauseState } from '../../services/schedule-state.js';

/** One line saying whether the schedule runs. */
export function renderPauseState(state: PauseState): string {
  return state.paused
    ? `Schedule paused since ${state.since}. Scheduled slots are recorded as missed until \`chartkeeper resume\`; manual triggers still run.`
    : 'Schedule running.';
}
