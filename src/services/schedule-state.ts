import type { ChartKey } from '../domain/chart.js';
import type { ChartStore } from '../domain/ports.js';

// Store settings the scheduler keeps; the names are part of the stored data, never renamed.
const PAUSED = 'schedule.paused';
const HEARTBEAT = 'serve.heartbeat';
const lastSlotKey = (key: ChartKey) => `schedule.last-slot/${key.source}/${key.chartId}`;
const checkedSlotKey = (key: ChartKey) => `schedule.checked-slot/${key.source}/${key.chartId}`;
const waitingKey = (key: ChartKey, slot: Date) =>
  `schedule.waiting/${key.source}/${key.chartId}/${slot.toISOString()}`;

/** Whether the schedule is paused, and since when (ISO 8601). */
export interface PauseState {
  paused: boolean;
  since: string | null;
}

/** Pauses scheduled captures for every scheduler sharing the store, until resumed. */
export async function pauseSchedule(
  store: ChartStore,
  now: Date = new Date(),
): Promise<PauseState> {
  const current = await pauseState(store);
  if (current.paused) return current;
  await store.setSetting(PAUSED, now.toISOString());
  return { paused: true, since: now.toISOString() };
}

/** Lets scheduled captures run again. */
export async function resumeSchedule(store: ChartStore): Promise<PauseState> {
  await store.setSetting(PAUSED, null);
  return { paused: false, since: null };
}

export async function pauseState(store: ChartStore): Promise<PauseState> {
  const since = await store.getSetting(PAUSED);
  return { paused: since !== null, since };
}

/** The latest schedule slot handled for a chart (captured or recorded as missed). */
export async function lastSlot(store: ChartStore, key: ChartKey): Promise<Date | null> {
  const value = await store.getSetting(lastSlotKey(key));
  return value === null ? null : new Date(value);
}

export async function setLastSlot(store: ChartStore, key: ChartKey, slot: Date): Promise<void> {
  await store.setSetting(lastSlotKey(key), slot.toISOString());
}

/**
 * The slot up to which a chart's slots have been checked for runs, so that the ones nobody
 * captured are recorded as missed once; null before the first check.
 */
export async function checkedSlot(store: ChartStore, key: ChartKey): Promise<Date | null> {
  const value = await store.getSetting(checkedSlotKey(key));
  return value === null ? null : new Date(value);
}

export async function setCheckedSlot(store: ChartStore, key: ChartKey, slot: Date): Promise<void> {
  await store.setSetting(checkedSlotKey(key), slot.toISOString());
}

/**
 * Notes that a job for this slot exists but was put off (another capture held the chart), so
 * that a later slot's job does not take the slot for one nobody captured.
 */
export async function markSlotWaiting(store: ChartStore, key: ChartKey, slot: Date): Promise<void> {
  await store.setSetting(waitingKey(key, slot), 'postponed');
}

/** Whether a job for this slot was put off and has not been handled since. */
export async function slotWaiting(store: ChartStore, key: ChartKey, slot: Date): Promise<boolean> {
  return (await store.getSetting(waitingKey(key, slot))) !== null;
}

/** Clears the note of markSlotWaiting once the slot's job is handled. */
export async function clearSlotWaiting(
  store: ChartStore,
  key: ChartKey,
  slot: Date,
): Promise<void> {
  await store.setSetting(waitingKey(key, slot), null);
}

/** Where a running `serve` says it is alive. */
export interface Heartbeat {
  at: string;
  owner: string;
}

export async function beat(
  store: ChartStore,
  owner: string,
  now: Date = new Date(),
): Promise<void> {
  await store.setSetting(HEARTBEAT, JSON.stringify({ at: now.toISOString(), owner }));
}

/** The latest heartbeat of any `serve` on this store, or null if none ever ran. */
export async function lastHeartbeat(store: ChartStore): Promise<Heartbeat | null> {
  const value = await store.getSetting(HEARTBEAT);
  if (value === null) return null;
  try {
    return JSON.parse(value) as Heartbeat;
  } catch {
    return null;
  }
}
