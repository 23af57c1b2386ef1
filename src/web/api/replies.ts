import * as z from 'zod/mini';
import type { Readiness } from '../../app/health.js';
import type { ScheduleState } from '../../app/schedule.js';
import type { TriggerResult } from '../../app/trigger.js';
import type { ChartKeySummary } from '../../domain/history.js';
import { runRecordSchema } from '../../lib/record-schemas.js';

/*
 * The shapes of the API's replies, for /openapi.json. Each is checked against the type the use
 * case returns (`describes<T>()`), so a field renamed there fails to compile here.
 */

/** Passes a schema through, checking that what it describes is a `T`. */
function describes<T>() {
  return <S extends z.ZodMiniType<T>>(schema: S): S => schema;
}

const instant = z.iso.datetime({ offset: true });

export const runsPageReply = z.object({
  runs: z.array(runRecordSchema),
  next: z.nullable(z.string()),
});

export const chartsReply = z.object({
  charts: z.array(
    describes<ChartKeySummary>()(
      z.object({
        source: z.string(),
        chartId: z.string(),
        title: z.string(),
        firstDate: z.iso.date(),
        lastDate: z.iso.date(),
        chartCount: z.int(),
      }),
    ),
  ),
});

export const scheduleReply = describes<ScheduleState>()(
  z.object({
    paused: z.boolean(),
    since: z.nullable(instant),
    next: z.nullable(instant),
    cron: z.string(),
    timezone: z.string(),
    serving: z.boolean(),
  }),
);

const reachability = z.object({
  ok: z.boolean(),
  kind: z.string(),
  error: z.optional(z.string()),
});

export const readinessReply = describes<Readiness>()(
  z.object({ ready: z.boolean(), store: reachability, queue: reachability }),
);

export const triggerReply = z.extend(
  describes<TriggerResult>()(
    z.object({
      queued: z.array(runRecordSchema),
      runs: z.array(runRecordSchema),
      serving: z.boolean(),
      end: z.nullable(z.enum(['finished', 'timeout', 'no-serve'])),
    }),
  ),
  { ok: z.boolean() },
);
