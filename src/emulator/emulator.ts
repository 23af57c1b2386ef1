import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { authorizeEndpoint, meEndpoint } from './authorize.js';
import { EMULATOR_CREDENTIALS } from './constants.js';
import { applyLoginControl, controlEndpoint, type LoginControl } from './control.js';
import { FaultQueue, type ResolvedFault } from './faults.js';
import { imageReply } from './images.js';
import { Logins } from './logins.js';
import { type PremiumRefusal, premiumRequired } from './modes.js';
import { playlistEndpoint } from './playlists.js';
import { QuotaState, quotaExceeded } from './quota.js';
import { RateWindow, type RateWindowStats } from './rate-window.js';
import { apiError, type Reply, send, serverError } from './responses.js';
import { allowedMethods, faultPathOf, matchRoute, type Route } from './routes.js';
import { authorise, TokenStore, tokenEndpoint } from './tokens.js';
import type { AppMode, Fault, RequestRecord } from './types.js';

export { BENCH_PLAYLIST_PREFIX, benchPlaylistId } from './bench-playlists.js';
export { EMULATOR_CREDENTIALS, EMULATOR_PLAYLISTS } from './constants.js';
export type { LoginControl } from './control.js';
export { parseFaultSpec } from './faults.js';
export { EMULATOR_USER } from './logins.js';
export { type PremiumRefusal, parseAppMode, parsePremiumRefusal } from './modes.js';
export type { RateWindowStats } from './rate-window.js';
export type { AppMode, Fault, FaultKind, FaultPath, RequestRecord } from './types.js';

export interface EmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  mode?: AppMode;
  /** false: every /v1 call answers 403, as Development Mode does when the owner lacks Premium. */
  ownerHasPremium?: boolean;
  /** The body of that 403: JSON (default) or the phrase as plain text. */
  premiumRefusal?: PremiumRefusal;
  /** Starts with the quota exhausted for this many seconds (every /v1 call: 429 QUOTA_EXCEEDED). */
  quotaExhaustedSeconds?: number;
  tokenLifetimeSeconds?: number;
  /** How long a refresh token lives after the user's consent; default 182 days (six months). */
  refreshTokenLifetimeDays?: number;
  /** The chart date (YYYY-MM-DD) whose catalogue is served; default today in UTC, per request. */
  today?: () => string;
  /** Enforce a rate limit on /v1 calls: at most `max` in any `windowMs`, else 429 with Retry-After. */
  rateLimit?: { max: number; windowMs: number };
}

export interface RunningEmulator {
  url: string;
  /** Same as url: the token endpoint is accountsUrl + '/api/token'. */
  accountsUrl: string;
  /** url + '/v1'. */
  apiUrl: string;
  credentials: { clientId: string; clientSecret: string };
  inject(fault: Fault): void;
  clearFaults(): void;
  setMode(mode: AppMode): void;
  /** Whether the app owner has Premium, and how a refusal for lacking it looks. */
  setPremium(active: boolean, as?: PremiumRefusal): void;
  /** Exhausts the quota for `retryAfterSeconds` from now, or (null) gives it back. */
  exhaustQuota(retryAfterSeconds: number | null): void;
  /** The user logins (PKCE): revoke, age or stop rotating refresh tokens (also POST /_emulator/login). */
  login(control: LoginControl): void;
  /** Every access token, refresh token and pending code handed out, for leak checks. */
  secretsIssued(): string[];
  /** Every token and /v1 request served, in the order they finished (not control or images). */
  requests: RequestRecord[];
  /** Total milliseconds spent inside the emulator's request handlers (for benchmarks). */
  handlerTimeMs(): number;
  /** What the `rateLimit` option let through and refused; null without one. */
  rateLimitStats(): RateWindowStats | null;
  /** Closes the server and all keep-alive sockets promptly. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

function faultReply(fault: ResolvedFault): Reply | null {
  if (fault.kind === 'rate-limit') {
    if (fault.quota) return quotaExceeded(fault.retryAfterSeconds);
    return apiError(429, 'API rate limit exceeded', {
      headers: { 'Retry-After': String(fault.retryAfterSeconds) },
    });
  }
  if (fault.kind === 'server-error') return serverError(fault.status);
  return null;
}

/** Starts a fake Spotify (accounts and Web API) on a local port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const credentials = {
    clientId: options.clientId ?? EMULATOR_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? EMULATOR_CREDENTIALS.clientSecret,
  };
  const tokens = new TokenStore(options.tokenLifetimeSeconds ?? 3600);
  const logins = new Logins(options.refreshTokenLifetimeDays);
  const faults = new FaultQueue();
  const today = options.today ?? utcToday;
  const premium = {
    active: options.ownerHasPremium ?? true,
    as: options.premiumRefusal ?? ('json' as PremiumRefusal),
  };
  const quota = new QuotaState();
  if (options.quotaExhaustedSeconds !== undefined) quota.exhaust(options.quotaExhaustedSeconds);
  const requests: RequestRecord[] = [];
  const sleepers = new Set<() => void>();
  let mode: AppMode = options.mode ?? 'extended';
  const rateWindow = options.rateLimit
    ? new RateWindow(options.rateLimit.max, options.rateLimit.windowMs)
    : null;
  let handlerMs = 0;
  let origin = '';

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const dispatch = (route: Route, req: IncomingMessage, url: URL, body: string): Reply => {
    const method = req.method ?? 'GET';
    const allowed = allowedMethods(route);
    if (route.kind === 'unknown') return apiError(404, 'Service not found');
    if (!allowed.includes(method)) {
      return apiError(405, 'Method not allowed', { headers: { Allow: allowed.join(', ') } });
    }
    switch (route.kind) {
      case 'token':
        return tokenEndpoint(req.headers, body, credentials, tokens, logins);
      case 'authorize':
        return authorizeEndpoint(url.searchParams, credentials.clientId, logins);
      case 'me': {
        const allowed = authorise(req.headers, tokens);
        return 'status' in allowed ? allowed : meEndpoint(allowed.user);
      }
      case 'image':
        return imageReply(route.name);
      case 'control':
        return controlEndpoint(route.name, method, body, {
          faults,
          requests,
          getMode: () => mode,
          setMode: (next) => {
            mode = next;
          },
          logins,
          quota,
          setPremium: (active, as) => {
            premium.active = active;
            premium.as = as ?? premium.as;
          },
        });
      case 'playlist': {
        const allowed = authorise(req.headers, tokens);
        if ('status' in allowed) return allowed;
        if (!premium.active) return premiumRequired(premium.as);
        return playlistEndpoint({
          id: route.id,
          endpoint: route.endpoint,
          query: url.searchParams,
          origin: req.headers.host ? `http://${req.headers.host}` : origin,
          mode,
          date: today(),
          user: allowed.user,
        });
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const route = matchRoute(url.pathname);
    const body = await readBody(req);
    const faultPath = faultPathOf(route);
    if (faultPath) {
      res.on('close', () => {
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          status: res.headersSent ? res.statusCode : 0,
          durationMs: performance.now() - started,
        });
      });
    }
    // The quota is spent by any Web API call, before its window or faults are considered.
    const overQuota = faultPath && faultPath !== 'token' ? quota.refusal() : null;
    if (overQuota) {
      send(res, overQuota);
      return;
    }
    if (rateWindow && faultPath && faultPath !== 'token') {
      const waitMs = rateWindow.admit(Date.now());
      if (waitMs > 0) {
        const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
        send(
          res,
          apiError(429, 'API rate limit exceeded', { headers: { 'Retry-After': retryAfter } }),
        );
        return;
      }
    }
    const fault = faultPath ? faults.take(faultPath) : null;
    if (fault?.kind === 'connection-reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (res.destroyed) return;
    if (fault?.kind === 'expire-token') tokens.expireAll();

    const handlerStarted = performance.now();
    let reply: Reply;
    try {
      reply = (fault && faultReply(fault)) ?? dispatch(route, req, url, body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = apiError(500, `Emulator failure: ${message}`);
    }
    send(res, reply, fault?.kind === 'malformed-json');
    handlerMs += performance.now() - handlerStarted;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url: origin,
    accountsUrl: origin,
    apiUrl: `${origin}/v1`,
    credentials,
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    setMode: (next) => {
      mode = next;
    },
    setPremium: (active, as) => {
      premium.active = active;
      premium.as = as ?? premium.as;
    },
    exhaustQuota: (seconds) => {
      if (seconds === null) quota.restore();
      else quota.exhaust(seconds);
    },
    login: (control) => applyLoginControl(logins, control),
    secretsIssued: () => [...tokens.secrets(), ...logins.secrets()],
    requests,
    handlerTimeMs: () => handlerMs,
    rateLimitStats: () => rateWindow?.snapshot() ?? null,
    close: async () => {
      for (const wake of [...sleepers]) wake();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
