import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { Database } from './driver.js';
import { addonPath } from './driver.js';
import { EXTRA_WIDTH, type LoadBatch, MOVEMENTS, NUMBER_WIDTH, TEXT_WIDTH } from './load-batch.js';

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
  /** How LoadBatch lays entries out (see load-batch.ts). */
  layout: { numbers: number; texts: number; extras: number; movements: readonly string[] };
}

/** A batch's outcome, with its numbers' buffer handed back for the next batch. */
type WriterReply = { numbers: ArrayBuffer } & (
  | { ok: true }
  | { ok: false; message: string; code: string | undefined }
);

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

  const { numbers: NUMBERS, texts: TEXTS, extras: EXTRAS, movements } = setup.layout;
  // The texts by slot, TEXTS - 1 values each: track id, URI, name, artists (see EntryTexts).
  const texts: unknown[] = [];
  const WIDTH = TEXTS - 1;
  const orNull = (value: number) => (Number.isNaN(value) ? null : value);

  // Entry `e` of the batch (`inChart` of its chart) into `row` from `at`, in the order of
  // ENTRY_COLUMNS (or, with no extras, SPARSE_ENTRY_COLUMNS); returns where the next one's go.
  const fill = (
    row: unknown[],
    at: number,
    id: number,
    numbers: Float64Array,
    e: number,
    inChart: number,
    extras: unknown[] | null,
  ): number => {
    const n = e * NUMBERS;
    const text = (numbers[n + 1] as number) * WIDTH;
    row[at++] = id;
    row[at++] = numbers[n];
    row[at++] = texts[text];
    row[at++] = texts[text + 1];
    row[at++] = texts[text + 2];
    row[at++] = texts[text + 3];
    if (extras !== null) {
      for (let x = inChart * EXTRAS; x < (inChart + 1) * EXTRAS; x++) row[at++] = extras[x];
    }
    row[at++] = orNull(numbers[n + 2] as number);
    row[at++] = orNull(numbers[n + 3] as number);
    row[at++] = movements[numbers[n + 4] as number];
    row[at++] = numbers[n + 5];
    row[at++] = numbers[n + 6];
    if (extras !== null) {
      row[at++] = orNull(numbers[n + 7] as number);
      row[at++] = orNull(numbers[n + 8] as number);
      row[at++] = orNull(numbers[n + 9] as number);
    }
    return at;
  };

  const write = db.transaction((batch: LoadBatch) => {
    for (let t = 0; t < batch.texts.length; t += TEXTS) {
      const at = (batch.texts[t] as number) * WIDTH;
      for (let v = 0; v < WIDTH; v++) texts[at + v] = batch.texts[t + 1 + v];
    }
    let e = 0;
    for (const chart of batch.charts) {
      let id: number;
      if (chart.row === null) {
        const found = chartId.get(chart.at) as { id: number } | undefined;
        if (!found) throw new Error(`${chart.label} is not stored, so nothing can be added to it`);
        id = found.id;
      } else id = Number(insertChart.run(chart.row).lastInsertRowid);
      const [many, one] = chart.extras === null ? inserts.sparse : inserts.full;
      // The chart's extras are numbered from its first entry.
      const first = e;
      const end = e + chart.entries;
      while (e + rowsPerInsert <= end) {
        let at = 0;
        for (const stop = e + rowsPerInsert; e < stop; e++) {
          at = fill(many!.values, at, id, batch.numbers, e, e - first, chart.extras);
        }
        many!.statement.run(many!.values);
      }
      for (; e < end; e++) {
        fill(one!.values, 0, id, batch.numbers, e, e - first, chart.extras);
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
    const numbers = message.numbers.buffer as ArrayBuffer;
    let reply: WriterReply = { ok: true, numbers };
    if (failed) {
      reply = {
        ok: false,
        message: 'not written: an earlier batch failed',
        code: undefined,
        numbers,
      };
    } else {
      try {
        write.immediate(message);
      } catch (error) {
        failed = true;
        const { message: text, code } = error as { message: string; code?: string };
        reply = { ok: false, message: String(text), code, numbers };
      }
    }
    port.postMessage(reply, [numbers]);
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
  /** Buffers the thread handed back, for the next batches' numbers (see buffer). */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    db: Database.Database,
    sql: WriterSetup['sql'],
    shape: Pick<WriterSetup, 'rowsPerInsert' | 'widths'>,
    loadPragmas: readonly string[],
  ) {
    const setup: WriterSetup = {
      ...shape,
      layout: {
        numbers: NUMBER_WIDTH,
        texts: TEXT_WIDTH,
        extras: EXTRA_WIDTH,
        movements: MOVEMENTS,
      },
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
      // It keeps only the texts between batches (see EntryTexts) and makes little garbage: a
      // small heap is all it needs (V8 would let it grow; a 16 MB young generation cost 15 MB).
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 },
    });
    this.exited = new Promise((done) => this.worker.once('exit', done));
    this.worker.on('message', (reply: WriterReply) => {
      // As many as can be in flight, the largest kept: batches that keep growing leave no pile.
      this.spare.push(reply.numbers);
      this.spare.sort((a, b) => b.byteLength - a.byteLength);
      this.spare.length = Math.min(this.spare.length, MAX_IN_FLIGHT);
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
    // The numbers are handed over, not copied (the buffer is unusable here from now on).
    this.worker.postMessage(batch, [batch.numbers.buffer as ArrayBuffer]);
  }

  /**
   * A buffer of at least `bytes` for a batch's numbers: one handed back if there is one, so that a
   * load reuses the same few instead of leaving a new one per batch to the garbage collector.
   */
  buffer(bytes: number): ArrayBuffer {
    const at = this.spare.findIndex((buffer) => buffer.byteLength >= bytes);
    if (at === -1) return new ArrayBuffer(bytes);
    return this.spare.splice(at, 1)[0] as ArrayBuffer;
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
