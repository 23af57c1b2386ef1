import type { Capture } from '../../../domain/capture.js';
import type { ChartKey } from '../../../domain/chart.js';
import { ChartkeeperError, hasCode } from '../../../domain/errors.js';
import type { CaptureHead, CaptureLog } from '../../../domain/ports/capture-log.js';
import type { RunLedger, RunQuery } from '../../../domain/ports/run-ledger.js';
import { isLaterState, type Run } from '../../../domain/run.js';
import type { Outbox, OutboxRecord } from './outbox.js';

export interface OutboxWriterOptions {
  /** After the store was found unreachable, how long to go straight to the outbox. */
  retryAfterMs?: number;
  now?: () => number;
  /**
   * Called for each capture written from the outbox with the date it was captured for, e.g. to
   * build that day's chart; returns whether it stored a chart.
   */
  onCaptureFlushed?: (capture: Capture, chartDate: string) => Promise<boolean>;
}

/** What a flush wrote. */
export interface FlushReport {
  captures: number;
  charts: number;
  runs: number;
  /**
   * Records the store refused for another reason than being unreachable, and files that are not
   * records; they stay in the outbox.
   */
  failed: { type: 'capture' | 'run' | 'file'; id: string; message: string }[];
  /** Records that wait in the same directory for other stores; left alone. */
  elsewhere: { store: string; records: number }[];
}

/** 30 s: one run of several charts waits for an unreachable server once, not once per write. */
const RETRY_AFTER_MS = 30_000;

/**
 * The capture log and the run ledger of a store, with a local outbox in front of their writes, so
 * that nothing fetched is lost while the store is down: a capture the store cannot take is kept
 * in the outbox (and the error still thrown, so the run fails and says so); a run is kept there
 * silently, as the ledger must not stop a capture. Whatever waits is written first by the next
 * write once the store answers, or by `flush()`. After a failure the store is not asked again for
 * a while, so that one outage costs one wait, not one per call.
 */
export class OutboxWriter implements CaptureLog, RunLedger {
  private readonly retryAfterMs: number;
  private readonly now: () => number;
  /** Until when the store counts as unreachable, and the error that said so. */
  private down: { until: number; error: ChartkeeperError } | null = null;
  /** Unknown at first; true after a put, false after a complete flush. */
  private mayHavePending = true;

  constructor(
    private readonly inner: CaptureLog & RunLedger,
    readonly outbox: Outbox,
    private readonly options: OutboxWriterOptions = {},
  ) {
    this.retryAfterMs = options.retryAfterMs ?? RETRY_AFTER_MS;
    this.now = options.now ?? Date.now;
  }

  async saveCapture(capture: Capture): Promise<{ capture: Capture; created: boolean }> {
    // Older captures first, so the store's order of saving stays the order of capturing.
    await this.flushQuietly();
    try {
      this.throwIfDown();
      return await this.inner.saveCapture(capture);
    } catch (error) {
      this.put({ type: 'capture', capture });
      this.noteFailure(error);
      throw kept(error, `Capture ${capture.id} is kept in the outbox ${this.outbox.dir}`);
    }
  }

  async saveRun(run: Run): Promise<void> {
    await this.flushQuietly();
    try {
      this.throwIfDown();
      await this.inner.saveRun(run);
    } catch (error) {
      if (!hasCode(error, 'store-unavailable')) throw error;
      this.put({ type: 'run', run });
      this.noteFailure(error);
    }
  }

  getCapture(id: string): Promise<Capture | null> {
    return this.guard(() => this.inner.getCapture(id));
  }

  latestCaptureHead(key: ChartKey): Promise<CaptureHead | null> {
    return this.guard(() => this.inner.latestCaptureHead(key));
  }

  getRun(id: string): Promise<Run | null> {
    return this.guard(() => this.inner.getRun(id));
  }

  listRuns(query: RunQuery): Promise<Run[]> {
    return this.guard(() => this.inner.listRuns(query));
  }

  findRunsByPrefix(prefix: string, limit: number): Promise<Run[]> {
    return this.guard(() => this.inner.findRunsByPrefix(prefix, limit));
  }

  /**
   * Writes every waiting record to the store, captures first, each removed from the outbox once
   * stored. Writing is idempotent (a capture id is stored once, a run is replaced), so a flush
   * cut short is simply repeated. A record the store refuses stays and is reported; an
   * unreachable store stops the flush with its error.
   */
  async flush(): Promise<FlushReport> {
    this.mayHavePending = false;
    const { records, damaged, elsewhere } = this.outbox.pending();
    const report: FlushReport = { captures: 0, charts: 0, runs: 0, failed: [], elsewhere };
    for (const { file, problem } of damaged) {
      report.failed.push({ type: 'file', id: file, message: `cannot be read: ${problem}` });
    }
    for (const record of records) {
      try {
        if (record.type === 'capture') await this.flushCapture(record.capture, report);
        else if (await this.isNewer(record.run)) {
          await this.inner.saveRun(record.run);
          report.runs++;
        }
        this.outbox.remove(record);
      } catch (error) {
        if (hasCode(error, 'store-unavailable')) {
          this.mayHavePending = true;
          throw error;
        }
        const id = record.type === 'capture' ? record.capture.id : record.run.id;
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ type: record.type, id, message });
      }
    }
    this.down = null;
    return report;
  }

  /** Whether a waiting run is newer than the store's copy (another process may have moved on). */
  private async isNewer(run: Run): Promise<boolean> {
    const stored = await this.inner.getRun(run.id);
    return stored === null || isLaterState(run, stored);
  }

  private async flushCapture(capture: Capture, report: FlushReport): Promise<void> {
    const saved = await this.inner.saveCapture(capture);
    report.captures++;
    const hook = this.options.onCaptureFlushed;
    if (hook && (await hook(saved.capture, capture.chartDate))) report.charts++;
  }

  private async flushQuietly(): Promise<void> {
    if (!this.mayHavePending || this.isDown()) return;
    if (this.outbox.count() === 0) {
      this.mayHavePending = false;
      return;
    }
    try {
      await this.flush();
    } catch (error) {
      // The write that follows meets the same failure and reports it.
      this.noteFailure(error);
    }
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    this.throwIfDown();
    try {
      return await work();
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  private put(record: OutboxRecord): void {
    this.outbox.put(record);
    this.mayHavePending = true;
  }

  private isDown(): boolean {
    if (this.down && this.now() >= this.down.until) this.down = null;
    return this.down !== null;
  }

  private throwIfDown(): void {
    if (this.isDown()) throw this.down!.error;
  }

  private noteFailure(error: unknown): void {
    if (hasCode(error, 'store-unavailable')) {
      this.down = { until: this.now() + this.retryAfterMs, error };
    }
  }
}

/** The store's error, extended with where the capture waits and what will write it. */
function kept(error: unknown, where: string): ChartkeeperError {
  const cause = error instanceof ChartkeeperError ? error : null;
  const reason = error instanceof Error ? error.message : String(error);
  return new ChartkeeperError(
    cause?.code ?? 'store-error',
    `${reason.replace(/\.$/, '')}. ${where}; the next run or \`chartkeeper flush\` writes it.`,
    { hint: cause?.hint ?? null, permanent: false, cause: error },
  );
}
