import { describe, expect, it } from 'vitest';
import { plainEntries as entries } from '../test-support/derivation.js';
import type { ChartSnapshot, TrackHistory } from './chart.js';
import { applyMovement, tracksMissingFrom } from './movement.js';

function chart(ids: string[], history = new Map<string, TrackHistory>()): ChartSnapshot {
  return {
    source: 's',
    chartId: 'c',
    chartDate: '2026-01-01',
    title: 't',
    captureId: 'x',
    runId: null,
    capturedAt: '2026-01-01T00:00:00Z',
    entries: applyMovement(entries(ids), null, history),
    skipped: [],
  };
}

describe('applyMovement', () => {
  it('marks everything new on a first chart', () => {
    const first = chart(['a', 'b']);
    expect(first.entries.map((e) => [e.movement, e.daysOnChart, e.peak])).toEqual([
      ['new', 1, 1],
      ['new', 1, 2],
    ]);
  });

  it('derives up, down, same, new and re-entry with days and peak', () => {
    const previous = chart(['a', 'b', 'c']);
    const history = new Map([['z', { daysOnChart: 4, peak: 2, lastDate: '2025-12-01' }]]);
    const today = applyMovement(entries(['b', 'a', 'c', 'z', 'n']), previous, history);
    expect(
      today.map((e) => [e.trackId, e.movement, e.previousPosition, e.daysOnChart, e.peak]),
    ).toEqual([
      ['b', 'up', 2, 2, 1],
      ['a', 'down', 1, 2, 1],
      ['c', 'same', 3, 2, 3],
      ['z', 're-entry', null, 5, 2],
      ['n', 'new', null, 1, 5],
    ]);
  });

  it('asks history only for tracks absent from the previous chart, once each', () => {
    expect(tracksMissingFrom(entries(['a', 'x', 'x', 'b']), chart(['a', 'b']))).toEqual(['x']);
  });
});
