import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { inject } from 'vitest';
import type { Service } from './services.js';

/** A MongoDB-compatible server for tests. */
export interface MongoTestServer {
  uri: string;
  /** Kept for the tests' symmetry; the shared server is stopped after all files. */
  stop(): Promise<void>;
}

/**
 * The MongoDB-compatible server the whole run shares (found once by global-setup.ts), or why
 * there is none; the reason was printed once already.
 */
export async function mongoTestServer(): Promise<Service<MongoTestServer>> {
  const mongo = inject('mongo');
  if ('reason' in mongo) return { available: false, reason: mongo.reason };
  return { available: true, value: { uri: mongo.uri, stop: async () => {} } };
}

/** A database name no other test uses. */
export function randomDatabaseName(prefix = 'ck_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** The URI with `database` as its path, keeping hosts, credentials and options. */
export function withDatabase(uri: string, database: string): string {
  const [base = '', query] = uri.split('?');
  const hosts = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]*).*$/i, '$1');
  return `${hosts}/${database}${query ? `?${query}` : ''}`;
}

/** A plain driver client for reading what chartkeeper wrote, and for dropping test databases. */
export function independentClient(uri: string): MongoClient {
  return new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
}
