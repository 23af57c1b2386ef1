import { Cron } from 'croner';

/** How many slots one look-back may list; a long outage on a per-second schedule stays bounded. */
const MAX_SLOTS = 10_000;

/**
 * A cron expression read in a time zone: 5 fields (minute precision), 6 (with seconds first) or a
 * nickname such as `@daily`. Every part of chartkeeper that computes a due time uses this class,
 * so the scheduler, the missed-slot book and the status commands agree on every slot.
 */
export class CronSchedule {
  private readonly cron: Cron;

  /** Throws an Error whose message says what is wrong with the expression. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    this.cron = new Cron(expression, { timezone, paused: true });
  }

  /** The first slot strictly after `after`, or null if the expression never fires again. */
  next(after: Date): Date | null {
    return this.cron.nextRun(after);
  }

  /** The latest slot at or before `at`, or null if there is none. */
  latest(at: Date): Date | null {
    // previousRuns excludes a slot equal to its reference; one millisecond later includes it.
    return this.cron.previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
  }

  /**
   * Slots strictly after `after` and strictly before `before`, oldest first: the latest `max`
   * of them when there are more.
   */
  between(after: Date, before: Date, max = MAX_SLOTS): Date[] {
    return this.cron
      .previousRuns(max, before)
      .filter((slot) => slot > after && slot < before)
      .reverse();
  }
}

/** Why an expression is not a usable schedule, or null when it is. */
export function cronProblem(expression: string, timezone = 'UTC'): string | null {
  try {
    const schedule = new CronSchedule(expression, timezone);
    if (schedule.next(new Date()) === null) return 'never fires';
    return null;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
  }
}
