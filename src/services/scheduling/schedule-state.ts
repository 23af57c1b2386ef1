import type { ChartKey } from '../../domain/chart.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import { keyLabel } from '../../domain/sources.js';

/** Whether the schedule is paused, and since when (ISO 8601). */
export interface PauseState {
  paused: boolean;
  since: string | null;
}

/** How often `serve` says it is alive (and looks for manually triggered runs). */
export const HEARTBEAT_MS = 1_000;
/** A `serve` silent for longer than this is taken to be gone. */
export const HEARTBEAT_STALE_MS = 5 * HEARTBEAT_MS;

/** Pauses scheduled captures for every scheduler sharing the store, until resumed. */
export async function pauseSchedule(
  store: Coordination,
  now: Date = new Date(),
): Promise<PauseState> {
  const current = await pauseState(store);
  if (current.paused) return current;
  await store.setState('schedule.paused', now.toISOString());
  return { paused: true, since: now.toISOString() };
}

/** Lets scheduled captures run again. */
export async function resumeSchedule(store: Coordination): Promise<PauseState> {
  await store.setState('schedule.paused', null);
  return { paused: false, since: null };
}

export async function pauseState(store: Coordination): Promise<PauseState> {
  const since = await store.getState('schedule.paused');
  return { paused: since !== null, since };
}

/** The latest schedule slot handled for a chart (captured or recorded as missed). */
export async function lastSlot(store: Coordination, key: ChartKey): Promise<Date | null> {
  return asDate(await store.getState('schedule.last-slot', keyLabel(key)));
}

export async function setLastSlot(store: Coordination, key: ChartKey, slot: Date): Promise<void> {
  await store.setState('schedule.last-slot', slot.toISOString(), keyLabel(key));
}

/**
 * The slot up to which a chart's slots have been checked for runs, so that the ones nobody
 * captured are recorded as missed once; null before the first check.
 */
export async function checkedSlot(store: Coordination, key: ChartKey): Promise<Date | null> {
  return asDate(await store.getState('schedule.checked-slot', keyLabel(key)));
}

export async function setCheckedSlot(
  store: Coordination,
  key: ChartKey,
  slot: Date,
): Promise<void> {
  await store.setState('schedule.checked-slot', slot.toISOString(), keyLabel(key));
}

/**
 * Notes that a job for this slot exists but was put off (another capture held the chart), so
 * that a later slot's job does not take the slot for one nobody captured.
 */
export async function markSlotWaiting(
  store: Coordination,
  key: ChartKey,
  slot: Date,
): Promise<void> {
  await store.setState('schedule.waiting', 'postponed', waitingScope(key, slot));
}

/** Whether a job for this slot was put off and has not been handled since. */
export async function slotWaiting(
  store: Coordination,
  key: ChartKey,
  slot: Date,
): Promise<boolean> {
  return (await store.getState('schedule.waiting', waitingScope(key, slot))) !== null;
}

/** Clears the note of markSlotWaiting once the slot's job is handled. */
export async function clearSlotWaiting(
  store: Coordination,
  key: ChartKey,
  slot: Date,
): Promise<void> {
  await store.setState('schedule.waiting', null, waitingScope(key, slot));
}

/** Says that a `serve` is alive. */
export async function beat(
  store: Coordination,
  owner: string,
  now: Date = new Date(),
): Promise<void> {
  await store.setState('serve.heartbeat', { at: now.toISOString(), owner });
}

/** Whether some `serve` said it was alive recently enough to pick up a queued run. */
export async function serveIsAlive(store: Coordination, now: Date = new Date()): Promise<boolean> {
  const heartbeat = await store.getState('serve.heartbeat');
  if (heartbeat === null || typeof heartbeat !== 'object') return false;
  return now.getTime() - Date.parse(heartbeat.at) < HEARTBEAT_STALE_MS;
}

function waitingScope(key: ChartKey, slot: Date): string {
  return `${keyLabel(key)}/${slot.toISOString()}`;
}

function asDate(value: string | null): Date | null {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
