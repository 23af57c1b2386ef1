import type { ChartKey } from '../../domain/chart.js';
import { chartDateOf } from '../../domain/chart-date.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { EventSink, Logger } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import { newRun } from '../../domain/run.js';
import { missRun } from '../../domain/run-transitions.js';
import type { CronSchedule } from '../../lib/cron.js';
import { scheduledRunId } from '../../lib/run-ids.js';
import {
  checkedSlot,
  lastSlot,
  pauseState,
  setCheckedSlot,
  setLastSlot,
  slotWaiting,
} from './schedule-state.js';

/** At most this many missed slots are recorded per chart at once; older ones are only counted. */
export const MAX_MISSED_RECORDED = 100;

export interface SlotDependencies {
  ledger: RunLedger;
  coordination: Coordination;
  /** The configured schedule, so slots nobody captured are recorded as missed. */
  schedule: CronSchedule | null;
  timezone: string;
  clock: () => Date;
  logger: Logger;
  /** Hears of each missed run (`run-finished`). */
  events?: EventSink;
}

/**
 * The bookkeeping of schedule slots: each slot of a chart is captured or recorded as `missed`,
 * once. Called for a scheduled job before it captures anything.
 */
export class SlotBook {
  constructor(private readonly deps: SlotDependencies) {}

  /**
   * Records the slots before this one that nobody captured (see recordMissedBefore) and moves the
   * chart's last slot on; true when this slot itself is missed (the schedule is paused, or the
   * slot came after its chart date).
   */
  async recordSlot(key: ChartKey, slot: Date, today: string): Promise<boolean> {
    const { coordination, schedule } = this.deps;
    const previous = await lastSlot(coordination, key);
    if (previous && previous < slot && schedule) {
      await this.recordMissedBefore(schedule, key, previous, slot, today);
    }
    if (!previous || previous < slot) await setLastSlot(coordination, key, slot);

    const pause = await pauseState(coordination);
    if (pause.paused) {
      await this.saveMissed(key, slot, `the schedule was paused (since ${pause.since})`);
      this.deps.logger.info(
        { chartId: key.chartId },
        `${key.chartId} ${slot.toISOString()}: missed, the schedule is paused`,
      );
      return true;
    }
    if (chartDateOf(slot, this.deps.timezone) !== today) {
      await this.saveMissed(
        key,
        slot,
        `its capture could only start on ${today}, and the Web API serves only the current chart`,
      );
      this.deps.logger.warn(
        { chartId: key.chartId },
        `${key.chartId} ${slot.toISOString()}: missed, it came after its chart date`,
      );
      return true;
    }
    return false;
  }

  /**
   * Records as missed the earlier slots that have no run and never will. A slot between
   * `previous` (the newest slot handled before this one) and this one is missed, unless a job of
   * its own was put off while another capture held the chart (this later slot's job took the
   * chart first): that slot is left to its job, if its chart date has not passed. A slot left so
   * is checked again by the next slot's job, when it lies before the newest slot with a run: a
   * slot still without a run by then was not captured.
   */
  private async recordMissedBefore(
    schedule: CronSchedule,
    key: ChartKey,
    previous: Date,
    slot: Date,
    today: string,
  ): Promise<void> {
    const { coordination, timezone, logger } = this.deps;
    const checked = await checkedSlot(coordination, key);
    const settled =
      checked && checked < previous ? schedule.between(checked, previous, MAX_MISSED_RECORDED) : [];
    const since: Date[] = [];
    for (const gap of schedule.between(previous, slot, MAX_MISSED_RECORDED + 1)) {
      const onItsDate = chartDateOf(gap, timezone) === today;
      if (!onItsDate || !(await slotWaiting(coordination, key, gap))) since.push(gap);
    }
    const gaps = [...settled, ...since];
    let recorded = 0;
    for (const gap of gaps.slice(-MAX_MISSED_RECORDED)) {
      const saved = await this.saveMissed(
        key,
        gap,
        'chartkeeper was not running, or no worker was, at this time',
      );
      if (saved) recorded++;
    }
    await setCheckedSlot(coordination, key, previous);
    if (gaps.length > MAX_MISSED_RECORDED) {
      logger.warn(
        { chartId: key.chartId },
        `${key.chartId}: more than ${MAX_MISSED_RECORDED} slots missed; the latest are recorded`,
      );
    } else if (recorded > 0) {
      logger.warn(
        { chartId: key.chartId },
        `${key.chartId}: ${recorded} slot(s) missed while nothing ran`,
      );
    }
  }

  /** Files a slot as missed unless it has a run already; true when it did. */
  async saveMissed(key: ChartKey, slot: Date, reason: string): Promise<boolean> {
    const { ledger, timezone, clock } = this.deps;
    const at = slot.toISOString();
    const id = scheduledRunId(key, at);
    if (await ledger.getRun(id)) return false;
    // Filed at its slot, so the ledger lists it where the capture would have been.
    const run = newRun({ id, key, trigger: 'schedule', createdAt: at, scheduledFor: at });
    missRun(run, chartDateOf(slot, timezone), reason, clock().toISOString());
    await ledger.saveRun(run);
    this.deps.events?.emit('run-finished', { run });
    return true;
  }
}
