import type { Config } from '../config/schema.js';
import { keyLabel } from '../domain/sources.js';
import { type LoginStatus, loginStatus } from './auth.js';
import type { AppContext } from './context.js';
import { type SpotifyStatus, spotifyStatus } from './doctor.js';

/** Written in at build time (scripts/build.mjs), from package.json. */
declare const CHARTKEEPER_VERSION: string;

/** How long a reachability check may take before the thing counts as unreachable. */
const CHECK_MS = 3_000;
/** What a secret is shown as. */
export const MASKED = '••••••';

/** Whether something chartkeeper depends on answered, and how. */
export interface Reachability {
  /** null: not used by this configuration. */
  ok: boolean | null;
  detail: string;
}

/** What the status page shows. */
export interface StatusReport {
  version: string;
  /** The configuration in effect, every secret masked, as [setting, value] lines. */
  settings: [string, string][];
  store: Reachability;
  queue: Reachability;
  spotify: Reachability;
  /** The quota the store knows of, and what the latest `chartkeeper doctor` learned of the app. */
  spotifyApp: SpotifyStatus;
  /** The user login (charts with `auth: "user"`): who, until when, the expiry warning. */
  login: LoginStatus;
}

/**
 * The configuration in effect with every secret masked, and whether the store, the queue and
 * Spotify answer now. Each check is bounded in time, so a dead service slows the page by
 * seconds, never hangs it.
 */
export async function statusReport(ctx: AppContext): Promise<StatusReport> {
  const [store, queue, spotify, spotifyApp, login] = await Promise.all([
    checkStore(ctx),
    checkQueue(ctx),
    checkSpotify(ctx.config),
    spotifyStatus(ctx),
    loginStatus(ctx.config),
  ]);
  return {
    version: typeof CHARTKEEPER_VERSION === 'string' ? CHARTKEEPER_VERSION : 'development',
    settings: maskedSettings(ctx),
    store,
    queue,
    spotify,
    spotifyApp,
    login,
  };
}

/** The settings as `dotted.name` and a printable value, secrets masked in every form. */
export function maskedSettings(ctx: Pick<AppContext, 'config' | 'redactor'>): [string, string][] {
  const lines: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, inner] of Object.entries(value)) walk(`${prefix}${name}.`, inner);
      return;
    }
    const name = prefix.slice(0, -1);
    lines.push([name, maskValue(name, value, ctx)]);
  };
  const { charts, ...rest } = ctx.config;
  walk('', { ...rest, charts: charts.map(keyLabel).join(', ') || '(none)' });
  return lines;
}

function maskValue(
  name: string,
  value: unknown,
  ctx: Pick<AppContext, 'config' | 'redactor'>,
): string {
  if (/secret|token|password/i.test(name)) return MASKED;
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  // A URL's password (mongodb://user:pw@host, redis://:pw@host), however it is spelt.
  text = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, `$1${MASKED}@`);
  // Whatever else the redactor knows to be a secret (the client secret, its Basic form, tokens).
  return ctx.redactor.redact(text).replaceAll('[redacted]', MASKED);
}

async function checkStore(ctx: AppContext): Promise<Reachability> {
  const where = `${ctx.store.kind} store ${ctx.redactor.redact(ctx.store.location)}`;
  try {
    await within(ctx.ledger.listRuns({ limit: 1 }));
    return { ok: true, detail: `${where}: answers` };
  } catch (error) {
    return { ok: false, detail: `${where}: ${ctx.redactor.redact((error as Error).message)}` };
  }
}

async function checkQueue(ctx: AppContext): Promise<Reachability> {
  if (!ctx.config.queue.url) return { ok: null, detail: 'none: captures run in this process' };
  try {
    const executor = await within(ctx.executor());
    await within(executor.intact());
    return { ok: true, detail: `${executor.kind} at ${executor.location}: answers` };
  } catch (error) {
    return { ok: false, detail: ctx.redactor.redact((error as Error).message) };
  }
}

/** Any HTTP answer from Spotify's accounts service counts: it is there and reachable. */
async function checkSpotify(config: Config): Promise<Reachability> {
  const url = config.spotify.accountsUrl;
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(CHECK_MS) });
    return { ok: true, detail: `${url} answers (HTTP ${response.status})` };
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' ? 'no answer in 3 s' : 'unreachable';
    return { ok: false, detail: `${url}: ${why}` };
  }
}

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${CHECK_MS / 1000} s`)), CHECK_MS).unref(),
    ),
  ]);
}
