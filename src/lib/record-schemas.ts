import * as z from 'zod/mini';
import type { ErrorCode } from '../domain/errors.js';
import type { StoreRecord } from '../domain/ports/record-export.js';
import { IMPORT_TASK_NAMES, RUN_STATES, TASK_NAMES, TRIGGERS } from '../domain/run.js';

/*
 * The shape of every stored record, checked where records come from outside the running
 * program: an import file, the outbox directory. Each schema is tied to its domain type below,
 * so the two cannot drift apart.
 */

/** An ISO 8601 instant, read into the one form the stores write (UTC, milliseconds). */
const isoTime = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value: string) => new Date(value).toISOString()),
);
const date = z.iso.date();
const text = z.string();
const id = z.string().check(z.minLength(1));
const position = z.int().check(z.positive());
const count = z.int().check(z.nonnegative());

const capture = z.strictObject({
  id,
  source: id,
  chartId: id,
  runId: z.nullable(text),
  capturedAt: isoTime,
  chartDate: date,
  contentHash: id,
  version: z.nullable(text),
  payload: z.unknown(),
});

const entry = z.strictObject({
  position,
  trackId: id,
  uri: text,
  name: text,
  artists: z.array(z.strictObject({ id: z.nullable(text), name: text })),
  album: z.nullable(
    z.strictObject({
      id: z.nullable(text),
      name: text,
      releaseDate: z.nullable(text),
      imageUrl: z.nullable(text),
    }),
  ),
  durationMs: z.nullable(z.number().check(z.nonnegative())),
  explicit: z.nullable(z.boolean()),
  isrc: z.nullable(text),
  addedAt: z.nullable(text),
  streams: z.nullable(z.number().check(z.nonnegative())),
  previousPosition: z.nullable(position),
  movement: z.enum(['new', 're-entry', 'up', 'down', 'same']),
  daysOnChart: position,
  peak: position,
  facts: z.optional(
    z.nullable(
      z.strictObject({
        peakRank: z.nullable(position),
        previousRank: z.nullable(position),
        onChart: z.nullable(position),
      }),
    ),
  ),
});

const chart = z.strictObject({
  source: id,
  chartId: id,
  chartDate: date,
  title: text,
  captureId: id,
  runId: z.nullable(text),
  capturedAt: isoTime,
  entries: z.array(entry),
  skipped: z.array(
    z.strictObject({
      position,
      reason: z.enum(['removed', 'local-file', 'episode', 'malformed']),
      name: z.nullable(text),
    }),
  ),
});

const runError = z.strictObject({
  // Codes of newer versions are kept as they are.
  code: id as unknown as z.ZodMiniType<ErrorCode>,
  message: text,
  hint: z.nullable(text),
  permanent: z.boolean(),
});

const task = z.strictObject({
  name: z.enum([...TASK_NAMES, ...IMPORT_TASK_NAMES]),
  state: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  attempts: count,
  startedAt: z.nullable(isoTime),
  finishedAt: z.nullable(isoTime),
  error: z.nullable(runError),
  logs: z.array(
    z.strictObject({ at: isoTime, level: z.enum(['info', 'warn', 'error']), message: text }),
  ),
});

const run = z.strictObject({
  id,
  source: id,
  chartId: id,
  trigger: z.enum(TRIGGERS),
  scheduledFor: z.nullable(isoTime),
  chartDate: z.nullable(date),
  state: z.enum(RUN_STATES),
  createdAt: isoTime,
  startedAt: z.nullable(isoTime),
  finishedAt: z.nullable(isoTime),
  captureId: z.nullable(text),
  entryCount: z.nullable(count),
  error: z.nullable(runError),
  tasks: z.array(task).check(
    z.refine(
      (tasks) =>
        [TASK_NAMES, IMPORT_TASK_NAMES].some(
          (names) =>
            tasks.length === names.length &&
            tasks.every((t, i) => t.name === (names as readonly string[])[i]),
        ),
      {
        message: `must list the tasks ${TASK_NAMES.join(', ')} (or, for an import, ${IMPORT_TASK_NAMES.join(', ')}) in this order`,
      },
    ),
  ),
});

/** A record of an export or the outbox: `{"type": …, "<type>": {…}}`. */
export const storeRecordSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('capture'), capture }),
  z.strictObject({ type: z.literal('chart'), chart }),
  z.strictObject({ type: z.literal('run'), run }),
]) as unknown as z.ZodMiniType<StoreRecord>;

/** A run and a chart as records hold them: also how the HTTP API's document describes them. */
export { chart as chartRecordSchema, run as runRecordSchema };
