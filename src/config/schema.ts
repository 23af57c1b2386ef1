// zod/mini: the same validation as zod, a tenth of the code to load; every command reads the
// configuration first, so its start-up time counts.

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { ChartKey } from '../domain/chart.js';
import { parsePlaylistId } from '../domain/chart-ref.js';
import { SOURCES } from '../domain/sources.js';
import { cronProblem } from '../lib/cron.js';
import { type StoreSetting, storeSettingProblem } from './store-setting.js';

z.config(en());

/** The original system's playlist ("Top 50 - Global" as copied by its author). */
export const DEFAULT_PLAYLIST = '5FN6Ego7eLX6zHuCMovIR2';
export const DEFAULT_STORE = 'chartkeeper.db';
/** Where captures wait that the store could not take (see the outbox in the README). */
export const DEFAULT_OUTBOX = 'chartkeeper-outbox';
/** The original DAG's schedule: every day at midnight, here in the configured time zone. */
export const DEFAULT_SCHEDULE = '@daily';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

/** A string that passes `problem` (null), or fails with the message it returns. */
function checked(problem: (value: string) => string | null) {
  return z.string().check(
    z.trim(),
    z.superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message, input: value });
    }),
  );
}

/** A whole number from `min` to `max`. */
const whole = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

const timezone = checked((value) =>
  isTimeZone(value)
    ? null
    : 'is not an IANA time zone (examples: UTC, Europe/Berlin, America/New_York)',
);

const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: 'must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379',
});

const schedule = checked((value) => {
  const problem = cronProblem(value);
  return problem
    ? `is not a usable cron schedule (${problem}); examples: @daily, "0 6 * * *", "*/10 * * * * *"`
    : null;
});

/** A TCP port; from the environment it arrives as text. 0: any free port. */
const port = z.pipe(
  z.transform((value: unknown) =>
    typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value,
  ),
  z
    .int({ error: 'must be a port number from 0 to 65535' })
    .check(
      z.minimum(0, 'must be a port number from 0 to 65535'),
      z.maximum(65_535, 'must be a port number from 0 to 65535'),
    ),
);

const httpUrl = z.url({
  protocol: /^https?$/,
  error:
    'must be an http(s) URL (the defaults: https://api.spotify.com/v1 for the Web API, https://accounts.spotify.com for accounts)',
});

const webhookUrl = z.url({
  protocol: /^https?$/,
  error:
    'must be an http(s) URL, such as a Slack incoming webhook (https://hooks.slack.com/services/…)',
});

const playlist = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const id = parsePlaylistId(value);
    if (!id) {
      ctx.issues.push({
        code: 'custom',
        message: `"${value}" is not a Spotify playlist id, URI or link (a playlist id is 22 letters and digits, as in https://open.spotify.com/playlist/${DEFAULT_PLAYLIST})`,
        input: value,
      });
      return z.NEVER;
    }
    return id;
  }),
);

/** Which token a chart is read with: the app's own (client credentials) or the logged-in user's. */
export const CHART_AUTH = ['app', 'user'] as const;
export type ChartAuth = (typeof CHART_AUTH)[number];

// A chart is a playlist: a bare id, URI or link, or { playlist, auth }, read into its key and the
// token it is read with. (The union of sources is in ChartKey; official charts arrive from files,
// not from this setting.)
const chart = z.pipe(
  z.transform((value: unknown, ctx) => {
    if (typeof value === 'string') return { playlist: value };
    if (typeof value === 'object' && value !== null && 'playlist' in value) return value;
    ctx.issues.push({
      code: 'custom',
      message: 'must be a playlist id, URI or link, or { "playlist": …, "auth": "user" | "app" }',
      input: value,
    });
    return z.NEVER;
  }),
  z.pipe(
    z.strictObject({
      playlist,
      auth: z._default(
        z.enum(CHART_AUTH, {
          error: 'must be "user" (the logged-in user\'s token) or "app" (the app\'s own token)',
        }),
        'app',
      ),
    }),
    z.transform((c): { key: ChartKey; auth: ChartAuth } => ({
      key: { source: SOURCES.spotifyPlaylist, chartId: c.playlist },
      auth: c.auth,
    })),
  ),
);

const store = z.pipe(
  checked((value) => (value === '' ? 'must not be empty' : storeSettingProblem(value))),
  z.transform(
    (value: string): StoreSetting =>
      /^mongodb(\+srv)?:\/\//i.test(value)
        ? { kind: 'mongodb', uri: value }
        : { kind: 'sqlite', path: value },
  ),
);

/** Where `auth login` listens for Spotify's redirect unless told otherwise (--port, auth.port). */
export const DEFAULT_LOGIN_PORT = 8888;

/** The config file's shape, before the charts are split into keys and their tokens. */
const settingsSchema = z.strictObject({
  spotify: z.prefault(
    z.strictObject({
      clientId: z.optional(z.string().check(z.minLength(1))),
      clientSecret: z.optional(z.string().check(z.minLength(1))),
      apiUrl: z._default(httpUrl, 'https://api.spotify.com/v1'),
      accountsUrl: z._default(httpUrl, 'https://accounts.spotify.com'),
      market: z.optional(
        z.string().check(z.regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US')),
      ),
    }),
    {},
  ),
  store: z.prefault(store, DEFAULT_STORE),
  outbox: z._default(z.string().check(z.trim(), z.minLength(1)), DEFAULT_OUTBOX),
  timezone: z._default(timezone, 'UTC'),
  // Empty: capture nothing (`serve` then only imports the chart files of its inbox).
  charts: z.prefault(z.array(chart), [DEFAULT_PLAYLIST]),
  http: z.prefault(
    z.strictObject({
      timeoutMs: z._default(whole(100, 300_000), 15_000),
      maxAttempts: z._default(whole(1, 10), 5),
      maxRetryWaitMs: z._default(whole(0, 3_600_000), 120_000),
    }),
    {},
  ),
  schedule: z._default(schedule, DEFAULT_SCHEDULE),
  retries: z.prefault(
    z.strictObject({
      attempts: z._default(whole(1, 20), 3),
      delayMs: z._default(whole(0, 86_400_000), 30_000),
      maxDelayMs: z._default(whole(0, 86_400_000), 600_000),
    }),
    {},
  ),
  queue: z.prefault(
    z.strictObject({
      url: z.optional(redisUrl),
      name: z._default(
        z
          .string()
          .check(
            z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"'),
          ),
        'chartkeeper',
      ),
      concurrency: z._default(whole(1, 64), 2),
      shutdownMs: z._default(whole(0, 600_000), 30_000),
      lockMs: z._default(whole(1_000, 600_000), 30_000),
    }),
    {},
  ),
  rateLimit: z.optional(
    z.strictObject({
      max: whole(1, 1_000_000),
      perMs: whole(1, 3_600_000),
    }),
  ),
  inbox: z.prefault(
    z.strictObject({
      /** A folder `serve` watches for chart files; unset: no inbox. */
      dir: z.optional(z.string().check(z.trim(), z.minLength(1))),
      pollMs: z._default(whole(200, 600_000), 2_000),
    }),
    {},
  ),
  auth: z.prefault(
    z.strictObject({
      /** Where `auth login` waits for Spotify's redirect, on 127.0.0.1 (0: any free port). */
      port: z._default(port, DEFAULT_LOGIN_PORT),
      /** The credentials file; unset: credentials.json in the user's config directory. */
      file: z.optional(z.string().check(z.trim(), z.minLength(1))),
      /** SPOTIFY_REFRESH_TOKEN: a user login given to this process instead of the file. A secret. */
      refreshToken: z.optional(z.string().check(z.trim(), z.minLength(1))),
    }),
    {},
  ),
  web: z.prefault(
    z.strictObject({
      /** Where `serve` answers the web UI and the API; anything but loopback needs a token. */
      host: z._default(z.string().check(z.trim(), z.minLength(1)), '127.0.0.1'),
      port: z._default(port, 8080),
      /** Every page and API call needs it when set (CHARTKEEPER_UI_TOKEN). A secret. */
      token: z.optional(
        z
          .string()
          .check(
            z.minLength(24, 'must be at least 24 characters (make one with: openssl rand -hex 24)'),
          ),
      ),
    }),
    {},
  ),
  alerts: z.prefault(
    z.strictObject({
      /** Where alerts are posted as JSON (Slack-compatible); unset: no alerts. A secret. */
      webhook: z.optional(webhookUrl),
      /** A chart not captured for longer than this is reported (once until captured again). */
      staleAfterMs: z._default(whole(1_000, 30 * 86_400_000), 36 * 3_600_000),
      /** How often `serve` looks for charts gone stale. */
      checkMs: z._default(whole(1_000, 86_400_000), 300_000),
      /** After each scheduled capture, post the chart's top 10, new entries and movers. */
      digest: z._default(z.boolean(), false),
    }),
    {},
  ),
  log: z.prefault(
    z.strictObject({
      /** Unset: `info` for serve and worker, less for one-shot commands. */
      level: z.optional(z.enum(LOG_LEVELS)),
      /** `auto`: human-readable lines on a terminal, JSON lines otherwise. */
      format: z._default(z.enum(LOG_FORMATS), 'auto'),
    }),
    {},
  ),
});

/**
 * The config file's shape; environment variables are merged in before validation. `charts` comes
 * out as plain keys (what every reader of the charts needs), and the playlists read with the
 * user's login as `auth.userPlaylists`, so that no key ever carries its token choice into a
 * stored record.
 */
export const configSchema = z.pipe(
  settingsSchema,
  z.transform((settings) => ({
    ...settings,
    charts: settings.charts.map((c) => c.key),
    auth: {
      ...settings.auth,
      // Resolved by loadConfig (the user's config directory) when not set.
      file: settings.auth.file ?? '',
      userPlaylists: settings.charts.filter((c) => c.auth === 'user').map((c) => c.key.chartId),
    },
  })),
);

export type Config = z.output<typeof configSchema>;
export type AuthSettings = Config['auth'];
export type SpotifySettings = Config['spotify'];
export type HttpSettings = Config['http'];
export type LogSettings = Config['log'];
export type InboxSettings = Config['inbox'];
export type WebSettings = Config['web'];
export type AlertSettings = Config['alerts'];
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
