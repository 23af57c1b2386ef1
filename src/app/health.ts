import type { AppContext } from './context.js';

/** Whether one dependency answers, and if not, why (secrets masked). */
export interface Reachability {
  ok: boolean;
  /** What it is, safe to show: "sqlite", "bullmq", "in-process". */
  kind: string;
  error?: string;
}

/** Whether `serve` can do its work: its store and its queue answer. */
export interface Readiness {
  ready: boolean;
  store: Reachability;
  queue: Reachability;
}

/** How long a dependency may take to answer a readiness check. */
const CHECK_MS = 3_000;

/**
 * Asks the store (a read of the scheduler's state) and the queue (a ping; none without one: the
 * queue is this process) whether they answer, both at once, each within a few seconds.
 */
export async function readiness(ctx: AppContext): Promise<Readiness> {
  const [store, queue] = await Promise.all([
    check(ctx, ctx.store.kind, () => ctx.coordination.getState('schedule.paused')),
    ctx.config.queue.url
      ? check(ctx, 'bullmq', async () => (await ctx.executor()).ping())
      : Promise.resolve({ ok: true, kind: 'in-process' }),
  ]);
  return { ready: store.ok && queue.ok, store, queue };
}

async function check(
  ctx: AppContext,
  kind: string,
  probe: () => Promise<unknown>,
): Promise<Reachability> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_MS} ms`)), CHECK_MS);
  });
  try {
    await Promise.race([probe(), timeUp]);
    return { ok: true, kind };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, kind, error: ctx.redactor.redact(message) };
  } finally {
    clearTimeout(timer);
  }
}
