import { CronSchedule } from '../lib/cron.js';
import {
  type PauseState,
  pauseSchedule,
  pauseState,
  resumeSchedule,
  serveIsAlive,
} from '../services/scheduling/schedule-state.js';
import type { AppContext } from './context.js';

/** The schedule as a user sees it: when, whether paused, and whether a `serve` runs it. */
export interface ScheduleState extends PauseState {
  cron: string;
  timezone: string;
  /** The next slot (ISO 8601), or null if the expression never fires again. */
  next: string | null;
  /** Whether a `serve` said it was alive in the last few seconds. */
  serving: boolean;
}

/** Pauses scheduled captures for every `serve` on this store, until resumed. */
export async function pause(ctx: AppContext): Promise<ScheduleState> {
  await pauseSchedule(ctx.coordination);
  return scheduleState(ctx);
}

/** Lets scheduled captures run again. */
export async function resume(ctx: AppContext): Promise<ScheduleState> {
  await resumeSchedule(ctx.coordination);
  return scheduleState(ctx);
}

export async function scheduleState(ctx: AppContext): Promise<ScheduleState> {
  const { schedule, timezone } = ctx.config;
  const next = new CronSchedule(schedule, timezone).next(new Date());
  return {
    ...(await pauseState(ctx.coordination)),
    cron: schedule,
    timezone,
    next: next?.toISOString() ?? null,
    serving: await serveIsAlive(ctx.coordination),
  };
}
