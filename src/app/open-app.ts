import { openRateLimiter } from '../adapters/queue/open-executor.js';
import type { TokenDeps } from '../adapters/spotify/auth.js';
import type { SpotifySourceDeps, UserLoginSource } from '../adapters/spotify/spotify-source.js';
import { openStore } from '../adapters/store/open-store.js';
import type { OutboxWriter } from '../adapters/store/outbox/outbox-writer.js';
import type { Config } from '../config/schema.js';
import type { AlertSink } from '../domain/ports/alert-sink.js';
import type { ChartStore } from '../domain/ports/chart-store.js';
import type { Executor, RateLimiter } from '../domain/ports/executor.js';
import type { Logger } from '../domain/ports/observability.js';
import { TASK_NAMES } from '../domain/run.js';
import { SOURCES } from '../domain/sources.js';
import { EventBus } from '../lib/event-bus.js';
import { Redactor, urlPasswords } from '../lib/redact.js';
import { buildChartFromLateCapture } from '../services/capture/chart-builder.js';
import { retryDelayMs } from '../services/capture/retry-policy.js';
import { Sources } from '../services/source-registry.js';
import { App } from './app.js';
import type { Access, AppContext } from './context.js';
import { createLogger, type LogTarget } from './logger.js';

export interface OpenAppOptions {
  /** `read` never writes to the store (nor creates it); `write` also puts the outbox in front. */
  access: Access;
  /** Refuse to create the store (commands that make sense only for a store in use). */
  mustExist?: boolean;
  /** How this command logs; or `logger` to use one made elsewhere (tests). */
  log?: { defaultLevel: 'debug' | 'info' | 'warn' | 'error'; target: LogTarget };
  logger?: Logger;
  /** Replaceable I/O of the Spotify client (tests, the demo). */
  spotify?: Omit<SpotifySourceDeps, 'redactor'>;
}

/**
 * The composition root: opens the store, the sources, the rate limiter and (on first use) the
 * executor that the configuration names, and gives every entry point the same use cases.
 */
export async function openApp(config: Config, options: OpenAppOptions): Promise<App> {
  const redactor = new Redactor([
    config.spotify.clientSecret,
    config.web.token,
    config.alerts.webhook,
    config.auth.refreshToken,
    ...urlPasswords(config.queue.url),
  ]);
  if (config.store.kind === 'mongodb') {
    const { uriSecrets } = await import('../adapters/store/mongo/connection.js');
    for (const secret of uriSecrets(config.store.uri)) redactor.add(secret);
  }
  const logger =
    options.logger ??
    createLogger({
      settings: config.log,
      redactor,
      ...(options.log ?? { defaultLevel: 'warn', target: 'stderr' }),
    });
  const events = new EventBus((error) =>
    logger.warn(`an event listener failed: ${(error as Error).message}`),
  );
  // A writing command may need the outbox at any moment: one that cannot work is refused now.
  if (options.access === 'write') {
    const { Outbox } = await import('../adapters/store/outbox/outbox.js');
    Outbox.checkPlace(config.outbox);
  }
  const damaged: string[] = [];
  const store = await openStore(config.store, {
    access: options.access,
    mustExist: options.mustExist,
    onDamagedRecords: (what, count) => {
      damaged.push(count === null ? `all ${what}` : `${count} ${what}`);
      logger.warn(
        count === null
          ? `the ${what} cannot be read at all (damaged) and were skipped${what === 'charts' ? '; they can be rebuilt from the captures' : ''}`
          : `${count} damaged ${what} record(s) could not be read and were skipped`,
      );
    },
  });
  try {
    const limiter = lazyLimiter(config);
    // Loaded on first use: a command that only reads never loads Spotify's reply schemas.
    const sources = new Sources().add(SOURCES.spotifyPlaylist, {
      normaliser: async () =>
        (await import('../adapters/spotify/normalise.js')).spotifyPlaylistNormaliser,
      fetcher: async () => {
        const [{ SpotifyPlaylistFetcher }, { nodeFetch, rateLimited }] = await Promise.all([
          import('../adapters/spotify/spotify-source.js'),
          import('../adapters/spotify/http-transport.js'),
        ]);
        const deps = {
          ...options.spotify,
          redactor,
          events,
          timeZone: config.timezone,
          // Paced by the configured rate limit (config `rateLimit`); the token endpoint is not.
          fetch: rateLimited(
            options.spotify?.fetch ?? nodeFetch,
            limiter.get,
            config.spotify.apiUrl,
          ),
        };
        return new SpotifyPlaylistFetcher(
          config.spotify,
          config.http,
          deps,
          await userLoginSource(config, {
            fetch: deps.fetch,
            sleep: options.spotify?.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
            random: options.spotify?.random ?? Math.random,
            now: options.spotify?.now,
            redactor,
          }),
        );
      },
    });
    const outbox = options.access === 'write' ? await openOutbox(config, store, sources) : null;
    let executor: Promise<Executor> | null = null;
    const alerts =
      options.access === 'write' && config.alerts.webhook
        ? await openAlerts(config, { events, charts: store, redactor, logger })
        : null;
    const ctx: AppContext = {
      config,
      access: options.access,
      store,
      captures: outbox ?? store,
      charts: store,
      ledger: outbox ?? store,
      coordination: store,
      outbox,
      sources,
      redactor,
      logger,
      events,
      alerts,
      damaged,
      executor: () => {
        executor ??= openExecutorOf(config, logger, events);
        return executor;
      },
    };
    return new App(ctx, async () => {
      // Each closed whatever the others do: one failing to close must not leave the rest open.
      const closing = [
        executor?.then((opened) => opened.close(0)),
        limiter.close(),
        // A command about to exit gives its alerts a moment to arrive; never longer.
        alerts?.flush(ALERT_FLUSH_MS),
      ];
      await Promise.allSettled(closing);
      await store.close();
    });
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** How long a closing app waits for alerts still being delivered. */
const ALERT_FLUSH_MS = 5_000;

/** The webhook alerts go to, listening for failed runs (and digests) from now on. */
async function openAlerts(
  config: Config,
  deps: { events: EventBus; charts: ChartStore; redactor: Redactor; logger: Logger },
): Promise<AlertSink> {
  const [{ WebhookSink }, { alertOnRuns }] = await Promise.all([
    import('../adapters/webhook/webhook-sink.js'),
    import('../services/alerts/run-alerts.js'),
  ]);
  const sink = new WebhookSink(config.alerts.webhook as string, deps);
  alertOnRuns({
    ...deps,
    sink,
    timezone: config.timezone,
    digest: config.alerts.digest,
  });
  return sink;
}

/** The user login the charts configured with `auth: "user"` are read with; null when none is. */
async function userLoginSource(config: Config, deps: TokenDeps): Promise<UserLoginSource | null> {
  if (config.auth.userPlaylists.length === 0) return null;
  const [{ CredentialsFile }, { UserTokenProvider }] = await Promise.all([
    import('../adapters/credentials/credentials-file.js'),
    import('../adapters/spotify/user-tokens.js'),
  ]);
  const tokens = new UserTokenProvider(
    {
      clientId: config.spotify.clientId,
      accountsUrl: config.spotify.accountsUrl,
      http: config.http,
      store: new CredentialsFile(config.auth.file),
      refreshToken: config.auth.refreshToken,
    },
    deps,
  );
  return { playlists: config.auth.userPlaylists, tokens };
}

/** The outbox in front of the store's capture log and ledger; a late capture gets its chart. */
async function openOutbox(
  config: Config,
  store: ChartStore,
  sources: Sources,
): Promise<OutboxWriter> {
  const [{ Outbox }, { OutboxWriter }] = await Promise.all([
    import('../adapters/store/outbox/outbox.js'),
    import('../adapters/store/outbox/outbox-writer.js'),
  ]);
  return new OutboxWriter(store, new Outbox(config.outbox, `${store.kind} ${store.location}`), {
    onCaptureFlushed: async (capture, chartDate) => {
      const normaliser = await sources.normaliser(capture.source);
      if (!normaliser) return false;
      return (await buildChartFromLateCapture(store, capture, chartDate, normaliser)) !== null;
    },
  });
}

async function openExecutorOf(config: Config, logger: Logger, events: EventBus): Promise<Executor> {
  const { openExecutor } = await import('../adapters/queue/open-executor.js');
  return openExecutor(config.queue, {
    concurrency: config.queue.concurrency,
    // Each task may use its own attempts; a job's deliveries are bounded by all of them.
    maxAttempts: config.retries.attempts * TASK_NAMES.length,
    backoffMs: (attempt) => retryDelayMs(config.retries, attempt),
    warn: (line) => logger.warn(line),
    events,
  });
}

/** The configured rate limit on Spotify calls, opened on the first call that needs it. */
function lazyLimiter(config: Config) {
  let opened: Promise<RateLimiter | null> | null = null;
  return {
    get: () => {
      // A failed connection is not kept: the next call tries again (Redis may be back).
      opened ??= openRateLimiter(config.queue, config.rateLimit).catch((error: unknown) => {
        opened = null;
        throw error;
      });
      return opened;
    },
    close: async () => {
      await (await opened?.catch(() => null))?.close();
    },
  };
}

export type { App } from './app.js';
