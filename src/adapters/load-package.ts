import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The drivers chartkeeper uses for MongoDB and Redis (mongodb, bullmq, ioredis) are loaded the first
 * time an adapter needs one, never when a command starts: loading the MongoDB driver alone takes
 * longer than `chartkeeper chart` may take, and most commands never talk to MongoDB or Redis. A
 * static import would be hoisted to the start of every bundle that holds the adapter.
 */
export function loadPackage<T>(
  name: 'mongodb' | 'mongodb-connection-string-url' | 'bullmq' | 'ioredis',
): T {
  return require(name) as T;
}
