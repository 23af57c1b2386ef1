import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { dailyAt, ledgerUntil } from '../test-support/ledger.js';
import { startRedisServer, type TestRedis } from '../test-support/redis.js';
import { titleFor } from '../test-support/services.js';

// A private, persistent redis-server that the test stops and starts again on the same port.
const probe = await startRedisServer();
if (probe.available) await probe.value.stop();

describe.skipIf(!probe.available)(
  titleFor('chartkeeper serve + worker through a Redis outage (built binary, redis-server)', probe),
  () => {
    const sandbox = cliSandbox('ck-redis-outage-', { openStore: true });

    it('queues a slot that fell while Redis was down once it is back, and captures it once', async () => {
      const data = mkdtempSync(join(tmpdir(), 'ck-redis-data-'));
      let redis: TestRedis | null = null;
      onTestFinished(async () => {
        await redis?.stop();
        rmSync(data, { recursive: true, force: true });
      });
      const first = await startRedisServer({ persistIn: data });
      if (!first.available) throw new Error(first.reason);
      redis = first.value;
      const port = Number(new URL(redis.url).port);
      const slot = dailyAt(15);
      writeFileSync(
        join(sandbox.dir, 'chartkeeper.config.json'),
        JSON.stringify({
          schedule: slot.cron,
          charts: [EMULATOR_PLAYLISTS.daily],
          queue: { url: redis.url, name: `test-${randomUUID()}` },
        }),
      );
      const serve = sandbox.start(['serve', '--log-format', 'pretty']);
      const worker = sandbox.start(['worker', '--log-format', 'pretty']);
      await serve.waitFor(/serving:/);
      await worker.waitFor(/worker ready/);

      await redis.stop();
      redis = null;
      await serve.waitFor(/could not queue the captures of/, 60_000);
      const again = await startRedisServer({ port, persistIn: data });
      if (!again.available) throw new Error(again.reason);
      redis = again.value;

      const at = slot.at.toISOString();
      const runs = await ledgerUntil(
        sandbox.store,
        (all) => all.some((r) => r.scheduledFor === at && r.state === 'succeeded'),
        80_000,
        'the slot that fell during the outage, captured',
      );
      expect(runs.filter((r) => r.scheduledFor === at)).toHaveLength(1);
      expect(serve.output()).toMatch(/queued the captures of .* now that the queue is back/);
      expect(await Promise.all([serve.stop('SIGTERM'), worker.stop('SIGTERM')])).toStrictEqual([
        0, 0,
      ]);
    });
  },
);
