import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPrivateFerretDb } from './ferretdb.js';
import { isCi } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB-compatible server every test file shares, or why there is none. */
    mongo: { uri: string } | { reason: string };
  }
}

/**
 * Runs once before all test files: finds the MongoDB-compatible server the tests share (the one in
 * MONGODB_URI, else a private FerretDB from the cache, else a downloaded mongod), so that a
 * missing one is reported once, not once per file. Under CI=true a missing server fails the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The cache folder of every chartkeeper the tests start (see cliBaseEnv), removed at the end.
  const cache = mkdtempSync(join(tmpdir(), 'ck-test-cache-'));
  process.env.CHARTKEEPER_TEST_CACHE = cache;
  const teardown = await findMongo(project);
  return async () => {
    await teardown();
    rmSync(cache, { recursive: true, force: true });
  };
}

async function findMongo(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.MONGODB_URI?.trim();
  if (given) {
    project.provide('mongo', { uri: given });
    return async () => {};
  }
  const reasons: string[] = [];
  const ferret = await startPrivateFerretDb({ quiet: true });
  if (ferret.available) {
    project.provide('mongo', { uri: ferret.value.uri });
    return () => ferret.value.close();
  }
  reasons.push(ferret.reason);
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const server = await withinSeconds(MongoMemoryServer.create(), 120);
    project.provide('mongo', { uri: server.getUri() });
    return async () => {
      await server.stop();
    };
  } catch (error) {
    reasons.push(
      `mongodb-memory-server-core could not start mongod: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const reason = `MONGODB_URI is not set; ${reasons.join('; ')}. Set MONGODB_URI, or run scripts/ferretdb.sh build`;
  if (isCi()) throw new Error(`MongoDB is required under CI=true, but ${reason}`);
  process.stderr.write(`[skipped] MongoDB tests: ${reason}\n`);
  project.provide('mongo', { reason });
  return async () => {};
}

function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`not ready within ${seconds} s`)), seconds * 1000).unref(),
    ),
  ]);
}
