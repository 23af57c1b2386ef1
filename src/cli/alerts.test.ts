import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../domain/alert.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const MISSING = '0000000000000000000000';

/** A local webhook receiver: keeps every body; answers with the statuses given, then 200. */
async function receiver(statuses: number[] = []) {
  const bodies: { raw: string; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', () => {
      bodies.push({ raw, headers: request.headers });
      response.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret-part-123456`;
  return {
    url,
    bodies,
    alerts: () => bodies.map((b) => JSON.parse(b.raw) as Alert),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('alerts to a webhook (built binary, emulator, a local receiver)', () => {
  const sandbox = cliSandbox('ck-alerts-', { openStore: true });
  const receivers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  const start = async (statuses?: number[]) => {
    const r = await receiver(statuses);
    receivers.push(r);
    return r;
  };

  it('a failing run posts exactly one alert, naming the chart and the error, with no secret in it', async () => {
    const hook = await start();
    const { code } = await sandbox.run(['run', '--no-retry', '--playlist', MISSING], {
      CHARTKEEPER_ALERT_WEBHOOK: hook.url,
    });
    expect(code).not.toBe(0);
    expect(hook.bodies).toHaveLength(1);
    const [alert] = hook.alerts();
    expect(alert).toMatchObject({
      kind: 'run-failed',
      chart: { source: 'spotify-playlist', chartId: MISSING },
    });
    expect(alert?.text).toContain(MISSING);
    expect(hook.bodies[0]?.headers['content-type']).toBe('application/json');
    const { clientId, clientSecret } = sandbox.emulator.credentials;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    for (const secret of [clientSecret, basic, 'secret-part-123456']) {
      expect(hook.bodies[0]?.raw).not.toContain(secret);
    }
  });

  it('a succeeding run posts nothing; a webhook that fails at first gets the alert again', async () => {
    const quiet = await start();
    expect((await sandbox.run(['run'], { CHARTKEEPER_ALERT_WEBHOOK: quiet.url })).code).toBe(0);
    expect(quiet.bodies).toHaveLength(0);

    const flaky = await start([503]);
    const failed = await sandbox.run(['run', '--no-retry', '--playlist', MISSING], {
      CHARTKEEPER_ALERT_WEBHOOK: flaky.url,
    });
    expect(failed.code).not.toBe(0);
    expect(flaky.bodies).toHaveLength(2);
    expect(flaky.bodies[0]?.raw).toBe(flaky.bodies[1]?.raw);
  });

  it('a command about to exit stops waiting for a webhook that never answers, and says the alert is lost', async () => {
    const seen: string[] = [];
    const silent = createServer((request) => {
      seen.push(request.url ?? '');
      // Never answers.
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    receivers.push({
      close: () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
    const failed = await sandbox.run(['run', '--no-retry', '--playlist', MISSING], {
      CHARTKEEPER_ALERT_WEBHOOK: url,
    });
    expect(failed.code).toBe(1);
    expect(seen).toHaveLength(1);
    expect(failed.stderr).toContain(
      '1 alert(s) could not be delivered to the webhook (alerts.webhook) before chartkeeper stopped',
    );
  });

  it('a run that meets Spotify’s quota posts one quota alert saying until when, then none for deferred captures', async () => {
    const hook = await start();
    sandbox.emulator.exhaustQuota(49_000);
    try {
      const env = { CHARTKEEPER_ALERT_WEBHOOK: hook.url };
      const first = await sandbox.run(
        ['run', '-p', EMULATOR_PLAYLISTS.daily, '-p', EMULATOR_PLAYLISTS.large],
        env,
      );
      expect(first.code).toBe(1);
      expect(hook.alerts().map((a) => a.kind)).toEqual(['quota-exhausted']);
      expect(hook.alerts()[0]?.text).toMatch(
        /quota is exhausted until \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
      );
      expect(hook.alerts()[0]?.text).toContain('Captures are deferred until then.');
    } finally {
      sandbox.emulator.exhaustQuota(null);
    }
  });

  it('serve alerts once on a chart never captured, and posts the digest after a scheduled capture', async () => {
    const hook = await start();
    writeFileSync(
      join(sandbox.dir, 'chartkeeper.config.json'),
      JSON.stringify({
        schedule: '*/2 * * * * *',
        charts: [EMULATOR_PLAYLISTS.daily, MISSING],
        retries: { attempts: 1 },
        alerts: { webhook: hook.url, staleAfterMs: 1_000, checkMs: 1_000, digest: true },
      }),
    );
    const server = sandbox.start(['serve']);
    await server.waitFor(/serving:/);
    const of = (kind: Alert['kind']) => hook.alerts().filter((a) => a.kind === kind);
    await vi.waitFor(
      () => {
        expect(of('digest').length).toBeGreaterThan(0);
        expect(of('chart-stale').length).toBeGreaterThan(0);
        expect(of('run-failed').length).toBeGreaterThan(0);
      },
      { timeout: 60_000, interval: 200 },
    );
    // Several more checks: the stale chart is not reported again.
    const checksSeen = hook.bodies.length;
    await vi.waitFor(() => expect(hook.bodies.length).toBeGreaterThan(checksSeen + 2), {
      timeout: 60_000,
      interval: 200,
    });
    expect(await server.stop('SIGTERM')).toBe(0);

    // (The daily chart, captured every two seconds, may go stale for a second on a busy machine.)
    const stale = of('chart-stale').filter((a) => a.chart?.chartId === MISSING);
    expect(stale).toHaveLength(1);
    expect(stale[0]?.text).toContain('never been captured');
    const [digest] = of('digest');
    expect(digest?.chart?.chartId).toBe(EMULATOR_PLAYLISTS.daily);
    expect(digest?.text).toMatch(/Top 10:\n1\. /);
    expect(digest?.details?.top).toHaveLength(10);
  });
});
