import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RateLimiter } from '../../domain/ports/executor.js';
import type { EventSink, SpotifyEndpoint } from '../../domain/ports/observability.js';

/** The part of a fetch Response the Spotify client reads. */
export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The part of fetch the Spotify client uses; globalThis.fetch is one. */
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<HttpResponse>;

/**
 * fetch's contract over node:http(s). Node's global fetch (undici) takes ~25 ms and several
 * megabytes to load, a quarter of a one-shot `chartkeeper run`; the few calls chartkeeper makes
 * need none of what it adds. Redirects are not followed (the Web API does not redirect). A
 * request aborted by its signal rejects with the signal's reason (a TimeoutError for
 * AbortSignal.timeout), as fetch does.
 */
export const nodeFetch: HttpFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const { signal } = init;
    if (signal?.aborted) return reject(signal.reason);
    const request = send(target, { method: init.method, headers: init.headers }, (response) => {
      resolve(asResponse(response, signal));
    });
    const onAbort = () => request.destroy(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('close', () => signal?.removeEventListener('abort', onAbort));
    request.once('error', reject);
    request.end(init.body);
  });

function asResponse(response: IncomingMessage, signal: AbortSignal | undefined): HttpResponse {
  const chunks: Buffer[] = [];
  const body = new Promise<string>((resolve, reject) => {
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
    response.once('aborted', () => reject(signal?.reason ?? new Error('the reply was cut short')));
    response.once('close', () => {
      if (!response.complete) reject(signal?.reason ?? new Error('the reply was cut short'));
    });
  });
  // Read at once, so that a body nobody asks for never holds the socket.
  body.catch(() => {});
  return {
    status: response.statusCode ?? 0,
    headers: {
      get: (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : (value ?? null);
      },
    },
    text: () => body,
  };
}

/**
 * `fetch`, waiting for the rate limit before each Web API call (URLs under `apiUrl`); the token
 * endpoint is not limited. The limiter is asked for on the first call (it may connect to Redis).
 */
export function rateLimited(
  fetch: HttpFetch,
  limiter: () => Promise<RateLimiter | null>,
  apiUrl: string,
): HttpFetch {
  return async (url, init) => {
    if (url.startsWith(apiUrl)) await (await limiter())?.acquire();
    return fetch(url, init);
  };
}

/**
 * `fetch`, telling `events` of every exchange with Spotify (endpoint, status or none, time
 * taken), for metrics; what was asked and answered is not in the event.
 */
export function observed(
  fetch: HttpFetch,
  events: EventSink,
  urls: { apiUrl: string; accountsUrl: string },
): HttpFetch {
  return async (url, init) => {
    const endpoint = endpointOf(url, urls);
    const started = performance.now();
    const done = (status: number | null) =>
      events.emit('spotify-response', {
        endpoint,
        status,
        durationMs: performance.now() - started,
      });
    try {
      const response = await fetch(url, init);
      done(response.status);
      return response;
    } catch (error) {
      done(null);
      throw error;
    }
  };
}

function endpointOf(url: string, urls: { apiUrl: string; accountsUrl: string }): SpotifyEndpoint {
  // The Web API first: its URL may lie under the accounts URL (the emulator serves both).
  if (url.startsWith(urls.apiUrl)) {
    const path = new URL(url).pathname;
    if (/\/playlists\/[^/]+\/(items|tracks)$/.test(path)) return 'items';
    if (/\/playlists\/[^/]+$/.test(path)) return 'playlist';
    return 'other';
  }
  return url.startsWith(urls.accountsUrl) ? 'token' : 'other';
}
