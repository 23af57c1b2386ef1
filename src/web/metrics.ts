import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { App } from '../app/app.js';
import type { Run } from '../domain/run.js';

/** Prometheus metrics of this process, kept from the app's events. */
export interface Metrics {
  /** The exposition text, and its content type. */
  render(): Promise<{ text: string; contentType: string }>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Counts what happens in this process from the app's typed events (runs, tasks, Spotify
 * requests), so nothing in the pipeline knows of metrics. Each web app has a registry of its own.
 * With a queue the captures run in the workers, so their runs, tasks and requests are counted
 * there, not here.
 */
export function createMetrics(app: App): Metrics {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'chartkeeper_' });
  const runs = new Counter({
    name: 'chartkeeper_runs_total',
    help: 'Runs that ended in this process, by final state and trigger.',
    labelNames: ['state', 'trigger'],
    registers: [register],
  });
  const queued = new Counter({
    name: 'chartkeeper_runs_queued_total',
    help: 'Runs queued through this process (trigger, API), by trigger.',
    labelNames: ['trigger'],
    registers: [register],
  });
  const running = new Gauge({
    name: 'chartkeeper_runs_running',
    help: 'Runs under way in this process.',
    registers: [register],
  });
  const tasks = new Histogram({
    name: 'chartkeeper_task_duration_seconds',
    help: 'Time taken by each task of a capture, by task and outcome.',
    labelNames: ['task', 'state'],
    buckets: SECONDS,
    registers: [register],
  });
  const spotify = new Counter({
    name: 'chartkeeper_spotify_requests_total',
    help: 'Requests to Spotify, by endpoint and HTTP status ("none": no reply: network error or timeout).',
    labelNames: ['endpoint', 'status'],
    registers: [register],
  });
  const spotifyTime = new Histogram({
    name: 'chartkeeper_spotify_request_duration_seconds',
    help: 'Time until Spotify replied, by endpoint.',
    labelNames: ['endpoint'],
    buckets: SECONDS,
    registers: [register],
  });
  const lastSuccess = new Gauge({
    name: 'chartkeeper_last_success_timestamp_seconds',
    help: 'When the latest successful capture of each chart finished (Unix time).',
    labelNames: ['source', 'chart'],
    registers: [register],
  });

  // Read when scraped: what the store and the credentials file say now.
  new Gauge({
    name: 'chartkeeper_spotify_quota_exhausted_until_timestamp_seconds',
    help: "Until when Spotify's quota is exhausted (Unix time; 0 when it is not): captures are deferred until then.",
    registers: [register],
    async collect() {
      // A store that does not answer leaves the last value: /metrics still answers.
      const status = await app.spotifyStatus().catch(() => null);
      if (status) this.set(status.quota?.exhausted ? Date.parse(status.quota.until) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'chartkeeper_user_login_expiry_timestamp_seconds',
    help: 'When the Spotify user login (refresh token) expires (Unix time; absent without a login in the credentials file).',
    registers: [register],
    async collect() {
      const status = await app.loginStatus().catch(() => null);
      if (!status) return;
      this.reset();
      if (status.login) this.set(Date.parse(status.login.refreshExpiresAt) / 1000);
    },
  });

  const started = new Set<string>();
  const latest = new Map<string, number>();
  const succeeded = (run: Run) => {
    const at = Date.parse(run.finishedAt ?? '') / 1000;
    const labels = { source: run.source, chart: run.chartId };
    const name = `${run.source}/${run.chartId}`;
    // Never moved back by an older run read from the ledger after a newer one ended here.
    if (Number.isNaN(at) || (latest.get(name) ?? 0) >= at) return;
    latest.set(name, at);
    lastSuccess.set(labels, at);
  };
  app.events.on('run-queued', ({ run }) => queued.inc({ trigger: run.trigger }));
  app.events.on('run-started', ({ run }) => {
    if (started.has(run.id)) return;
    started.add(run.id);
    running.inc();
  });
  app.events.on('run-finished', ({ run }) => {
    if (started.delete(run.id)) running.dec();
    runs.inc({ state: run.state, trigger: run.trigger });
    if (run.state === 'succeeded') succeeded(run);
  });
  app.events.on('task-finished', ({ task }) => {
    const from = Date.parse(task.startedAt ?? '');
    const to = Date.parse(task.finishedAt ?? '');
    if (Number.isNaN(from) || Number.isNaN(to)) return;
    tasks.observe({ task: task.name, state: task.state }, (to - from) / 1000);
  });
  app.events.on('spotify-response', ({ endpoint, status, durationMs }) => {
    spotify.inc({ endpoint, status: status === null ? 'none' : String(status) });
    spotifyTime.observe({ endpoint }, durationMs / 1000);
  });
  // The latest success of each configured chart from before this process started, read from the
  // ledger at the first scrape (a web app that is never scraped, as `site` makes, reads nothing).
  let known: Promise<void> | null = null;
  const readLedger = () =>
    app.lastSuccesses().then(
      (found) => found.forEach(succeeded),
      (error: Error) => {
        known = null;
        app.logger.warn(`metrics: could not read the latest captures: ${error.message}`);
      },
    );

  return {
    render: async () => {
      known ??= readLedger();
      await known;
      return { text: await register.metrics(), contentType: register.contentType };
    },
  };
}
