import * as z from 'zod/mini';
import type { App } from '../../app/app.js';
import { isChartDate } from '../../domain/chart-date.js';
import { hasCode } from '../../domain/errors.js';
import { keyLabel } from '../../domain/sources.js';
import { badParameter, notFound } from '../http-errors.js';
import {
  chart,
  countParam,
  dateParam,
  flagParam,
  MAX_ARTIST,
  oneOfParam,
  text,
  trackIdParam,
} from './params.js';
import { chartsReply } from './replies.js';
import { type RouteSpec, route } from './route-table.js';

/** The stored charts, and what they tell: a day's chart, histories, movers, tops. */
export function chartRoutes(app: App): RouteSpec[] {
  return [
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
        artist: text(MAX_ARTIST, 'A Spotify artist id, or the name (whole, any case).'),
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
  ];
}
