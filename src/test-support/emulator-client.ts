import { afterAll, afterEach } from 'vitest';
import type { SpotifyPage, SpotifyPlaylistItem } from '../adapters/spotify/schemas.js';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../emulator/emulator.js';

/** An emulator reply body; tests check it with assertions, not the compiler. */
// biome-ignore lint/suspicious/noExplicitAny: replies are checked by the assertions, not the compiler
export type Json = any;

/** Starts emulators for one test file and closes them when its tests are done. */
export interface EmulatorStarter {
  (options?: EmulatorOptions): Promise<RunningEmulator>;
  /** Stops tracking an emulator the test has already closed itself. */
  forget(emu: RunningEmulator): void;
}

/** A starter dated 2026-11-20 by default, closing after each test (or after all, with `'all'`). */
export function emulatorStarter(closeAfter: 'each' | 'all' = 'each'): EmulatorStarter {
  const running: RunningEmulator[] = [];
  const closeAll = async () => {
    await Promise.all(running.splice(0).map((emu) => emu.close()));
  };
  if (closeAfter === 'each') afterEach(closeAll);
  else afterAll(closeAll);
  const start = async (options: EmulatorOptions = {}) => {
    const emu = await startEmulator({ today: () => '2026-11-20', ...options });
    running.push(emu);
    return emu;
  };
  const forget = (emu: RunningEmulator) => {
    const index = running.indexOf(emu);
    if (index >= 0) running.splice(index, 1);
  };
  return Object.assign(start, { forget });
}

/** An HTTP Basic `Authorization` header value for the given client id and secret. */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** POSTs a form body (client credentials grant by default) to the emulator's token endpoint. */
export function requestToken(
  emu: RunningEmulator,
  authorization?: string,
  body = 'grant_type=client_credentials',
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (authorization) headers.Authorization = authorization;
  return fetch(`${emu.accountsUrl}/api/token`, { method: 'POST', headers, body });
}

/** Obtains a bearer token from the emulator with its own client credentials. */
export async function token(emu: RunningEmulator): Promise<string> {
  const { clientId, clientSecret } = emu.credentials;
  const reply = await requestToken(emu, basic(clientId, clientSecret));
  return ((await reply.json()) as { access_token: string }).access_token;
}

/** GETs an API path (or absolute URL) and returns the status, headers and parsed JSON body. */
export async function get(emu: RunningEmulator, pathOrUrl: string, bearer?: string) {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${emu.apiUrl}${pathOrUrl}`;
  const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  const reply = await fetch(url, { headers });
  return { status: reply.status, headers: reply.headers, body: (await reply.json()) as Json };
}

/** A playlist entry as a test reads it (the schemas keep the track itself unchecked). */
export type Item = SpotifyPlaylistItem & { item?: Json; track?: Json };
/** A page of entries as a test reads it. */
export type Page = Omit<SpotifyPage, 'items'> & { items: Item[] };
