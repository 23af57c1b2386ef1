import { afterEach, expect } from 'vitest';
import { SpotifyError } from '../adapters/spotify/errors.js';
import { harness } from './spotify-harness.js';

/** A started harness, as returned by `harness`. */
export type Harness = Awaited<ReturnType<typeof harness>>;

/** Runs `cleanups` after each test; `setup` starts a harness and queues its emulator's close. */
export function harnessPerTest() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const setup = async (options: Parameters<typeof harness>[0] = {}): Promise<Harness> => {
    const h = await harness(options);
    cleanups.push(() => h.emulator.close());
    return h;
  };
  return { cleanups, setup };
}

/** Awaits a promise that must reject with a SpotifyError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<SpotifyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpotifyError);
  return error as SpotifyError;
}
