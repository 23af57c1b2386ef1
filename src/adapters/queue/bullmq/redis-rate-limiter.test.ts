import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../../test-support/redis.js';
import { titleFor } from '../../../test-support/services.js';
import { busiestWindow } from '../../../test-support/timing.js';
import { connectRedis } from './redis-connection.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const redis = await startRedis();
afterAll(async () => {
  if (redis.available) await redis.value.stop();
});

describe.skipIf(!redis.available)(titleFor('RedisRateLimiter on a real Redis', redis), () => {
  it('shares one limit between processes: three limiters on one key stay within it together', async () => {
    const url = redis.available ? redis.value.url : '';
    const key = `test:${randomUUID()}`;
    const limiters = await Promise.all(
      [1, 2, 3].map(async () => new RedisRateLimiter(await connectRedis(url), key, 10, 300)),
    );
    const times: number[] = [];
    const started = Date.now();
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: 10 }, async () => {
          await limiter.acquire();
          times.push(Date.now());
        }),
      ),
    );
    for (const limiter of limiters) await limiter.close();
    times.sort((a, b) => a - b);
    // Grants are timed by Redis; a few milliseconds of delivery jitter is allowed for here.
    expect(busiestWindow(times, 280)).toBeLessThanOrEqual(10);
    // 30 calls at 10 per 300 ms take two full windows after the first.
    expect((times.at(-1) as number) - started).toBeGreaterThanOrEqual(590);
  });

  it('says plainly when Redis cannot be reached, without the password', async () => {
    await expect(connectRedis('redis://:s3cret-pass@127.0.0.1:1')).rejects.toThrow(
      /^Cannot reach Redis at redis:\/\/:\[redacted\]@127\.0\.0\.1:1: connect ECONNREFUSED/,
    );
  });
});
