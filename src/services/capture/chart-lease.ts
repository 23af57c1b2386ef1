import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChartKey } from '../../domain/chart.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { Coordination, Lease } from '../../domain/ports/coordination.js';
import { ownerIsDeadHere } from '../../lib/lease-owner.js';

/** How long a capture's lease lasts unless renewed; a holder that died frees it after this. */
export const CHART_LEASE_MS = 60_000;

/** The lease that lets one capture of a chart run at a time, across every process. */
export function chartLeaseName(key: ChartKey): string {
  return `capture/${key.source}/${key.chartId}`;
}

/**
 * A unique owner name for one holding of a lease: this host and process (so a holder that died
 * on this host can be recognised at once) and a random part (so two jobs in one process differ).
 */
export function newLeaseOwner(): string {
  return `${hostname()}#${process.pid}#${randomUUID().slice(0, 8)}`;
}

/**
 * Whether the holder of a lease is gone: its time is up, or it names a process on this host
 * that no longer exists (a crash or kill -9 then costs no wait).
 */
export function holderIsGone(lease: Lease | null, now: Date = new Date()): boolean {
  return (
    lease === null || Date.parse(lease.expiresAt) <= now.getTime() || ownerIsDeadHere(lease.owner)
  );
}

export type LeaseResult =
  | { held: true; lease: HeldLease; tookOverFrom: string | null }
  | { held: false; holder: Lease };

/**
 * Takes a lease, first freeing it if its holder is a process on this host that has died (a
 * crash or kill -9 then costs no wait); a holder on another host frees it when its time is up.
 */
export async function takeLease(
  store: Coordination,
  name: string,
  ttlMs: number = CHART_LEASE_MS,
  warn: (line: string) => void = () => {},
): Promise<LeaseResult> {
  const owner = newLeaseOwner();
  let lease = await store.acquireLease(name, owner, ttlMs);
  if (lease.owner === owner)
    return { held: true, lease: new HeldLease(store, lease, ttlMs, warn), tookOverFrom: null };
  const previous = lease.owner;
  if (!ownerIsDeadHere(previous)) return { held: false, holder: lease };
  await store.releaseLease(name, previous);
  lease = await store.acquireLease(name, owner, ttlMs);
  if (lease.owner !== owner) return { held: false, holder: lease };
  return { held: true, lease: new HeldLease(store, lease, ttlMs, warn), tookOverFrom: previous };
}

/** A lease this process holds: renewed in the background until released. */
export class HeldLease {
  private readonly timer: NodeJS.Timeout;
  /** A renewal under way; a release waits for it, so that it cannot take the lease back after. */
  private renewing: Promise<void> | null = null;

  /**
   * `warn` hears of a lease lost to another process (this one could not renew it in time) and of
   * a release that failed (the lease then simply runs out).
   */
  constructor(
    private readonly store: Coordination,
    readonly lease: Lease,
    private readonly ttlMs: number,
    private readonly warn: (line: string) => void = () => {},
  ) {
    this.timer = setInterval(
      () => {
        this.renewing ??= this.renew(ttlMs).finally(() => {
          this.renewing = null;
        });
      },
      Math.max(10, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  private async renew(ttlMs: number): Promise<void> {
    try {
      const now = await this.store.acquireLease(this.lease.name, this.lease.owner, ttlMs);
      if (now.owner === this.lease.owner) return;
      clearInterval(this.timer);
      this.warn(
        `lost the lease ${this.lease.name} to ${now.owner}: it could not be renewed within ${Math.ceil(ttlMs / 1000)} s, so a capture of the same chart may be running alongside this one`,
      );
    } catch {
      // A store hiccup: the next renewal tries again, well before the lease runs out.
    }
  }

  /**
   * Stops renewing and frees the lease. Never throws: it runs after the work it guarded, whose
   * outcome must not be replaced by a store that went away meanwhile. A lease that could not be
   * freed runs out by itself within its time; false then, and `warn` is told.
   */
  async release(): Promise<boolean> {
    clearInterval(this.timer);
    await this.renewing;
    try {
      await this.store.releaseLease(this.lease.name, this.lease.owner);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.warn(
        `could not free the lease ${this.lease.name} (${reason}); it runs out within ${Math.ceil(this.ttlMs / 1000)} s`,
      );
      return false;
    }
  }
}

/**
 * Runs `work` while holding the chart's lease, so it never overlaps a capture of the same chart
 * by `serve` or a worker; waits up to `waitMs` for one in progress to end.
 */
export async function withChartLease<T>(
  store: Coordination,
  key: ChartKey,
  work: () => Promise<T>,
  options: { waitMs?: number; pollMs?: number; warn?: (line: string) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  const warn = options.warn ?? (() => {});
  for (;;) {
    let taken: LeaseResult;
    try {
      taken = await takeLease(store, chartLeaseName(key), CHART_LEASE_MS, warn);
    } catch {
      // The store cannot be reached: nothing can coordinate through it now, so the capture goes
      // ahead alone (a store with an outbox keeps what it fetched); its own writes will say why.
      return work();
    }
    if (taken.held) {
      try {
        return await work();
      } finally {
        await taken.lease.release();
      }
    }
    if (Date.now() >= deadline) {
      const [host, pid] = taken.holder.owner.split('#');
      throw new ChartkeeperError(
        'chart-busy',
        `A capture of ${key.chartId} is already running (process ${pid} on ${host}) and did not finish in time.`,
        {
          hint: 'Let it finish (see chartkeeper runs), then try again; while `chartkeeper serve` runs, `chartkeeper trigger` queues a capture instead.',
          permanent: true,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
