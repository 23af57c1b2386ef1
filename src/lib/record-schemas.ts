import { z } from 'zod';
import type { Capture } from '../domain/capture.js';
import type { ChartSnapshot } from '../domain/chart.js';
import type { ErrorCode } from '../domain/errors.js';
import type { StoreRecord } from '../domain/ports/record-export.js';
import { type Run, TASK_NAMES } from '../domain/run.js';

/*
 * The shape of every stored record, checked where records come from outside the running
 * program: an import file, the outbox directory. Each schema is tied to its domain type below,
 * so the two cannot drift apart.
 */

const isoTime = z.iso.datetime({ offset: true });
const date = z.iso.date();
const position = z.number().int().positive();

const capture = z.strictObject({
  id: z.string().min(1),
  source: z.string().min(1),
  chartId: z.string().min(1),
  runId: z.string().nullable(),
  capturedAt: isoTime,
  chartDate: date,
  contentHash: z.string().min(1),
  version: z.string().nullable(),
  payload: z.unknown(),
});

const entry = z.strictObject({
  position,
  trackId: z.string().min(1),
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.strictObject({ id: z.string().nullable(), name: z.string() })),
  album: z
    .strictObject({
      id: z.string().nullable(),
      name: z.string(),
      releaseDate: z.string().nullable(),
      imageUrl: z.string().nullable(),
    })
    .nullable(),
  durationMs: z.number().nonnegative().nullable(),
  explicit: z.boolean().nullable(),
  isrc: z.string().nullable(),
  addedAt: z.string().nullable(),
  streams: z.number().nonnegative().nullable(),
  previousPosition: position.nullable(),
  movement: z.enum(['new', 're-entry', 'up', 'down', 'same']),
  daysOnChart: z.number().int().positive(),
  peak: position,
});

const chart = z.strictObject({
  source: z.string().min(1),
  chartId: z.string().min(1),
  chartDate: date,
  title: z.string(),
  captureId: z.string().min(1),
  runId: z.string().nullable(),
  capturedAt: isoTime,
  entries: z.array(entry),
  skipped: z.array(
    z.strictObject({
      position,
      reason: z.enum(['removed', 'local-file', 'episode', 'malformed']),
      name: z.string().nullable(),
    }),
  ),
});

const runError = z.strictObject({
  // Codes of newer versions are kept as they are.
  code: z.string().min(1) as z.ZodType<ErrorCode>,
  message: z.string(),
  hint: z.string().nullable(),
  permanent: z.boolean(),
});

const run = z.strictObject({
  id: z.string().min(1),
  source: z.string().min(1),
  chartId: z.string().min(1),
  trigger: z.enum(['manual', 'schedule', 'api']),
  scheduledFor: isoTime.nullable(),
  chartDate: date.nullable(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'missed']),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  captureId: z.string().nullable(),
  entryCount: z.number().int().nonnegative().nullable(),
  error: runError.nullable(),
  tasks: z
    .array(
      z.strictObject({
        name: z.enum(TASK_NAMES),
        state: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
        attempts: z.number().int().nonnegative(),
        startedAt: isoTime.nullable(),
        finishedAt: isoTime.nullable(),
        error: runError.nullable(),
        logs: z.array(
          z.strictObject({
            at: isoTime,
            level: z.enum(['info', 'warn', 'error']),
            message: z.string(),
          }),
        ),
      }),
    )
    .refine(
      (tasks) =>
        tasks.length === TASK_NAMES.length && tasks.every((t, i) => t.name === TASK_NAMES[i]),
      { message: `must list the tasks ${TASK_NAMES.join(', ')} in this order` },
    ),
});

export const captureSchema: z.ZodType<Capture> = capture;
export const chartSchema: z.ZodType<ChartSnapshot> = chart;
export const runSchema: z.ZodType<Run> = run;

/** A record of an export or the outbox: `{"type": …, "<type>": {…}}`. */
export const storeRecordSchema: z.ZodType<StoreRecord> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('capture'), capture }),
  z.strictObject({ type: z.literal('chart'), chart }),
  z.strictObject({ type: z.literal('run'), run }),
]) as z.ZodType<StoreRecord>;
