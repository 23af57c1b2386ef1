import type { QueueSettings, RateLimitSettings } from '../../config/schema.js';
import type { Executor, RateLimiter } from '../../domain/ports/executor.js';
import { type ExecutorOptions, InProcessExecutor } from './in-process-executor.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

/**
 * The executor the configuration names: BullMQ on Redis when `queue.url` (CHARTKEEPER_QUEUE) is
 * set, else in this process. BullMQ and ioredis are loaded only then, so start-up stays fast.
 */
export async function openExecutor(
  queue: QueueSettings,
  options: ExecutorOptions,
): Promise<Executor> {
  if (!queue.url) return new InProcessExecutor(options);
  const { connectRedis } = await import('./bullmq/redis-connection.js');
  // Fails with one clear line when Redis cannot be reached, instead of retrying in silence.
  (await connectRedis(queue.url)).disconnect();
  const { BullMqExecutor } = await import('./bullmq/bullmq-executor.js');
  return new BullMqExecutor({
    ...options,
    url: queue.url,
    queueName: queue.name,
    lockMs: queue.lockMs,
  });
}

/**
 * The limit on Spotify calls (config `rateLimit`), or null when none is set: shared through
 * Redis by every worker when a queue is configured, else kept in this process.
 */
export async function openRateLimiter(
  queue: QueueSettings,
  limit: RateLimitSettings | undefined,
): Promise<RateLimiter | null> {
  if (!limit) return null;
  if (!queue.url) return new SlidingWindowLimiter(limit.max, limit.perMs);
  const { connectRedis } = await import('./bullmq/redis-connection.js');
  const { RedisRateLimiter } = await import('./bullmq/redis-rate-limiter.js');
  const redis = await connectRedis(queue.url);
  return new RedisRateLimiter(
    redis,
    `chartkeeper:${queue.name}:spotify-calls`,
    limit.max,
    limit.perMs,
  );
}
