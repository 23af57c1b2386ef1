import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChartkeeperError } from '../../../domain/errors.js';
import { makeCapture, makeRun } from '../../../test-support/fixtures.js';
import { Outbox } from './outbox.js';

const STORE = 'sqlite /test/store.db';

describe('Outbox (files on disk)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps records across instances, captures oldest first, then runs', () => {
    const later = makeCapture({ capturedAt: '2026-01-02T06:00:00.000Z' });
    const earlier = makeCapture({ capturedAt: '2026-01-01T06:00:00.000Z' });
    const run = makeRun();
    const outbox = new Outbox(join(dir, 'outbox'), STORE);
    expect(outbox.count()).toBe(0);
    expect(outbox.pending().records).toStrictEqual([]);
    outbox.put({ type: 'run', run });
    outbox.put({ type: 'capture', capture: later });
    outbox.put({ type: 'capture', capture: earlier });

    const again = new Outbox(join(dir, 'outbox'), STORE);
    expect(again.count()).toBe(3);
    expect(again.pending().records).toStrictEqual([
      { type: 'capture', capture: earlier },
      { type: 'capture', capture: later },
      { type: 'run', run },
    ]);
    // Written to a temporary name and renamed: nothing half-written stays behind.
    expect(readdirSync(again.dir).filter((name) => name.endsWith('.tmp'))).toStrictEqual([]);
  });

  it("keeps each store's records apart, and never creates the directory's parents", () => {
    const ours = new Outbox(dir, STORE);
    const theirs = new Outbox(dir, 'mongodb mongodb://db.example/other');
    const mine = makeCapture();
    ours.put({ type: 'capture', capture: mine });
    theirs.put({ type: 'capture', capture: makeCapture() });
    theirs.put({ type: 'run', run: makeRun() });
    // Written before files named their store: taken as this store's.
    const legacy = makeRun();
    writeFileSync(join(dir, `run-${legacy.id}.json`), JSON.stringify({ type: 'run', run: legacy }));
    expect(ours.pending()).toStrictEqual({
      records: [
        { type: 'capture', capture: mine },
        { type: 'run', run: legacy },
      ],
      damaged: [],
      elsewhere: [{ store: 'mongodb mongodb://db.example/other', records: 2 }],
    });

    const orphan = catchError(() =>
      new Outbox(join(dir, 'missing', 'outbox'), STORE).put({ type: 'run', run: makeRun() }),
    );
    expect(orphan).toBeInstanceOf(ChartkeeperError);
    expect(readdirSync(dir)).not.toContain('missing');
  });

  it('keeps one file per run, the newest state replacing the older, and forgets removed records', () => {
    const outbox = new Outbox(dir, STORE);
    const run = makeRun();
    const failed = { ...run, state: 'failed' as const };
    outbox.put({ type: 'run', run });
    outbox.put({ type: 'run', run: failed });
    expect(outbox.pending().records).toStrictEqual([{ type: 'run', run: failed }]);
    outbox.remove({ type: 'run', run: failed });
    outbox.remove({ type: 'run', run: failed });
    expect(outbox.count()).toBe(0);
  });

  it('never lets an odd id name a file outside the directory', () => {
    const outbox = new Outbox(dir, STORE);
    const capture = makeCapture({ id: '../../escape' });
    outbox.put({ type: 'capture', capture });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)[0]).toMatch(/^capture-[0-9a-f]{64}\.json$/);
    expect(outbox.pending().records).toStrictEqual([{ type: 'capture', capture }]);
  });

  it('reports a damaged or invalid file without losing it, and names an unwritable directory', () => {
    const outbox = new Outbox(dir, STORE);
    const capture = makeCapture();
    outbox.put({ type: 'capture', capture });
    writeFileSync(join(dir, 'capture-x.json'), '{"type":"capture","capt');
    writeFileSync(
      join(dir, 'run-y.json'),
      JSON.stringify({ type: 'run', run: { id: 'y', tasks: [1, 2, 3] } }),
    );
    const { records, damaged } = outbox.pending();
    expect(records).toStrictEqual([{ type: 'capture', capture }]);
    expect(damaged.map((d) => d.file).sort()).toStrictEqual([
      join(dir, 'capture-x.json'),
      join(dir, 'run-y.json'),
    ]);
    expect(damaged.find((d) => d.file.endsWith('run-y.json'))?.problem).toMatch(/run\./);
    expect(readdirSync(dir).sort()).toContain('capture-x.json');

    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const blocked = catchError(() =>
      new Outbox(join(file, 'outbox'), STORE).put({ type: 'run', run: makeRun() }),
    );
    expect(blocked).toMatchObject({ code: 'outbox-unwritable' });
    expect(blocked.message).toContain(join(file, 'outbox'));
  });
});

function catchError(fn: () => unknown): ChartkeeperError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ChartkeeperError) return error;
    throw error;
  }
  throw new Error('expected an error, got none');
}
