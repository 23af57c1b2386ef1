import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ChartkeeperError } from '../../../domain/errors.js';
import type { StoreRecord } from '../../../domain/ports/record-export.js';
import { describeIssues } from '../../../lib/describe-issues.js';
import { storeRecordSchema } from '../../../lib/record-schemas.js';

/** What the outbox keeps: captures and runs that could not be written to the store. */
export type OutboxRecord = Extract<StoreRecord, { type: 'capture' | 'run' }>;

const FILE = /^(capture|run)-[\w.-]+\.json$/;

/** What waits in the outbox for a store: its records, and what is there for other stores. */
export interface Pending {
  records: OutboxRecord[];
  /** Files that cannot be read as a record (they stay, and are reported, never deleted). */
  damaged: { file: string; problem: string }[];
  /** Records kept for other stores (the outbox directory is shared): how many, per store. */
  elsewhere: { store: string; records: number }[];
}

/**
 * A directory of JSON files, one per record, on the local disk. Each file is written to a
 * temporary name, flushed to disk and renamed, so a crash leaves either the whole record or none.
 * A run is one file however often it is saved: the newest state replaces the older. Each file
 * names the store it waits for, so that an outbox directory shared by processes with different
 * stores never writes one store's captures into another.
 */
export class Outbox {
  readonly dir: string;

  /** `store` names the store this outbox keeps records for ("sqlite /path/chartkeeper.db"). */
  constructor(
    dir: string,
    readonly store: string,
  ) {
    this.dir = resolve(dir);
  }

  /**
   * Makes sure the outbox can be used before anything is fetched: a path that is a file, or a
   * directory whose parent does not exist, is refused now rather than when a capture needs it.
   */
  static checkPlace(path: string): void {
    const dir = resolve(path);
    const parent = dirname(dir);
    const problem = existsSync(dir)
      ? statSync(dir).isDirectory()
        ? null
        : 'is not a directory'
      : existsSync(parent) && statSync(parent).isDirectory()
        ? null
        : `cannot be created: ${parent} does not exist`;
    if (problem) {
      throw new ChartkeeperError('config', `The outbox (CHARTKEEPER_OUTBOX) ${dir} ${problem}.`, {
        hint: 'Point CHARTKEEPER_OUTBOX at a directory, or at a new one inside an existing directory.',
        permanent: true,
      });
    }
  }

  /** Keeps a record durably. Throws (naming the directory) when the disk refuses. */
  put(record: OutboxRecord): void {
    const path = join(this.dir, fileName(record));
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      // The outbox directory itself, when first needed; never its parents.
      if (!existsSync(this.dir)) mkdirSync(this.dir);
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, JSON.stringify({ ...record, store: this.store }));
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

  /** How many files wait, for this store or any other. */
  count(): number {
    return this.files().length;
  }

  /**
   * What waits for this store, captures oldest first, then runs oldest first (records written
   * before files named their store count as this store's); and what cannot be read or waits for
   * another store.
   */
  pending(): Pending {
    const records: OutboxRecord[] = [];
    const damaged: Pending['damaged'] = [];
    const elsewhere = new Map<string, number>();
    for (const name of this.files()) {
      const read = this.read(name);
      if ('problem' in read) damaged.push({ file: join(this.dir, name), problem: read.problem });
      else if (read.store !== undefined && read.store !== this.store) {
        elsewhere.set(read.store, (elsewhere.get(read.store) ?? 0) + 1);
      } else records.push(read.record);
    }
    const captures = records.filter((r) => r.type === 'capture');
    const runs = records.filter((r) => r.type === 'run');
    captures.sort((a, b) => a.capture.capturedAt.localeCompare(b.capture.capturedAt));
    runs.sort((a, b) => a.run.createdAt.localeCompare(b.run.createdAt));
    return {
      records: [...captures, ...runs],
      damaged,
      elsewhere: [...elsewhere].map(([store, count]) => ({ store, records: count })),
    };
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

  private read(name: string): { record: OutboxRecord; store?: string } | { problem: string } {
    try {
      const { store, ...record } = JSON.parse(readFileSync(join(this.dir, name), 'utf8'));
      const parsed = storeRecordSchema.safeParse(record);
      if (!parsed.success) return { problem: describeIssues(parsed.error) };
      if (parsed.data.type === 'chart') return { problem: 'a chart record does not belong here' };
      if (store !== undefined && typeof store !== 'string') return { problem: 'store is not text' };
      return { record: parsed.data, store };
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
