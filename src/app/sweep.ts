import { hasCode } from '../domain/errors.js';
import { sweepInterruptedRuns } from '../services/scheduling/interrupted-runs.js';
import type { AppContext } from './context.js';

/**
 * Marks runs whose process died (kill -9, power loss) as interrupted, so that none stays
 * `running` forever. Every use case that writes to the store calls it first. A store that cannot
 * be reached is left for later: the capture under way must not wait on it.
 */
export async function sweepInterrupted(ctx: AppContext): Promise<void> {
  try {
    await sweepInterruptedRuns({ ...ctx, timezone: ctx.config.timezone });
  } catch (error) {
    if (!hasCode(error, 'store-unavailable')) throw error;
    ctx.logger.debug(`runs left unfinished were not checked: ${(error as Error).message}`);
  }
}
