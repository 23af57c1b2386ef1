import { describe, expect, it } from 'vitest';
import { derivedFromScratch, plainEntries as entries } from '../test-support/derivation.js';
import { KeyDerivation } from './derivation.js';

/** A seeded generator, so that a failing case is the same on every run. */
function seeded(start: number): () => number {
  let seed = start;
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Derives `charts` from `from` on, checking each against a scan of all earlier charts. */
function expectAsFromScratch(derivation: KeyDerivation, charts: string[][], from: number): void {
  for (let index = from; index < charts.length; index++) {
    const derived = derivation.next(entries(charts[index] ?? [])).map((e) => ({
      trackId: e.trackId,
      previousPosition: e.previousPosition,
      movement: e.movement,
      daysOnChart: e.daysOnChart,
      peak: e.peak,
    }));
    expect(derived, `chart ${index}`).toEqual(derivedFromScratch(charts, index));
  }
}

describe('KeyDerivation', () => {
  it('derives every chart of a key in date order as a scan of all earlier charts would', () => {
    const random = seeded(7);
    const pool = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const charts = Array.from({ length: 60 }, () =>
      [...pool].sort(() => random() - 0.5).slice(0, 5 + Math.floor(random() * 10)),
    );
    expectAsFromScratch(new KeyDerivation(), charts, 0);
  });

  it('stays right as it comes to hold more tracks than it first makes room for', () => {
    const random = seeded(11);
    // A chart carrying on from the one before, with newcomers: over 1,000 tracks in all.
    const charts: string[][] = [];
    let next = 0;
    let chart = Array.from({ length: 150 }, () => `t${next++}`);
    for (let day = 0; day < 40; day++) {
      chart = chart.filter(() => random() > 0.15);
      while (chart.length < 150) chart.splice(Math.floor(random() * chart.length), 0, `t${next++}`);
      charts.push(chart);
    }
    expectAsFromScratch(new KeyDerivation(), charts, 0);
    expect(next).toBeGreaterThan(1_000);

    // Started from the first 20 charts as a store would give them, on from there.
    const tracks = new Map<string, { days: number; peak: number }>();
    for (const ids of charts.slice(0, 20)) {
      ids.forEach((id, i) => {
        const so = tracks.get(id);
        tracks.set(id, { days: (so?.days ?? 0) + 1, peak: Math.min(so?.peak ?? i + 1, i + 1) });
      });
    }
    const previous = new Map((charts[19] ?? []).map((id, i) => [id, i + 1]));
    expectAsFromScratch(new KeyDerivation({ tracks, previous }), charts, 20);
  });

  it('starts from what earlier stored charts say', () => {
    const derivation = new KeyDerivation({
      tracks: new Map([
        ['a', { days: 3, peak: 2 }],
        ['z', { days: 1, peak: 9 }],
      ]),
      previous: new Map([['a', 4]]),
    });
    const [a, z, n] = derivation.next(entries(['a', 'z', 'n']));
    expect([a?.movement, a?.previousPosition, a?.daysOnChart, a?.peak]).toEqual(['up', 4, 4, 1]);
    expect([z?.movement, z?.daysOnChart, z?.peak]).toEqual(['re-entry', 2, 2]);
    expect([n?.movement, n?.daysOnChart, n?.peak]).toEqual(['new', 1, 3]);
  });

  it('counts a track listed twice on one chart once, at its best position', () => {
    // Listed best first, and (a@3, b@2, a@1) best last.
    for (const first of [entries(['a', 'b', 'a']), entries(['a', 'b', 'a']).reverse()]) {
      const derivation = new KeyDerivation();
      derivation.next(first);
      const [b, a] = derivation.next(entries(['b', 'a']));
      expect([a?.previousPosition, a?.daysOnChart, a?.movement]).toEqual([1, 2, 'down']);
      expect([b?.previousPosition, b?.daysOnChart, b?.movement]).toEqual([2, 2, 'up']);
    }
  });
});
