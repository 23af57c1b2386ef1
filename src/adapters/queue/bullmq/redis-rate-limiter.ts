import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimiter } from '../../../domain/ports/executor.js';

// A sliding-window log in one sorted set, kept by one atomic script on Redis's own clock, so
// every worker on every machine draws from the same window however their clocks differ.
// Returns 0 when the call may go now, else how many milliseconds until a place frees up.
const ACQUIRE = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

/**
 * At most `max` calls in any `perMs` window, counted across every process that uses the same
 * key: Spotify's limit is per app, not per worker.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly max: number,
    private readonly perMs: number,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const wait = Number(
        await this.redis.eval(ACQUIRE, 1, this.key, this.max, this.perMs, randomUUID()),
      );
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
