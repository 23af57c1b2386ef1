import type { Document } from 'mongodb';
import { createClient, mongodb, parseMongoUri, toStoreError } from './connection.js';

/** The original Airflow DAG's database and collection. */
export const LEGACY_DEFAULTS = { database: 'spotify', collection: 'currency_collection' } as const;

/** One document as the original system stored it, its `_id` taken apart. */
export interface LegacyDocument {
  /** The `_id` as text (an ObjectId's hex). */
  id: string;
  /** When the document was inserted, from an ObjectId `_id`; null for other ids. */
  insertedAt: Date | null;
  /** Every other field: the raw `/tracks` page and its `datetime`. */
  fields: Record<string, unknown>;
}

/** A read-only view of the collection the original system wrote. */
export interface LegacyCollection {
  /** database.collection on the server, password masked. */
  readonly location: string;
  count(): Promise<number>;
  /** The documents in insertion order, a batch at a time. */
  documents(): AsyncIterable<LegacyDocument>;
  close(): Promise<void>;
}

/**
 * Opens the original system's collection for reading. The database is `database`, else the one
 * the URI names, else "spotify".
 */
export function openLegacyCollection(
  uri: string,
  options: { database?: string; collection?: string } = {},
): LegacyCollection {
  const parsed = parseMongoUri(uri, '--from');
  const database = options.database ?? parsed.uriDatabase ?? LEGACY_DEFAULTS.database;
  const name = options.collection ?? LEGACY_DEFAULTS.collection;
  const server = parsed.location.slice(0, parsed.location.lastIndexOf('/'));
  const target = { ...parsed, database, location: `${server}/${database}` };
  const client = createClient(target, '--from');
  const collection = client.db(database).collection(name);
  return {
    location: `${target.location}.${name}`,
    async count() {
      try {
        return await collection.countDocuments();
      } catch (error) {
        throw toStoreError(error, target);
      }
    },
    async *documents() {
      try {
        for await (const doc of collection.find().sort({ _id: 1 }).batchSize(50)) {
          yield toLegacy(doc);
        }
      } catch (error) {
        throw toStoreError(error, target);
      }
    },
    close: () => client.close(),
  };
}

function toLegacy(doc: Document): LegacyDocument {
  const { _id, ...fields } = doc;
  const isObjectId = _id instanceof mongodb().ObjectId;
  return {
    id: isObjectId ? _id.toHexString() : String(_id),
    insertedAt: isObjectId ? _id.getTimestamp() : null,
    fields,
  };
}
