import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ChartkeeperError } from '../../domain/errors.js';

/** Longer than any refresh may take (its retries included): a lock this old was left behind. */
const ABANDONED_AFTER_MS = 10 * 60_000;
const POLL_MS = 50;
/** Writing the holder takes microseconds; a lock file left empty this long was abandoned. */
const EMPTY_LOCK_GRACE_MS = 5_000;
/** How long to wait for another process's refresh before giving up with a message. */
const WAIT_LIMIT_MS = 5 * 60_000;

interface Holder {
  pid: number;
  host: string;
  since: number;
}

/**
 * A lock file (created with O_EXCL) that serialises work across the processes of a machine. A
 * lock whose holder is no longer running (killed mid-refresh) is taken over at once; one from
 * another host (a shared home folder) only once it is older than any refresh can be.
 */
export class FileLock {
  // Work of this process queues here, so that two of its own callers never race for the file.
  private local: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly options: { waitLimitMs?: number } = {},
  ) {}

  /** Runs `work` holding the lock; the lock is released whatever `work` does. */
  hold<T>(work: () => Promise<T>): Promise<T> {
    const run = this.local.then(async () => {
      await this.acquire();
      try {
        return await work();
      } finally {
        await rm(this.path, { force: true });
      }
    });
    this.local = run.catch(() => {});
    return run;
  }

  private async acquire(): Promise<void> {
    const deadline = Date.now() + (this.options.waitLimitMs ?? WAIT_LIMIT_MS);
    for (;;) {
      if (await this.tryCreate()) return;
      const holder = await this.holder();
      if (holder ? this.abandoned(holder) : await this.leftEmpty()) {
        await rm(this.path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ChartkeeperError(
          'config',
          `the credentials file is locked by another chartkeeper (${this.path}${holder ? `, process ${holder.pid} on ${holder.host}` : ''})`,
          {
            hint: 'Wait for that process to finish; if none is running, delete the lock file.',
            permanent: false,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async tryCreate(): Promise<boolean> {
    try {
      const handle = await open(this.path, 'wx', 0o600);
      const holder: Holder = { pid: process.pid, host: hostname(), since: Date.now() };
      await handle.writeFile(JSON.stringify(holder));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new ChartkeeperError(
        'config',
        `cannot create the lock file ${this.path}: ${(error as Error).message}`,
        { hint: 'Check that the credentials folder is writable.', permanent: true },
      );
    }
  }

  /** Who holds the lock; null while it is being written or already gone. */
  private async holder(): Promise<Holder | null> {
    try {
      const value = JSON.parse(await readFile(this.path, 'utf8')) as Partial<Holder>;
      if (typeof value.pid !== 'number' || typeof value.since !== 'number') return null;
      return { pid: value.pid, host: String(value.host), since: value.since };
    } catch {
      return null;
    }
  }

  /** A lock file still without its holder a while after it was made: its maker died writing it. */
  private async leftEmpty(): Promise<boolean> {
    const made = await stat(this.path).then(
      (info) => info.mtimeMs,
      () => null,
    );
    return made !== null && Date.now() - made > EMPTY_LOCK_GRACE_MS;
  }

  private abandoned(holder: Holder): boolean {
    if (Date.now() - holder.since > ABANDONED_AFTER_MS) return true;
    if (holder.host !== hostname()) return false;
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (error) {
      // EPERM: the process exists but is another user's.
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
}
