import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { Run } from '../../domain/run.js';
import { EventBus } from '../../lib/event-bus.js';
import { silentLogger } from '../../lib/silent-logger.js';
import { makeRun } from '../../test-support/fixtures.js';
import { sweepInterruptedRuns } from './interrupted-runs.js';

describe('sweepInterruptedRuns', () => {
  it('marks a run whose holder is gone interrupted, and tells the event listeners', async () => {
    const store = SqliteStore.open(':memory:');
    const orphan = makeRun({
      state: 'running',
      trigger: 'manual',
      startedAt: '2026-01-01T06:00:00.000Z',
      chartDate: '2026-01-01',
    });
    await store.saveRun(orphan);
    const events = new EventBus();
    const finished: Run[] = [];
    events.on('run-finished', ({ run }) => finished.push(run));

    const marked = await sweepInterruptedRuns({
      ledger: store,
      coordination: store,
      timezone: 'UTC',
      logger: silentLogger,
      events,
      clock: () => new Date('2026-01-01T07:00:00.000Z'),
    });

    expect(marked.map((run) => run.id)).toStrictEqual([orphan.id]);
    const stored = await store.getRun(orphan.id);
    expect(stored?.state).toBe('failed');
    expect(stored?.error?.code).toBe('interrupted');
    expect(finished.map((run) => [run.id, run.state])).toStrictEqual([[orphan.id, 'failed']]);
    await store.close();
  });
});
