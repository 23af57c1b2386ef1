import { z } from 'zod';
import type { ChartKey } from '../domain/chart.js';
import { parsePlaylistId } from '../domain/chart-ref.js';
import { SOURCES } from '../domain/sources.js';
import { cronProblem } from '../lib/cron.js';
import { type StoreSetting, storeSettingProblem } from './store-setting.js';

/** The original system's playlist ("Top 50 - Global" as copied by its author). */
export const DEFAULT_PLAYLIST = '5FN6Ego7eLX6zHuCMovIR2';
export const DEFAULT_STORE = 'chartkeeper.db';
/** Where captures wait that the store could not take (see the outbox in the README). */
export const DEFAULT_OUTBOX = 'chartkeeper-outbox';
/** The original DAG's schedule: every day at midnight, here in the configured time zone. */
export const DEFAULT_SCHEDULE = '@daily';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

const timezone = z.string().refine(isTimeZone, {
  message: 'is not an IANA time zone (examples: UTC, Europe/Berlin, America/New_York)',
});

const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: 'must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379',
});

const schedule = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a usable cron schedule (${problem}); examples: @daily, "0 6 * * *", "*/10 * * * * *"`,
      });
    }
  });

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, for example https://api.spotify.com/v1',
});

const playlist = z.string().transform((value, ctx) => {
  const id = parsePlaylistId(value);
  if (!id) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a Spotify playlist id, URI or link (a playlist id is 22 letters and digits, as in https://open.spotify.com/playlist/${DEFAULT_PLAYLIST})`,
    });
    return z.NEVER;
  }
  return id;
});

const OFFICIAL_CHART = /^(regional|viral)-([a-z]{2}|global)-(daily|weekly)$/;

// A chart is a bare playlist reference, { playlist }, or { chart } for an official chart whose
// files are imported (charts.spotify.com has no API): a union by source, each read into its key.
const chart = z.preprocess(
  (value) => (typeof value === 'string' ? { playlist: value } : value),
  z.union([
    z
      .strictObject({ playlist })
      .transform((c): ChartKey => ({ source: SOURCES.spotifyPlaylist, chartId: c.playlist })),
    z
      .strictObject({
        chart: z
          .string()
          .regex(
            OFFICIAL_CHART,
            'must be an official chart id such as regional-global-daily or viral-us-weekly',
          ),
      })
      .transform((c): ChartKey => ({ source: SOURCES.spotifyCharts, chartId: c.chart })),
  ]),
);

const store = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = storeSettingProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(
    (value): StoreSetting =>
      /^mongodb(\+srv)?:\/\//i.test(value)
        ? { kind: 'mongodb', uri: value }
        : { kind: 'sqlite', path: value },
  );

/** The config file's shape; environment variables are merged in before validation. */
export const configSchema = z.strictObject({
  spotify: z
    .strictObject({
      clientId: z.string().min(1).optional(),
      clientSecret: z.string().min(1).optional(),
      apiUrl: httpUrl.default('https://api.spotify.com/v1'),
      accountsUrl: httpUrl.default('https://accounts.spotify.com'),
      market: z
        .string()
        .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US')
        .optional(),
    })
    .prefault({}),
  store: store.prefault(DEFAULT_STORE),
  outbox: z.string().trim().min(1).default(DEFAULT_OUTBOX),
  timezone: timezone.default('UTC'),
  charts: z.array(chart).min(1, 'must list at least one chart').prefault([DEFAULT_PLAYLIST]),
  http: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(300_000).default(15_000),
      maxAttempts: z.number().int().min(1).max(10).default(5),
      maxRetryWaitMs: z.number().int().min(0).max(3_600_000).default(120_000),
    })
    .prefault({}),
  schedule: schedule.default(DEFAULT_SCHEDULE),
  retries: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(3),
      delayMs: z.number().int().min(0).max(86_400_000).default(30_000),
      maxDelayMs: z.number().int().min(0).max(86_400_000).default(600_000),
    })
    .prefault({}),
  queue: z
    .strictObject({
      url: redisUrl.optional(),
      name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"')
        .default('chartkeeper'),
      concurrency: z.number().int().min(1).max(64).default(2),
      shutdownMs: z.number().int().min(0).max(600_000).default(30_000),
      lockMs: z.number().int().min(1_000).max(600_000).default(30_000),
    })
    .prefault({}),
  rateLimit: z
    .strictObject({
      max: z.number().int().min(1).max(1_000_000),
      perMs: z.number().int().min(1).max(3_600_000),
    })
    .optional(),
  log: z
    .strictObject({
      /** Unset: `info` for serve and worker, `warn` for one-shot commands. */
      level: z.enum(LOG_LEVELS).optional(),
      /** `auto`: human-readable lines on a terminal, JSON lines otherwise. */
      format: z.enum(LOG_FORMATS).default('auto'),
    })
    .prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type SpotifySettings = Config['spotify'];
export type HttpSettings = Config['http'];
export type LogSettings = Config['log'];
export type RetrySettings = Config['retries'];
export type QueueSettings = Config['queue'];
export type RateLimitSettings = NonNullable<Config['rateLimit']>;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
