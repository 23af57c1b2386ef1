import type { FlushReport } from '../adapters/store/outbox/outbox-writer.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { sweepInterrupted } from './sweep.js';

export type { FlushReport } from '../adapters/store/outbox/outbox-writer.js';

/** Writes what waits in the outbox into the store; says how much still waits if it cannot. */
export async function flushOutbox(ctx: AppContext): Promise<FlushReport & { outbox: string }> {
  const writer = ctx.outbox;
  if (!writer) throw new Error('flushing needs write access');
  const dir = writer.outbox.dir;
  await sweepInterrupted(ctx);
  try {
    const waiting = writer.outbox.count();
    const report = waiting
      ? await writer.flush()
      : { captures: 0, charts: 0, runs: 0, failed: [], elsewhere: [] };
    return { ...report, outbox: dir };
  } catch (error) {
    if (!(error instanceof ChartkeeperError)) throw error;
    const left = writer.outbox.pending().records.length;
    throw new ChartkeeperError(
      error.code,
      `${error.message.replace(/\.$/, '')}. ${left} record${left === 1 ? '' : 's'} still wait in the outbox ${dir}.`,
      { hint: error.hint, permanent: error.permanent },
    );
  }
}
