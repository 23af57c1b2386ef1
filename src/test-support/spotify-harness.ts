import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpotifyPlaylistFetcher } from '../adapters/spotify/spotify-source.js';
import type { HttpSettings, SpotifySettings } from '../config/schema.js';
import type { Log } from '../domain/ports/sources.js';
import { type RunningEmulator, startEmulator } from '../emulator/emulator.js';

type EmulatorOptions = NonNullable<Parameters<typeof startEmulator>[0]>;

/** A source wired to a fresh emulator, recording every wait and log line instead of sleeping. */
export async function harness(
  options: EmulatorOptions & {
    http?: Partial<HttpSettings>;
    spotify?: Partial<SpotifySettings>;
    /** The client's clock and zone (when an exhausted quota resumes). */
    now?: () => number;
    timeZone?: string;
  } = {},
) {
  const {
    http: httpOverrides,
    spotify: spotifyOverrides,
    now,
    timeZone,
    ...emulatorOptions
  } = options;
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  const spotify: SpotifySettings = {
    apiUrl: emulator.apiUrl,
    accountsUrl: emulator.accountsUrl,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    ...spotifyOverrides,
  };
  const http: HttpSettings = {
    timeoutMs: 5_000,
    maxAttempts: 5,
    maxRetryWaitMs: 120_000,
    ...httpOverrides,
  };
  const waits: number[] = [];
  const logs: string[] = [];
  const log: Log = (level, message) => {
    logs.push(`${level}: ${message}`);
  };
  const source = new SpotifyPlaylistFetcher(spotify, http, {
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now,
    timeZone,
  });
  /** Requests the emulator saw, optionally only those whose path ends with `suffix`. */
  const requests = (suffix = '') => emulator.requests.filter((r) => r.path.endsWith(suffix));
  return { emulator, spotify, http, source, client: source.client, waits, logs, log, requests };
}

/** A source for the emulator's credentials and URLs (or `spotify` overrides) that never sleeps. */
export function emulatorSource(
  emulator: RunningEmulator,
  http: HttpSettings,
  spotify: Partial<SpotifySettings> = {},
): SpotifyPlaylistFetcher {
  return new SpotifyPlaylistFetcher(
    {
      ...emulator.credentials,
      apiUrl: emulator.apiUrl,
      accountsUrl: emulator.accountsUrl,
      ...spotify,
    },
    http,
    { sleep: async () => {} },
  );
}

/**
 * A reverse proxy in front of the emulator that rewrites `next` links to https://api.spotify.com
 * (as recorded replies do), and can answer 404 to /items (as an API without that endpoint would).
 */
export async function rewritingProxy(
  target: string,
  options: { itemsGone?: boolean } = {},
): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const origin = new URL(target).origin;
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.url ?? '');
    if (options.itemsGone && /\/items(\?|$)/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { status: 404, message: 'Not found.' } }));
      return;
    }
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    fetch(`${origin}${req.url}`, { headers })
      .then(async (reply) => {
        const text = (await reply.text()).replaceAll(origin, 'https://api.spotify.com');
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(text);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const path = new URL(target).pathname.replace(/\/+$/, '');
  return {
    url: `http://127.0.0.1:${port}${path}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** A one-route HTTP server answering every request with the given status, headers and body. */
export async function stubServer(
  reply: (count: number) => { status: number; headers?: Record<string, string>; body: string },
): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((_req, res) => {
    count++;
    const { status, headers, body } = reply(count);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
