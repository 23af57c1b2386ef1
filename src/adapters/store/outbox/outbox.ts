import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { ChartkeeperError } from '../../../domain/errors.js';
import type { StoreRecord } from '../../../domain/ports/record-export.js';
import { describeIssues } from '../../../lib/describe-issues.js';
import { storeRecordSchema } from '../../../lib/record-schemas.js';

/** What the outbox keeps: captures and runs that could not be written to the store. */
export type OutboxRecord = Extract<StoreRecord, { type: 'capture' | 'run' }>;

const FILE = /^(capture|run)-[\w.-]+\.json$/;

/**
 * A directory of JSON files, one per record, on the local disk. Each file is written to a
 * temporary name, flushed to disk and renamed, so a crash leaves either the whole record or none.
 * A run is one file however often it is saved: the newest state replaces the older.
 */
export class Outbox {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Keeps a record durably. Throws (naming the directory) when the disk refuses. */
  put(record: OutboxRecord): void {
    const path = join(this.dir, fileName(record));
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, JSON.stringify(record));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // The directory itself is unusable; the error below says so.
      }
      throw new ChartkeeperError(
        'outbox-unwritable',
        `Cannot write to the outbox ${this.dir}: ${(error as Error).message}`,
        {
          hint: 'Free disk space or point CHARTKEEPER_OUTBOX at a writable directory.',
          cause: error,
        },
      );
    }
  }

  /** How many records wait. */
  count(): number {
    return this.files().length;
  }

  /**
   * Every waiting record, captures oldest first, then runs oldest first; and the files that
   * cannot be read as a record (they stay, and are reported, never deleted).
   */
  pending(): { records: OutboxRecord[]; damaged: { file: string; problem: string }[] } {
    const records: OutboxRecord[] = [];
    const damaged: { file: string; problem: string }[] = [];
    for (const name of this.files()) {
      const read = this.read(name);
      if ('problem' in read) damaged.push({ file: join(this.dir, name), problem: read.problem });
      else records.push(read.record);
    }
    const captures = records.filter((r) => r.type === 'capture');
    const runs = records.filter((r) => r.type === 'run');
    captures.sort((a, b) => a.capture.capturedAt.localeCompare(b.capture.capturedAt));
    runs.sort((a, b) => a.run.createdAt.localeCompare(b.run.createdAt));
    return { records: [...captures, ...runs], damaged };
  }

  /** Forgets a record once the store holds it. */
  remove(record: OutboxRecord): void {
    rmSync(join(this.dir, fileName(record)), { force: true });
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => FILE.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private read(name: string): { record: OutboxRecord } | { problem: string } {
    try {
      const parsed = storeRecordSchema.safeParse(
        JSON.parse(readFileSync(join(this.dir, name), 'utf8')),
      );
      if (!parsed.success) return { problem: describeIssues(parsed.error) };
      if (parsed.data.type === 'chart') return { problem: 'a chart record does not belong here' };
      return { record: parsed.data };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
}

function fileName(record: OutboxRecord): string {
  const id = record.type === 'capture' ? record.capture.id : record.run.id;
  // Ids are UUIDs in practice; anything else is hashed so it cannot escape the directory.
  const safe = /^[\w.-]{1,100}$/.test(id) ? id : createHash('sha256').update(id).digest('hex');
  return `${record.type}-${safe}.json`;
}
