import type * as z from 'zod/mini';
import type { HttpSettings } from '../../config/schema.js';
import type { Log } from '../../domain/ports/sources.js';
import { describeIssues } from '../../lib/describe-issues.js';
import { apiErrorOf } from './errors.js';
import {
  exhausted,
  isQuota,
  overRateBudget,
  quotaError,
  type Retryable,
  retryLine,
} from './http-failures.js';
import { type HttpFetch, nodeFetch } from './http-transport.js';

/** The I/O tests replace: the network, waiting, and the jitter of backoff. */
export interface HttpDeps {
  fetch: HttpFetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** The clock (epoch milliseconds), for when an exhausted quota resumes. */
  now?: () => number;
  /** The zone a quota's end is told in (config `timezone`); UTC when not given. */
  timeZone?: string;
}

/** The real network, timers and randomness. */
export const realHttpDeps: HttpDeps = {
  fetch: nodeFetch,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** One JSON request; `label` ("GET /playlists/x/items") names it in messages and never holds secrets. */
export interface JsonRequest<T> {
  method: 'GET' | 'POST';
  url: string;
  label: string;
  headers?: Record<string, string>;
  body?: string;
  schema: z.ZodMiniType<T>;
  log?: Log;
  /** The reply carries a secret (an access token): never quote its body. */
  secretReply?: boolean;
}

/** A validated 2xx reply, or a refusal (4xx other than 429) for the caller to explain. */
export type JsonReply<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; body: unknown };

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
// A garbled 200 is rarely cured by asking again and again.
const MAX_MALFORMED_RETRIES = 2;

type Outcome<T> = { kind: 'done'; reply: JsonReply<T> } | Retryable;

/**
 * Sends a request and returns its validated JSON reply. Retries what time may cure (429 after
 * Retry-After, 5xx, network errors, timeouts, malformed 200s) within http.maxAttempts and a total
 * waiting budget of http.maxRetryWaitMs; throws a SpotifyError once that is used up. A 429 that
 * is a quota (reason QUOTA_EXCEEDED, or a Retry-After beyond the whole budget) is never retried:
 * it throws a QuotaExhaustedError at once, saying until when.
 */
export async function requestJson<T>(
  request: JsonRequest<T>,
  settings: HttpSettings,
  deps: HttpDeps = realHttpDeps,
): Promise<JsonReply<T>> {
  const maxAttempts = Math.max(1, settings.maxAttempts);
  let waitedMs = 0;
  let malformed = 0;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, settings.timeoutMs, deps.fetch);
    if (outcome.kind === 'done') return outcome.reply;
    // Asking again before the quota resumes only spends what is left of it (shared by every app
    // of the developer account): one request, then stop.
    if (outcome.kind === 'rate-limited' && isQuota(outcome, settings)) {
      throw quotaError(outcome, request.label, deps);
    }
    if (outcome.kind === 'malformed') malformed++;
    if (attempt >= maxAttempts || malformed > MAX_MALFORMED_RETRIES) {
      throw exhausted(outcome, request.label, attempt, settings);
    }
    const leftMs = settings.maxRetryWaitMs - waitedMs;
    let waitMs: number;
    if (outcome.kind === 'rate-limited') {
      if (outcome.waitMs > leftMs) throw overRateBudget(outcome, request.label, leftMs, settings);
      waitMs = outcome.waitMs;
    } else {
      if (leftMs <= 0) throw exhausted(outcome, request.label, attempt, settings, true);
      const backoff =
        deps.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      const asked = outcome.kind === 'server-error' ? (outcome.waitMs ?? 0) : 0;
      if (asked > leftMs) throw exhausted(outcome, request.label, attempt, settings, true);
      // Our own backoff may be shortened to fit the budget; a server's Retry-After may not.
      waitMs = Math.round(Math.min(Math.max(backoff, asked), leftMs));
    }
    request.log?.('warn', retryLine(outcome, request.label, waitMs, attempt + 1, maxAttempts));
    await deps.sleep(waitMs);
    waitedMs += waitMs;
  }
}

async function attemptOnce<T>(
  request: JsonRequest<T>,
  timeoutMs: number,
  fetchFn: HttpFetch,
): Promise<Outcome<T>> {
  let status: number;
  let text: string;
  let contentType: string;
  let retryAfter: string | null;
  try {
    // One signal covers connecting, the headers and reading the body.
    const response = await fetchFn(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    contentType = response.headers.get('content-type') ?? 'no content-type';
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) return { kind: 'timeout' };
    return { kind: 'network', what: networkProblem(error) };
  }
  const json = parseJson(text);
  if (status === 429) {
    const asked = retryAfterMs(retryAfter);
    return {
      kind: 'rate-limited',
      waitMs: asked ?? 1000,
      retryAfterMs: asked,
      reason: apiErrorOf(json.value).reason,
    };
  }
  if (status >= 500) {
    const waitMs = retryAfterMs(retryAfter);
    return { kind: 'server-error', status, waitMs, message: apiErrorOf(json.value).message };
  }
  if (status < 200 || status >= 300)
    return { kind: 'done', reply: { ok: false, status, body: json.value } };
  if (!json.ok) {
    // A token reply must never be quoted, even in part.
    const start = request.secretReply ? '' : `, starts with ${JSON.stringify(text.slice(0, 40))}`;
    return {
      kind: 'malformed',
      what: `the body is not JSON (${contentType}, ${text.length} characters${start})`,
    };
  }
  const parsed = request.schema.safeParse(json.value);
  if (!parsed.success) return { kind: 'malformed', what: describeIssues(parsed.error) };
  return { kind: 'done', reply: { ok: true, status, data: parsed.data } };
}

/** Retry-After in milliseconds: delta-seconds as Spotify sends it, or an HTTP date. */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const value = Number(header.trim());
  if (Number.isFinite(value) && value >= 0) return Math.ceil(value * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

const NETWORK_CODES: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
};

/** fetch hides the socket error under `cause`; name the code a user can search for. */
function networkProblem(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return `${NETWORK_CODES[code] ?? 'a network error'} (${code})`;
    current = current.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `a network error (${message})`;
}
