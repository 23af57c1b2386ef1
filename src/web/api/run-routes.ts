import * as z from 'zod/mini';
import type { App } from '../../app/app.js';
import type { ChartKey } from '../../domain/chart.js';
import { hasCode } from '../../domain/errors.js';
import { RUN_STATES, type RunState, TRIGGERS } from '../../domain/run.js';
import { runRecordSchema } from '../../lib/record-schemas.js';
import { badParameter } from '../http-errors.js';
import { chart, countParam, listParam, oneOfParam, text } from './params.js';
import { runsPageReply, scheduleReply, triggerReply } from './replies.js';
import { type RouteSpec, route } from './route-table.js';

/** The longest a trigger may wait for its runs (seconds). */
const MAX_WAIT_S = 3_600;

/** The chart a query names with `chart`, or with `source` and `chartId` together. */
function keyOf(query: {
  chart?: ChartKey;
  source?: string;
  chartId?: string;
}): ChartKey | undefined {
  if (query.source !== undefined || query.chartId !== undefined) {
    if (query.chart) throw badParameter('chart', 'give either chart, or source and chartId');
    if (query.source === undefined) throw badParameter('source', 'is required with chartId');
    if (query.chartId === undefined) throw badParameter('chartId', 'is required with source');
    return { source: query.source, chartId: query.chartId };
  }
  return query.chart;
}

/** The run ledger, triggering, and the schedule with pause and resume. */
export function runRoutes(app: App): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/runs',
      summary: 'The run ledger, newest first, a page at a time.',
      description:
        'Filters combine. `next` is the `before` of the next page (null on the last page).',
      query: z.strictObject({
        chart: z.optional(chart),
        source: z.optional(text(100, 'With chartId: a chart by its source (spotify-playlist…).')),
        chartId: z.optional(text(300, 'With source: the chart id within the source.')),
        state: z.optional(
          listParam(
            oneOfParam(RUN_STATES, 'A run state.'),
            RUN_STATES.length,
            `Only runs in these states (repeat it, or separate with commas): ${RUN_STATES.join(', ')}.`,
          ),
        ),
        trigger: z.optional(oneOfParam(TRIGGERS, 'Only runs started this way.')),
        limit: z.optional(countParam(1, 1_000, 'Runs per page (default 20, at most 1000).')),
        before: z.optional(text(100, 'The id of the last run of the previous page.')),
      }),
      replies: {
        200: { description: '`{ runs: Run[], next: string | null }`', schema: runsPageReply },
      },
      errors: [404],
      handle: async ({ query }, c) => {
        const limit = query.limit ?? 20;
        const runs = await app
          .listRuns({
            limit: limit + 1,
            key: keyOf(query),
            states: query.state as RunState[] | undefined,
            trigger: query.trigger,
            before: query.before,
          })
          .catch((error: unknown) => {
            throw hasCode(error, 'not-found') ? badParameter('before', 'names no run') : error;
          });
        const page = runs.slice(0, limit);
        return c.json({ runs: page, next: runs.length > limit ? (page.at(-1)?.id ?? null) : null });
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id',
      summary: 'A run, by its id or the first characters of it.',
      params: z.strictObject({ id: text(100, 'A run id, or its first characters.') }),
      replies: { 200: { description: 'The run.', schema: runRecordSchema } },
      errors: [404],
      handle: async ({ params }, c) => c.json(await app.findRun(params.id)),
    }),
    route({
      method: 'get',
      path: '/api/schedule',
      summary: 'The schedule: whether paused, the next slot, and whether a serve runs it.',
      replies: { 200: { description: 'The schedule.', schema: scheduleReply } },
      handle: async (_, c) => c.json(await app.scheduleState()),
    }),
    route({
      method: 'post',
      path: '/api/trigger',
      summary: 'Captures charts now, in this serve.',
      description:
        'Without `wait`, answers 202 at once with the queued runs. With `wait` (seconds), answers when they have finished (200) or when the time is up (202). The reply is `{ ok, serving, end, queued, runs }`, as `chartkeeper trigger --json`.',
      body: z.strictObject({
        charts: z.optional(
          listParam(chart, 100, 'The playlists to capture (default: the configured charts).'),
        ),
        wait: z.optional(
          countParam(0, MAX_WAIT_S, `Wait up to this many seconds for the runs to finish.`),
        ),
      }),
      replies: {
        200: { description: 'Waited, and every run finished.', schema: triggerReply },
        202: {
          description: 'Queued (and, with wait, not all finished in time).',
          schema: triggerReply,
        },
      },
      handle: async ({ body }, c) => {
        const result = await app
          .trigger({
            keys: body.charts,
            waitMs: body.wait === undefined ? undefined : body.wait * 1000,
            trigger: 'api',
          })
          .catch((error: unknown) => {
            // A chart that is not fetched over the network (an official chart comes from files).
            throw hasCode(error, 'usage')
              ? badParameter('charts', (error as Error).message)
              : error;
          });
        const ok =
          result.end === null ||
          (result.end === 'finished' && result.runs.every((r) => r.state === 'succeeded'));
        return c.json({ ok, ...result }, result.end === 'finished' ? 200 : 202);
      },
    }),
    route({
      method: 'post',
      path: '/api/pause',
      summary: 'Pauses scheduled captures for every serve on this store (manual ones still run).',
      // No fields: one sent in the body is refused, as in the query string, never ignored.
      body: z.strictObject({}),
      replies: {
        200: { description: 'The schedule, as GET /api/schedule.', schema: scheduleReply },
      },
      handle: async (_, c) => c.json(await app.pause()),
    }),
    route({
      method: 'post',
      path: '/api/resume',
      summary: 'Resumes scheduled captures.',
      // No fields: one sent in the body is refused, as in the query string, never ignored.
      body: z.strictObject({}),
      replies: {
        200: { description: 'The schedule, as GET /api/schedule.', schema: scheduleReply },
      },
      handle: async (_, c) => c.json(await app.resume()),
    }),
  ];
}
