import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { App } from '../../app/app.js';
import type { ChartKey } from '../../domain/chart.js';
import { isChartDate } from '../../domain/chart-date.js';
import { hasCode } from '../../domain/errors.js';
import { type RunState, TRIGGERS } from '../../domain/run.js';
import { keyLabel } from '../../domain/sources.js';
import { runRecordSchema } from '../../lib/record-schemas.js';
import { badParameter, notFound } from '../http-errors.js';
import type { Metrics } from '../metrics.js';
import { openApiDocument } from './openapi.js';
import {
  chartKeyParam,
  countParam,
  dateParam,
  flagParam,
  listParam,
  oneOfParam,
  text,
  trackIdParam,
} from './params.js';
import {
  chartsReply,
  readinessReply,
  runsPageReply,
  scheduleReply,
  triggerReply,
} from './replies.js';
import { mount, type RouteSpec, route } from './route-table.js';

const RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'missed'] as const;
/** The longest a trigger may wait for its runs (seconds). */
const MAX_WAIT_S = 3_600;

const chart = chartKeyParam(
  'A chart: an official chart id (regional-global-daily), a playlist id, URI or link.',
);
const chartFilter = z.optional(chart);

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

/** Every route of the JSON API (and /healthz, /readyz, /metrics, /openapi.json), as data. */
export function apiRouteSpecs(app: App, metrics: Metrics): RouteSpec[] {
  const specs: RouteSpec[] = [
    route({
      method: 'get',
      path: '/healthz',
      summary: 'The process is up.',
      open: true,
      replies: { 200: { description: '`{ "ok": true }`' } },
      handle: (_, c) => c.json({ ok: true }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      summary: 'The store and the queue answer.',
      replies: {
        200: { description: 'The store and the queue answer.', schema: readinessReply },
        503: {
          description: 'The same, with `ok: false` and an `error` on what does not answer.',
          schema: readinessReply,
        },
      },
      handle: async (_, c) => {
        const readiness = await app.readiness();
        return c.json(readiness, readiness.ready ? 200 : 503);
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics of this process.',
      contentType: 'text/plain; version=0.0.4',
      replies: { 200: { description: 'Prometheus text exposition format.' } },
      handle: async (_, c) => {
        const { text, contentType } = await metrics.render();
        return c.body(text, 200, { 'Content-Type': contentType });
      },
    }),
    route({
      method: 'get',
      path: '/api/runs',
      summary: 'The run ledger, newest first, a page at a time.',
      description:
        'Filters combine. `next` is the `before` of the next page (null on the last page).',
      query: z.strictObject({
        chart: chartFilter,
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
      path: '/api/charts',
      summary: 'Every stored chart: source, id, latest title, first and last date, count.',
      replies: {
        200: {
          description: 'The stored charts, as `chartkeeper charts --json`.',
          schema: chartsReply,
        },
      },
      handle: async (_, c) => c.json({ charts: await app.listChartKeys() }),
    }),
    route({
      method: 'get',
      path: '/api/charts/:chartId/:date',
      summary: 'A stored chart of a day, with movement and the change in streams.',
      description:
        'Each entry carries `streamsChange` (null when unknown); `previousChartDate` is the previous stored chart of the key.',
      params: z.strictObject({
        chartId: chart,
        date: text(10, 'YYYY-MM-DD, or `latest`.').check(
          z.refine(
            (value) => value === 'latest' || isChartDate(value),
            'must be latest or a date written YYYY-MM-DD',
          ),
        ),
      }),
      query: z.strictObject({
        limit: z.optional(countParam(1, 10_000, 'Only the first entries.')),
      }),
      replies: {
        200: {
          description:
            'The chart, as `chartkeeper chart --json`: a Chart with `previousChartDate`, and `streamsChange` on each entry.',
        },
      },
      errors: [404],
      handle: async ({ params, query }, c) => {
        const date = params.date === 'latest' ? undefined : params.date;
        const found = await app.findChartWithChanges({ key: params.chartId, date });
        if (!found.chart) {
          throw notFound(
            `No chart of ${keyLabel(params.chartId)}${date ? ` for ${date}` : ''} is stored.`,
            'GET /api/charts lists the stored charts and their dates.',
          );
        }
        const { chart: shown, previousDate, streamsChanges } = found;
        const entries = shown.entries.slice(0, query.limit ?? shown.entries.length);
        return c.json({
          ...shown,
          previousChartDate: previousDate,
          entries: entries.map((entry, i) => ({
            ...entry,
            streamsChange: streamsChanges[i] ?? null,
          })),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/tracks/:trackId/history',
      summary: "A track's position on every chart it appeared on, with its statistics.",
      params: z.strictObject({
        trackId: trackIdParam('A Spotify track id, spotify:track: URI or link.'),
      }),
      query: z.strictObject({
        chart: z.optional(chart),
        groupVersions: z.optional(flagParam('Count every track sharing its ISRC as one song.')),
      }),
      replies: { 200: { description: 'As `chartkeeper history TRACK --json`.' } },
      errors: [404],
      handle: async ({ params, query }, c) => {
        const result = await app.trackHistory({
          track: params.trackId,
          key: query.chart,
          groupVersions: query.groupVersions,
        });
        if (result.kind !== 'found') {
          throw notFound(`No stored chart lists the track ${params.trackId}.`);
        }
        return c.json(result);
      },
    }),
    route({
      method: 'get',
      path: '/api/artists/:artist/history',
      summary: "An artist's entries per chart and day, with totals.",
      params: z.strictObject({
        artist: text(200, 'A Spotify artist id, or the name (whole, any case).'),
      }),
      query: z.strictObject({ chart: z.optional(chart) }),
      replies: { 200: { description: 'As `chartkeeper history --artist --json`.' } },
      errors: [404],
      handle: async ({ params, query }, c) => {
        const result = await app.artistHistory({ artist: params.artist, key: query.chart });
        if (result.kind !== 'found') {
          throw notFound('No stored chart lists an artist of that name or id.');
        }
        return c.json(result);
      },
    }),
    route({
      method: 'get',
      path: '/api/movers',
      summary:
        'Climbers, fallers, new entries, re-entries and drop-outs against the previous chart.',
      query: z.strictObject({
        chart: z.optional(chart),
        date: z.optional(dateParam('The chart of that date (default: the latest).')),
        limit: z.optional(countParam(1, 1_000, 'At most this many in each list (default 10).')),
      }),
      replies: { 200: { description: 'As `chartkeeper movers --json`.' } },
      errors: [404],
      handle: async ({ query }, c) => {
        const result = await app.movers({
          key: query.chart,
          date: query.date,
          limit: query.limit ?? 10,
        });
        if ('chart' in result) {
          throw notFound(
            `No chart of ${keyLabel(result.key)}${query.date ? ` for ${query.date}` : ''} is stored.`,
            'GET /api/charts lists the stored charts and their dates.',
          );
        }
        return c.json(result);
      },
    }),
    route({
      method: 'get',
      path: '/api/top',
      summary: 'Tracks, songs or artists ranked over a period of one chart.',
      query: z.strictObject({
        from: dateParam('First chart date of the period.'),
        to: dateParam('Last chart date of the period.'),
        chart: z.optional(chart),
        by: z.optional(
          oneOfParam(['days', 'streams', 'points'], 'What ranks them (default points).'),
        ),
        of: z.optional(
          oneOfParam(['tracks', 'songs', 'artists'], 'What is ranked (default tracks).'),
        ),
        limit: z.optional(countParam(1, 1_000, 'How many (default 20).')),
      }),
      replies: { 200: { description: 'As `chartkeeper top --json`.' } },
      errors: [404],
      handle: async ({ query }, c) => {
        if (query.from > query.to) throw badParameter('to', `is before from (${query.from})`);
        const by = query.by ?? 'points';
        const result = await app
          .top({
            key: query.chart,
            from: query.from,
            to: query.to,
            by,
            artists: query.of === 'artists',
            groupVersions: query.of === 'songs',
            limit: query.limit ?? 20,
          })
          .catch((error: unknown) => {
            // The one refusal of a valid request: streams asked of charts without them.
            if (hasCode(error, 'usage') && by === 'streams') {
              throw badParameter('by', (error as Error).message);
            }
            throw error;
          });
        return c.json(result);
      },
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
      replies: {
        200: { description: 'The schedule, as GET /api/schedule.', schema: scheduleReply },
      },
      handle: async (_, c) => c.json(await app.pause()),
    }),
    route({
      method: 'post',
      path: '/api/resume',
      summary: 'Resumes scheduled captures.',
      replies: {
        200: { description: 'The schedule, as GET /api/schedule.', schema: scheduleReply },
      },
      handle: async (_, c) => c.json(await app.resume()),
    }),
  ];
  // Built when first asked for, from the routes themselves (this one included).
  let document: object | undefined;
  specs.push(
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document: every route, its parameters and replies (OpenAPI 3.1).',
      replies: { 200: { description: 'OpenAPI 3.1.' } },
      handle: (_, c) => {
        document ??= openApiDocument(specs);
        return c.json(document);
      },
    }),
  );
  return specs;
}

/**
 * The JSON API: the same use cases as the CLI, presented as JSON. `/healthz` says the process is
 * up, `/readyz` that it can reach its store and queue.
 */
export function apiRoutes(app: App, metrics: Metrics): Hono {
  const api = new Hono();
  mount(api, apiRouteSpecs(app, metrics));
  return api;
}
