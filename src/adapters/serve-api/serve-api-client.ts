import { request } from 'node:http';
import type { Run } from '../../domain/run.js';

/** What a serve's POST /api/trigger answers (as `chartkeeper trigger --json` prints it). */
export interface ApiTriggerReply {
  ok: boolean;
  queued: Run[];
  runs: Run[];
  serving: boolean;
  end: 'finished' | 'timeout' | 'no-serve' | null;
}

/** How asking a serve's API went. */
export type ApiOutcome<T> =
  /** It answered 2xx. */
  | { kind: 'answered'; reply: T }
  /** It answered with an error: its status and the API's error body. */
  | { kind: 'refused'; status: number; code: string; message: string; hint: string | null }
  /** Nothing answered there (the serve stopped; the URL is stale), or not as a chartkeeper would. */
  | { kind: 'unreachable'; reason: string };

/** How long connecting may take: a serve on this machine answers at once. */
const CONNECT_MS = 2_000;

/**
 * Where to reach a serve that listens at `url` (as it recorded it): a serve bound to every
 * address (0.0.0.0, ::) is reached on loopback.
 */
export function reachableUrl(url: string): URL {
  const target = new URL(url);
  if (target.hostname === '0.0.0.0') target.hostname = '127.0.0.1';
  if (target.hostname === '[::]') target.hostname = '[::1]';
  return target;
}

/**
 * Asks a running serve to capture `charts` now through its API (POST /api/trigger), waiting up
 * to `waitS` seconds for the runs when given. Plain node:http: a one-shot command should not pay
 * for loading fetch.
 */
export function triggerThroughApi(
  url: string,
  options: { token?: string; charts?: readonly string[]; waitS?: number },
): Promise<ApiOutcome<ApiTriggerReply>> {
  const target = new URL('api/trigger', reachableUrl(url));
  const body = JSON.stringify({
    ...(options.charts ? { charts: options.charts } : {}),
    ...(options.waitS !== undefined ? { wait: options.waitS } : {}),
  });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ApiOutcome<ApiTriggerReply>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connecting);
      resolve(outcome);
    };
    const sent = request(
      target,
      {
        method: 'POST',
        // A connection of its own, closed after the reply: one request per command.
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', (error) => settle({ kind: 'unreachable', reason: error.message }));
        response.once('end', () => {
          settle(readReply(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        });
      },
    );
    // Only connecting is bounded: the reply may take as long as the runs (with a wait).
    const connecting = setTimeout(
      () => sent.destroy(new Error(`no connection within ${CONNECT_MS} ms`)),
      CONNECT_MS,
    );
    sent.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => clearTimeout(connecting));
      else clearTimeout(connecting);
    });
    sent.once('error', (error) => settle({ kind: 'unreachable', reason: error.message }));
    sent.end(body);
  });
}

function readReply(status: number, text: string): ApiOutcome<ApiTriggerReply> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'unreachable', reason: `the reply (HTTP ${status}) is not chartkeeper's JSON` };
  }
  if (status >= 200 && status < 300) {
    const reply = body as Partial<ApiTriggerReply>;
    if (Array.isArray(reply.runs) && Array.isArray(reply.queued)) {
      return { kind: 'answered', reply: reply as ApiTriggerReply };
    }
    return { kind: 'unreachable', reason: `the reply (HTTP ${status}) is not chartkeeper's` };
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; hint?: unknown } }).error;
  if (typeof error?.message !== 'string') {
    return { kind: 'unreachable', reason: `HTTP ${status} without chartkeeper's error body` };
  }
  return {
    kind: 'refused',
    status,
    code: typeof error.code === 'string' ? error.code : 'http',
    message: error.message,
    hint: typeof error.hint === 'string' ? error.hint : null,
  };
}
