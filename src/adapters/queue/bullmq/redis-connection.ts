import type * as IORedis from 'ioredis';
import { ChartkeeperError } from '../../../domain/errors.js';
import { redactUrlPassword } from '../../../lib/redact.js';
import { loadPackage } from '../../load-package.js';

/** How long start-up waits for Redis before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The queue URL as it may be shown: the password masked. */
export function describeRedisUrl(url: string): string {
  return redactUrlPassword(url);
}

/**
 * A connection for chartkeeper's own Redis commands (the shared rate limit), opened and checked
 * with a PING, so a wrong CHARTKEEPER_QUEUE fails at start-up with one clear line instead of
 * retrying forever in the background.
 */
export async function connectRedis(url: string): Promise<IORedis.Redis> {
  let ready = false;
  const { Redis } = loadPackage<typeof IORedis>('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Give up at start-up; once connected, keep reconnecting as BullMQ does.
    retryStrategy: (times) => (ready ? Math.min(times * 200, 2_000) : null),
  });
  // The socket's own error says more ("connect ECONNREFUSED …") than the failed command does.
  let socketError: Error | null = null;
  redis.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    ready = true;
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = (socketError ?? (error as Error)).message ?? String(error);
    throw new ChartkeeperError(
      'queue-unreachable',
      `Cannot reach Redis at ${describeRedisUrl(url)}: ${reason}`,
      {
        hint: 'Start Redis there, or fix CHARTKEEPER_QUEUE (queue.url); unset it to run captures inside `chartkeeper serve`.',
        permanent: true,
        cause: error,
      },
    );
  }
}
