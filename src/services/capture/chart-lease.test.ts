import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import { ownerIsDeadHere } from '../../lib/lease-owner.js';
import { storeWith } from '../../test-support/store-faults.js';
import { chartLeaseName, takeLease, withChartLease } from './chart-lease.js';

const KEY = { source: 'spotify-playlist', chartId: '5FN6Ego7eLX6zHuCMovIR2' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('chart leases (real SQLite file)', () => {
  let dir: string;
  let path: string;
  let store: ChartStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-lease-'));
    path = join(dir, 'store.db');
    store = SqliteStore.open(path);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets one capture of a chart run at a time, across two connections', async () => {
    const other = SqliteStore.open(path);
    const spans: [number, number][] = [];
    const work = async () => {
      const start = Date.now();
      await sleep(150);
      spans.push([start, Date.now()]);
    };
    await Promise.all([
      withChartLease(store, KEY, work, { pollMs: 20 }),
      withChartLease(other, KEY, work, { pollMs: 20 }),
    ]);
    await other.close();
    spans.sort((a, b) => a[0] - b[0]);
    expect(spans).toHaveLength(2);
    expect(spans[1]![0]).toBeGreaterThanOrEqual(spans[0]![1]);
  });

  it('gives up with an explanation when the chart stays busy', async () => {
    await store.acquireLease(chartLeaseName(KEY), `${hostname()}#${process.pid}#busy`, 60_000);
    await expect(
      withChartLease(store, KEY, async () => 'ran', { waitMs: 50, pollMs: 10 }),
    ).rejects.toMatchObject({
      code: 'chart-busy',
      message: expect.stringMatching(/already running \(process \d+ on /),
    });
  });

  it('takes over at once from a holder on this host that has died, and renews while held', async () => {
    const dead = `${hostname()}#${2 ** 22 + 9}#gone`;
    expect(ownerIsDeadHere(dead)).toBe(true);
    expect(ownerIsDeadHere(`${hostname()}#${process.pid}#alive`)).toBe(false);
    expect(ownerIsDeadHere(`another-host#${2 ** 22 + 9}#far`)).toBe(false);
    await store.acquireLease(chartLeaseName(KEY), dead, 60_000);
    const taken = await takeLease(store, chartLeaseName(KEY), 3_000);
    expect(taken.held && taken.tookOverFrom).toBe(dead);
    if (!taken.held) return;
    const first = Date.parse(taken.lease.lease.expiresAt);
    // Renewed every third of its time: still ours, and later than it first was.
    for (;;) {
      const now = await store.getLease(chartLeaseName(KEY));
      expect(now?.owner).toBe(taken.lease.lease.owner);
      if (Date.parse(now?.expiresAt ?? '') > first) break;
      await sleep(50);
    }
    const now = await store.acquireLease(chartLeaseName(KEY), 'someone-else', 60_000);
    expect(now.owner).toBe(taken.lease.lease.owner);
    await taken.lease.release();
    expect((await store.acquireLease(chartLeaseName(KEY), 'someone-else', 60_000)).owner).toBe(
      'someone-else',
    );
  });

  it("never replaces the work's outcome when the lease cannot be given up", async () => {
    const warnings: string[] = [];
    const flaky = storeWith(store, ['releaseLease']).store;
    await expect(
      withChartLease(flaky, KEY, async () => 'captured', { warn: (line) => warnings.push(line) }),
    ).resolves.toBe('captured');
    await expect(
      withChartLease(
        flaky,
        { ...KEY, chartId: 'another-chart' },
        async () => {
          throw new Error('the capture failed');
        },
        { warn: (line) => warnings.push(line) },
      ),
    ).rejects.toThrow('the capture failed');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /could not free the lease capture\/.+unreachable.+runs out within 60 s/,
    );

    const taken = await takeLease(flaky, 'other-lease', 5_000);
    expect(taken.held && (await taken.lease.release())).toBe(false);
  });
});
