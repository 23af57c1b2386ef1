import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { MongoClient } from 'mongodb';
import { type Service, unavailable } from './services.js';

/** A MongoDB-compatible server for tests. */
export interface MongoTestServer {
  uri: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const HOW_TO =
  'set MONGODB_URI to a MongoDB-compatible server (eval "$(scripts/ferretdb.sh start)" starts FerretDB)';

/**
 * The server in MONGODB_URI; else a real mongod from mongodb-memory-server-core, which downloads
 * MongoDB on first use; else why neither is there (a skip locally, a failure under CI=true).
 */
export async function mongoTestServer(): Promise<Service<MongoTestServer>> {
  const uri = process.env.MONGODB_URI?.trim();
  if (uri) return { available: true, value: { uri, stop: async () => {} } };
  try {
    const { MongoMemoryServer, DryMongoBinary } = await import('mongodb-memory-server-core');
    const options = await DryMongoBinary.generateOptions();
    if (!(await DryMongoBinary.locateBinary(options))) {
      // Without this check an offline machine spends seconds retrying the download, per file.
      const { MONGOMS_DOWNLOAD_URL, MONGOMS_DOWNLOAD_MIRROR } = process.env;
      const from = MONGOMS_DOWNLOAD_URL || MONGOMS_DOWNLOAD_MIRROR || 'https://fastdl.mongodb.org';
      const host = new URL(from).hostname;
      await lookup(host).catch((error: Error) => {
        throw new Error(`mongod is not cached and ${host} cannot be reached (${error.message})`);
      });
    }
    const server = await MongoMemoryServer.create();
    return {
      available: true,
      value: { uri: server.getUri(), stop: () => server.stop().then(() => {}) },
    };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return unavailable(
      'MongoDB',
      `MONGODB_URI is not set and mongodb-memory-server-core could not start mongod: ${reason}; ${HOW_TO}`,
    );
  }
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
