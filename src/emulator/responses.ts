import type { ServerResponse } from 'node:http';
import type { SpotifyApiErrorBody, SpotifyOAuthErrorBody } from '../adapters/spotify/schemas.js';

/** What a route answers; the server adds faults and writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless it is already a string; omitted for 204. */
  body?: unknown;
  contentType?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

/** An error in api.spotify.com's shape: `{"error":{"status","message"}}`. */
export function apiError(
  status: number,
  message: string,
  options: { reason?: string; headers?: Record<string, string> } = {},
): Reply {
  const error: SpotifyApiErrorBody['error'] = { status, message };
  if (options.reason) error.reason = options.reason;
  return { status, body: { error }, headers: options.headers };
}

/** An error in accounts.spotify.com's OAuth shape. */
export function oauthError(error: string, description: string): Reply {
  const body: SpotifyOAuthErrorBody = { error, error_description: description };
  return { status: 400, body };
}

/** A 204 without a body. */
export function noContent(): Reply {
  return { status: 204 };
}

const SERVER_ERROR_MESSAGES: Record<number, string> = {
  500: 'Server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** The 5xx statuses a server-error fault may use. */
export const SERVER_ERROR_STATUSES = Object.keys(SERVER_ERROR_MESSAGES).map(Number);

/** A 5xx in Spotify's shape. */
export function serverError(status: number): Reply {
  return apiError(status, SERVER_ERROR_MESSAGES[status] ?? 'Server error');
}

/** The reply's body as the bytes to send. */
export function serialise(reply: Reply): Buffer {
  if (reply.body === undefined || reply.status === 204) return Buffer.alloc(0);
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  return Buffer.from(text, 'utf8');
}

/**
 * Writes a reply. With `truncate`, half the body is sent under an honest Content-Length, as a
 * proxy that cut the upstream answer would: the client gets a 200 whose JSON does not parse.
 */
export function send(res: ServerResponse, reply: Reply, truncate = false): void {
  let body = serialise(reply);
  let status = reply.status;
  if (truncate) {
    status = 200;
    body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    if (body.length === 0) body = Buffer.from('{');
  }
  const headers: Record<string, string | number> = { ...reply.headers };
  if (status !== 204) {
    headers['Content-Type'] = reply.contentType ?? JSON_TYPE;
    headers['Content-Length'] = body.length;
  }
  res.writeHead(status, headers);
  res.end(body);
}
