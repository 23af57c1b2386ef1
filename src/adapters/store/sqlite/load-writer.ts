import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { Database } from './driver.js';
import { addonPath } from './driver.js';

/**
 * What a large load writes, on a thread of its own (see LoadWriter): the charts and tracks as
 * plain rows, the entries as a table of numbers with their texts apart, so that a batch of tens
 * of thousands of entries crosses threads as two buffers and a few thousand strings instead of
 * being cloned value by value.
 */
export interface LoadBatch {
  charts: {
    /** The charts row of a new chart (insertChart's parameters); null when entries are added. */
    row: object | null;
    /** The chart's key and date, to find a stored chart to add to (chartId's parameters). */
    at: object;
    label: string;
    entries: number;
    /** Whether its entries' values are those of SPARSE_ENTRY_COLUMNS (else ENTRY_COLUMNS). */
    sparse: boolean;
  }[];
  tracks: { track: object; artists: string[] }[];
  /**
   * Per chart, its entries' values one after another, as wide as its columns (their chart's id is
   * set by the writer): plain arrays cross threads much cheaper than an object per entry, and one
   * per chart stays small enough to die young (a batch's whole would go to V8's old generation).
   */
  values: unknown[][];
}

/** What the writer thread needs: the file, its connection's settings, the statements' SQL. */
interface WriterSetup {
  driver: string;
  nativeBinding: string | undefined;
  file: string;
  timeout: number;
  pragmas: string[];
  sql: {
    chartId: string;
    insertChart: string;
    /** INSERTs of `rowsPerInsert` entries and of one, with every column and sparse. */
    insertEntries: { full: [string, string]; sparse: [string, string] };
    upsertTrack: string;
    insertTrackArtist: string;
  };
  rowsPerInsert: number;
  /** The values per entry of a full and of a sparse insert. */
  widths: { full: number; sparse: number };
}

type WriterReply = { ok: true } | { ok: false; message: string; code: string | undefined };

/**
 * The writer thread's whole program. It is sent to the thread as source text (a bundle has no
 * file of its own for it), so it uses nothing from outside its body but `require` and must stay
 * plain JavaScript once its types are stripped. Each batch is one IMMEDIATE transaction: written
 * whole or not at all. After a batch fails, no later batch is written, so a load never goes on
 * past a gap.
 */
function writerThread(): void {
  const { parentPort, workerData } =
    require('node:worker_threads') as typeof import('node:worker_threads');
  const setup = workerData as WriterSetup;
  const Driver = require(setup.driver) as typeof import('better-sqlite3');
  const db = new Driver(setup.file, { timeout: setup.timeout, nativeBinding: setup.nativeBinding });
  for (const pragma of setup.pragmas) db.pragma(pragma);
  const chartId = db.prepare(setup.sql.chartId);
  const insertChart = db.prepare(setup.sql.insertChart);
  const upsertTrack = db.prepare(setup.sql.upsertTrack);
  const insertTrackArtist = db.prepare(setup.sql.insertTrackArtist);
  const { rowsPerInsert, widths } = setup;
  // Each statement with the one array of values it is run with, refilled every time.
  const insert = (sql: string, values: number) => ({
    statement: db.prepare(sql),
    values: new Array(values).fill(null),
  });
  const full = setup.sql.insertEntries.full;
  const sparse = setup.sql.insertEntries.sparse;
  const inserts = {
    full: [insert(full[0], widths.full * rowsPerInsert), insert(full[1], widths.full)],
    sparse: [insert(sparse[0], widths.sparse * rowsPerInsert), insert(sparse[1], widths.sparse)],
  };

  const write = db.transaction((batch: LoadBatch) => {
    let values: unknown[] = [];
    let at = 0;
    // The next `count` values into `row`, from its start, every `width`-th (the chart's id) `id`.
    const take = (row: unknown[], count: number, width: number, id: number) => {
      for (let c = 0; c < count; c++, at++) row[c] = values[at];
      for (let c = 0; c < count; c += width) row[c] = id;
    };
    for (const [c, chart] of batch.charts.entries()) {
      values = batch.values[c] as unknown[];
      at = 0;
      let id: number;
      if (chart.row === null) {
        const found = chartId.get(chart.at) as { id: number } | undefined;
        if (!found) throw new Error(`${chart.label} is not stored, so nothing can be added to it`);
        id = found.id;
      } else id = Number(insertChart.run(chart.row).lastInsertRowid);
      const [many, one] = chart.sparse ? inserts.sparse : inserts.full;
      const width = chart.sparse ? widths.sparse : widths.full;
      let e = 0;
      for (; e + rowsPerInsert <= chart.entries; e += rowsPerInsert) {
        take(many!.values, width * rowsPerInsert, width, id);
        many!.statement.run(many!.values);
      }
      for (; e < chart.entries; e++) {
        take(one!.values, width, width, id);
        one!.statement.run(one!.values);
      }
    }
    for (const { track, artists } of batch.tracks) {
      upsertTrack.run(track);
      for (const artist of artists) insertTrackArtist.run(artist, (track as { id: string }).id);
    }
  });

  let failed = false;
  const port = parentPort as NonNullable<typeof parentPort>;
  port.on('message', (message: LoadBatch | 'close') => {
    if (message === 'close') {
      db.close();
      port.close();
      return;
    }
    let reply: WriterReply = { ok: true };
    if (failed) {
      reply = { ok: false, message: 'not written: an earlier batch failed', code: undefined };
    } else {
      try {
        write.immediate(message);
      } catch (error) {
        failed = true;
        const { message: text, code } = error as { message: string; code?: string };
        reply = { ok: false, message: String(text), code };
      }
    }
    port.postMessage(reply);
  });
}

/**
 * Batches sent and not yet written, at most: enough to keep the thread busy through a slow commit
 * (a WAL checkpoint), memory bounded. Eight of SqliteStore.chartsPerWrite, about 12,800 entries.
 */
const MAX_IN_FLIGHT = 8;

/**
 * Writes a large load's batches on a worker thread with its own connection to the store, while
 * the calling thread reads and derives the next ones: the two halves of an import then run on
 * two cores. Batches are written in the order sent. The first failure (a batch SQLite refused, or
 * the thread dying) is kept and thrown by every later call, so a load stops at the first batch
 * not written. The store's own connection must not write while a writer is open.
 */
export class LoadWriter {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;
  /** The chart labels of each batch sent and not yet written, oldest first. */
  private readonly inFlight: { batch: number; labels: Set<string> }[] = [];
  private sent = 0;
  private written = 0;
  private failure: Error | null = null;
  private wakers: (() => void)[] = [];
  private closing = false;

  constructor(
    db: Database.Database,
    sql: WriterSetup['sql'],
    shape: Pick<WriterSetup, 'rowsPerInsert' | 'widths'>,
    loadPragmas: readonly string[],
  ) {
    const setup: WriterSetup = {
      ...shape,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      nativeBinding: addonPath(),
      file: db.name,
      timeout: db.pragma('busy_timeout', { simple: true }) as number,
      // The thread's connection behaves as the store's own, plus the load's settings.
      pragmas: [
        `synchronous = ${db.pragma('synchronous', { simple: true })}`,
        `foreign_keys = ${db.pragma('foreign_keys', { simple: true })}`,
        ...loadPragmas,
      ],
      sql,
    };
    // Loaded here, not with the module: every command opening a SQLite store loads this file, and
    // only large loads start a thread (worker_threads costs a command about a millisecond).
    const { Worker } = createRequire(import.meta.url)(
      'node:worker_threads',
    ) as typeof import('node:worker_threads');
    this.worker = new Worker(`(${writerThread.toString()})()`, {
      eval: true,
      workerData: setup,
      // It keeps nothing between batches: a small heap is all it needs (V8 would let it grow).
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    this.exited = new Promise((done) => this.worker.once('exit', done));
    this.worker.on('message', (reply: WriterReply) => {
      this.inFlight.shift();
      this.written += 1;
      if (!reply.ok) {
        this.fail(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      }
      this.wake();
    });
    this.worker.on('error', (error: Error & { code?: unknown }) => {
      // Kept as SQLite coded it (a full disk, a file it cannot open), so it is reported as such.
      const stopped = new Error(`the store's writer thread stopped: ${error.message}`, {
        cause: error,
      });
      this.fail(Object.assign(stopped, error.code ? { code: error.code } : {}));
    });
    this.worker.on('exit', (code) => {
      if (!this.closing || this.written < this.sent) {
        this.fail(new Error(`the store's writer thread stopped unexpectedly (exit code ${code})`));
      }
    });
  }

  /** Sends a batch, once fewer than MAX_IN_FLIGHT are waiting; throws the first failure. */
  async write(batch: LoadBatch): Promise<void> {
    await this.until(() => this.sent - this.written < MAX_IN_FLIGHT);
    this.inFlight.push({ batch: this.sent, labels: new Set(batch.charts.map((c) => c.label)) });
    this.sent += 1;
    this.worker.postMessage(batch);
  }

  /** Waits until the charts labelled so are written (at once if none is being written). */
  async writtenAll(labels: readonly string[]): Promise<void> {
    const last = this.inFlight.findLast((sent) => labels.some((label) => sent.labels.has(label)));
    await this.until(() => last === undefined || this.written > last.batch);
  }

  /** Waits until every batch sent is written; throws the first failure. */
  settled(): Promise<void> {
    return this.until(() => this.written === this.sent);
  }

  /** Waits for what was sent, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    try {
      await this.settled();
    } finally {
      this.closing = true;
      // Queued after any batch still there (refused, after a failure); ignored by a dead thread.
      this.worker.postMessage('close');
      await this.exited;
    }
  }

  private async until(done: () => boolean): Promise<void> {
    while (!this.failure && !done()) await new Promise<void>((wake) => this.wakers.push(wake));
    if (this.failure) throw this.failure;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
