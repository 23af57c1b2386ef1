import { describe, expect, it } from 'vitest';
import { newRun } from '../domain/run.js';
import { deferRun, RunTransitionError, startRun } from '../domain/run-transitions.js';
import { storeRecordSchema } from './record-schemas.js';

describe('storeRecordSchema', () => {
  it('reads back a deferred run as exported (an export of a store with one imports again)', () => {
    const run = newRun({
      id: 'd1',
      key: { source: 'spotify-playlist', chartId: '5FN6Ego7eLX6zHuCMovIR2' },
      trigger: 'schedule',
      createdAt: '2026-11-29T00:00:00.000Z',
      scheduledFor: '2026-11-29T00:00:00.000Z',
    });
    const error = {
      code: 'spotify-quota' as const,
      message: "Spotify's quota is exhausted until 2026-11-29 13:36 UTC",
      hint: null,
      permanent: true,
    };
    deferRun(run, '2026-11-29', error, '2026-11-29T00:00:01.000Z');
    const record = JSON.parse(JSON.stringify({ type: 'run', run }));
    expect(storeRecordSchema.parse(record)).toStrictEqual({ type: 'run', run });
    expect(run).toMatchObject({ state: 'deferred', chartDate: '2026-11-29', error });
    // Only a run that has not started may be deferred; a deferred run is final.
    expect(() => deferRun(run, '2026-11-29', error, '2026-11-29T00:00:02.000Z')).toThrow(
      RunTransitionError,
    );
    const running = newRun({ id: 'r1', key: run, trigger: 'manual', createdAt: run.createdAt });
    startRun(running, '2026-11-29', '2026-11-29T00:00:00.000Z');
    expect(() => deferRun(running, '2026-11-29', error, '2026-11-29T00:00:01.000Z')).toThrow(
      /cannot be deferred/,
    );
  });

  it('refuses a state no chartkeeper writes', () => {
    const run = newRun({
      id: 'x1',
      key: { source: 'spotify-playlist', chartId: '5FN6Ego7eLX6zHuCMovIR2' },
      trigger: 'manual',
      createdAt: '2026-11-29T00:00:00.000Z',
    });
    expect(
      storeRecordSchema.safeParse({ type: 'run', run: { ...run, state: 'postponed' } }).success,
    ).toBe(false);
  });
});
