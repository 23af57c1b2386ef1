import type { ChartKey } from '../domain/chart.js';
import type { ChartDiagnosis, DoctorCheck, SpotifyAppFacts } from '../domain/diagnosis.js';
import { ChartkeeperError } from '../domain/errors.js';
import { redactUrlPassword } from '../lib/redact.js';
import { diagnoseSpotify } from '../services/doctor/diagnose-spotify.js';
import { latestQuota } from '../services/quota/quota-state.js';
import { requireSpotifyCredentials } from './config.js';
import type { AppContext } from './context.js';
import { checkUserLogin } from './user-login.js';

/** What `chartkeeper doctor` found: each check, and whether each configured chart can be captured. */
export interface DoctorReport {
  /** True only when every check passed or did not apply and every chart can be captured. */
  ok: boolean;
  checks: DoctorCheck[];
  charts: ChartDiagnosis[];
  /** What was learned about the Spotify app (also kept in the store for the status page). */
  app: SpotifyAppFacts | null;
}

/**
 * Checks, in order, the configuration, the store, the queue (when one is configured), the user
 * login, the app's credentials, and then each configured chart with the cheapest real requests
 * (see diagnoseSpotify). What it learns of the app is kept in the store. Never calls Spotify while
 * its quota is known to be exhausted.
 */
export async function runDoctor(
  ctx: AppContext,
  keys?: readonly ChartKey[],
): Promise<DoctorReport> {
  const charts = keys ?? ctx.config.charts;
  const checks: DoctorCheck[] = [configurationCheck(ctx, charts)];
  const store = await storeCheck(ctx);
  checks.push(store, await queueCheck(ctx), await checkUserLogin(ctx));
  if (store.status === 'failed') {
    return { ok: false, checks, charts: [], app: null };
  }
  const fetchable = charts.filter((key) => ctx.sources.isFetched(key.source));
  const fetcher = fetchable.length > 0 ? await ctx.sources.fetcher(fetchable[0]!.source) : null;
  if (!fetcher) {
    checks.push({
      name: 'credentials',
      status: 'skipped',
      detail: 'no chart is read from Spotify: nothing to check',
      hint: null,
    });
    return { ok: checks.every((c) => c.status !== 'failed'), checks, charts: [], app: null };
  }
  const { credentials, facts } = await diagnoseSpotify(
    {
      fetcher,
      coordination: ctx.coordination,
      timezone: ctx.config.timezone,
      clock: () => new Date(),
      log: (level, message) => ctx.logger[level](message),
      // Charts read with the user's login need no app token (PKCE has no client secret).
      appToken: fetchable.some((key) => !ctx.config.auth.userPlaylists.includes(key.chartId)),
    },
    fetchable,
  );
  checks.push(redactCheck(ctx, credentials));
  // Spotify's own words are quoted in the explanations; a server may echo what it was sent.
  const app: SpotifyAppFacts = {
    ...facts,
    charts: facts.charts.map((chart) => ({
      ...chart,
      why: redact(ctx, chart.why),
      todo: redact(ctx, chart.todo),
    })),
  };
  await ctx.coordination.setState('spotify.app', app);
  const ok = checks.every((c) => c.status !== 'failed') && app.charts.every((c) => c.capturable);
  return { ok, checks, charts: app.charts, app };
}

function redact(ctx: AppContext, text: string | null): string | null {
  return text === null ? null : ctx.redactor.redact(text);
}

function redactCheck(ctx: AppContext, check: DoctorCheck): DoctorCheck {
  return { ...check, detail: ctx.redactor.redact(check.detail), hint: redact(ctx, check.hint) };
}

/** What the status page shows of Spotify: the quota (and whether it is exhausted now), doctor's facts. */
export interface SpotifyStatus {
  quota: { until: string; seenAt: string; reason: string | null; exhausted: boolean } | null;
  app: SpotifyAppFacts | null;
}

/** The quota the store knows of and what the latest `doctor` learned, for the status page and metrics. */
export async function spotifyStatus(ctx: AppContext, now = new Date()): Promise<SpotifyStatus> {
  const [quota, app] = await Promise.all([
    latestQuota(ctx.coordination),
    ctx.coordination.getState('spotify.app'),
  ]);
  return {
    quota: quota && {
      until: quota.until,
      seenAt: quota.seenAt,
      reason: quota.reason,
      exhausted: Date.parse(quota.until) > now.getTime(),
    },
    app,
  };
}

function configurationCheck(ctx: AppContext, charts: readonly ChartKey[]): DoctorCheck {
  const { config } = ctx;
  const summary = `${charts.length} chart${charts.length === 1 ? '' : 's'}, schedule "${config.schedule}" in ${config.timezone}`;
  try {
    // The rule `run` applies: the client id, and the secret unless every chart uses the login.
    if (charts.length > 0) requireSpotifyCredentials(config);
  } catch (error) {
    const missing = error as ChartkeeperError;
    return {
      name: 'configuration',
      status: 'failed',
      detail: `${summary}; ${missing.message}`,
      hint: 'Create an app at https://developer.spotify.com/dashboard and set its client id and secret (or spotify.clientId/clientSecret in chartkeeper.config.json)',
    };
  }
  return { name: 'configuration', status: 'ok', detail: `read and valid: ${summary}`, hint: null };
}

/** The store answers a read (opening it already proved it exists and has the right schema). */
async function storeCheck(ctx: AppContext): Promise<DoctorCheck> {
  const where = `${ctx.store.kind} store ${ctx.store.location}`;
  try {
    await ctx.coordination.getState('spotify.quota');
    return { name: 'store', status: 'ok', detail: `${where} is reachable`, hint: null };
  } catch (error) {
    return failed('store', `${where} cannot be read`, error);
  }
}

async function queueCheck(ctx: AppContext): Promise<DoctorCheck> {
  const { url } = ctx.config.queue;
  if (!url) {
    return {
      name: 'queue',
      status: 'skipped',
      detail: 'none configured: `serve` runs the captures itself',
      hint: null,
    };
  }
  try {
    await ctx.executor();
    return {
      name: 'queue',
      status: 'ok',
      detail: `Redis at ${redactUrlPassword(url)} is reachable`,
      hint: null,
    };
  } catch (error) {
    return failed('queue', `Redis at ${redactUrlPassword(url)} cannot be reached`, error);
  }
}

function failed(name: DoctorCheck['name'], what: string, error: unknown): DoctorCheck {
  // chartkeeper's own errors say what failed and where; anything else is named after `what`.
  if (error instanceof ChartkeeperError) {
    return { name, status: 'failed', detail: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name, status: 'failed', detail: `${what}: ${message}`, hint: null };
}
