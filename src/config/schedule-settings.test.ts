import { describe, expect, it } from 'vitest';
import { configDir, configErrorOf } from '../test-support/config.js';
import { loadConfig } from './load.js';

/** A config directory holding `config` as chartkeeper.config.json, or no file without it. */
function dir(config?: object): string {
  return configDir(config ? { 'chartkeeper.config.json': JSON.stringify(config) } : {});
}

describe('schedule, retries, queue and rate limit settings', () => {
  it('default to a daily schedule, three attempts and running in this process', () => {
    const { config } = loadConfig({}, dir());
    expect(config.schedule).toBe('@daily');
    expect(config.retries).toStrictEqual({ attempts: 3, delayMs: 30_000, maxDelayMs: 600_000 });
    expect(config.queue).toStrictEqual({
      name: 'chartkeeper',
      concurrency: 2,
      shutdownMs: 30_000,
      lockMs: 30_000,
    });
    expect(config.rateLimit).toBeUndefined();
  });

  it('reads them from the file, and the queue and schedule from the environment', () => {
    const cwd = dir({
      schedule: '0 6 * * *',
      retries: { attempts: 5 },
      queue: { name: 'charts', concurrency: 4 },
      rateLimit: { max: 90, perMs: 30_000 },
    });
    const { config } = loadConfig(
      {
        CHARTKEEPER_QUEUE: 'redis://:pw@redis.internal:6380/2',
        CHARTKEEPER_SCHEDULE: '*/5 * * * * *',
      },
      cwd,
    );
    expect(config.schedule).toBe('*/5 * * * * *');
    expect(config.retries).toStrictEqual({ attempts: 5, delayMs: 30_000, maxDelayMs: 600_000 });
    expect(config.queue).toMatchObject({
      url: 'redis://:pw@redis.internal:6380/2',
      name: 'charts',
      concurrency: 4,
    });
    expect(config.rateLimit).toStrictEqual({ max: 90, perMs: 30_000 });
  });

  it('names the setting that is wrong, never echoing a queue password', () => {
    const queue = configErrorOf(() =>
      loadConfig({ CHARTKEEPER_QUEUE: 'http://:hunter22@x:6379' }, dir()),
    );
    expect(queue.message).toBe(
      'CHARTKEEPER_QUEUE must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379',
    );
    const schedule = configErrorOf(() => loadConfig({}, dir({ schedule: '0 25 * * *' })));
    expect(schedule.message).toMatch(
      /^"schedule" in .* is not a usable cron schedule \(.*hour: 25\)/,
    );
    expect(configErrorOf(() => loadConfig({}, dir({ retries: { attempts: 0 } }))).message).toMatch(
      /"retries\.attempts"/,
    );
    expect(configErrorOf(() => loadConfig({}, dir({ rateLimit: { max: 10 } }))).message).toMatch(
      /"rateLimit\.perMs"/,
    );
    expect(configErrorOf(() => loadConfig({}, dir({ queue: { name: 'a b' } }))).message).toMatch(
      /"queue\.name" in .* must be 1 to 64 letters/,
    );
  });
});
