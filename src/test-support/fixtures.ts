import { createHash, randomUUID } from 'node:crypto';
import type { Capture } from '../domain/capture.js';
import type { ChartEntry, ChartKey, ChartSnapshot } from '../domain/chart.js';
import { newRun, type Run } from '../domain/run.js';

/** The key most tests use: the original system's playlist. */
export const TEST_KEY: ChartKey = { source: 'spotify', chartId: '5FN6Ego7eLX6zHuCMovIR2' };

let clock = Date.parse('2026-01-01T06:00:00.000Z');

/** A fresh ISO timestamp, later than every earlier one, so default orderings are predictable. */
export function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

/** sha256 of a payload's JSON, as a capture's content hash. */
export function hashPayload(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

/** A capture of TEST_KEY; the content hash follows the payload unless given. */
export function makeCapture(overrides: Partial<Capture> = {}): Capture {
  const payload = 'payload' in overrides ? overrides.payload : { playlist: { id: 'p' }, pages: [] };
  return {
    id: randomUUID(),
    ...TEST_KEY,
    runId: null,
    capturedAt: nextTimestamp(),
    chartDate: '2026-01-01',
    version: null,
    ...overrides,
    payload,
    contentHash: overrides.contentHash ?? hashPayload(payload),
  };
}

/** An entry for `trackId` at `position`, fully populated; override fields to test edge cases. */
export function makeEntry(
  position: number,
  trackId: string,
  overrides: Partial<ChartEntry> = {},
): ChartEntry {
  return {
    position,
    trackId,
    uri: `spotify:track:${trackId}`,
    name: `Track ${trackId}`,
    artists: [{ id: `artist-${trackId}`, name: `Artist ${trackId}` }],
    album: {
      id: `album-${trackId}`,
      name: `Album ${trackId}`,
      releaseDate: '2025-05-01',
      imageUrl: null,
    },
    durationMs: 180_000 + position,
    explicit: position % 2 === 0,
    isrc: `USRC1${String(position).padStart(7, '0')}`,
    addedAt: '2026-01-01T00:00:00Z',
    streams: null,
    previousPosition: null,
    movement: 'new',
    daysOnChart: 1,
    peak: position,
    ...overrides,
  };
}

/** A chart of `key` on `chartDate` listing `trackIds` in order (position 1 first). */
export function makeChart(
  key: ChartKey,
  chartDate: string,
  trackIds: readonly string[],
  overrides: Partial<ChartSnapshot> = {},
): ChartSnapshot {
  return {
    ...key,
    chartDate,
    title: 'Top 50 - Global',
    captureId: randomUUID(),
    runId: null,
    capturedAt: `${chartDate}T06:00:00.000Z`,
    entries: trackIds.map((id, index) => makeEntry(index + 1, id)),
    skipped: [],
    ...overrides,
  };
}

/** A queued manual run of TEST_KEY with every task pending. */
export function makeRun(overrides: Partial<Run> = {}): Run {
  const run = newRun({
    id: randomUUID(),
    key: TEST_KEY,
    trigger: 'manual',
    createdAt: nextTimestamp(),
  });
  return { ...run, ...overrides };
}
