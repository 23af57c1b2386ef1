import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function dir(config?: object): string {
  const path = mkdtempSync(join(tmpdir(), 'ck-config-'));
  if (config) writeFileSync(join(path, 'chartkeeper.config.json'), JSON.stringify(config));
  return path;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
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
    const queue = errorOf(() =>
      loadConfig({ CHARTKEEPER_QUEUE: 'http://:hunter22@x:6379' }, dir()),
    );
    expect(queue.message).toBe(
      'CHARTKEEPER_QUEUE must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379',
    );
    const schedule = errorOf(() => loadConfig({}, dir({ schedule: '0 25 * * *' })));
    expect(schedule.message).toMatch(
      /^"schedule" in .* is not a usable cron schedule \(.*hour: 25\)/,
    );
    expect(errorOf(() => loadConfig({}, dir({ retries: { attempts: 0 } }))).message).toMatch(
      /"retries\.attempts"/,
    );
    expect(errorOf(() => loadConfig({}, dir({ rateLimit: { max: 10 } }))).message).toMatch(
      /"rateLimit\.perMs"/,
    );
    expect(errorOf(() => loadConfig({}, dir({ queue: { name: 'a b' } }))).message).toMatch(
      /"queue\.name" in .* must be 1 to 64 letters/,
    );
  });
});
